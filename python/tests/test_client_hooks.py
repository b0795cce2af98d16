"""Hub clients retry once after ExpiredToken and never send a bearer token, against the emulator."""

import json
from typing import Any, List

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from bedrock_hub_access import BedrockHubError, get_bedrock_hub_session, get_bedrock_session
from bedrock_hub_access.client_hooks import signing_access_key
from conftest import HUB, MovableClock, Trail, converse


def hub_assume_roles(trail: Trail) -> List[Any]:
    return [e for e in trail.assume_role() if e["recipientAccountId"] == HUB]


def test_expired_token_invalidates_refreshes_and_retries_the_call_once(lambda_env: Any, clock: MovableClock, trail: Trail, emulator: Any) -> None:
    # GIVEN a hub client whose credentials the service has since expired (revoked sessions, a clock jump)
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    converse(runtime)
    first_key = trail.converse()[0]["accessKeyId"]
    emulator.command("expire", accessKeyId=first_key)

    # WHEN
    answer = converse(runtime)

    # THEN the call succeeded on fresh credentials, after one refused attempt
    assert answer["output"]["message"]["role"] == "assistant"
    calls = trail.converse()
    assert [(c["accessKeyId"] == first_key, c.get("errorCode")) for c in calls] == [
        (True, None), (True, "ExpiredTokenException"), (False, None)
    ]
    assert len(hub_assume_roles(trail)) == 2


def test_expired_token_is_retried_only_once(lambda_env: Any, clock: MovableClock, trail: Trail, emulator: Any) -> None:
    # GIVEN a service that reports every key expired as soon as it is used
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    runtime.meta.events.register_last(
        "before-send", lambda request, **_: emulator.command("expire", accessKeyId=signing_access_key(request.headers))
    )

    # WHEN / THEN: the service's error, after two attempts and two AssumeRoles (botocore's ClientError, as without the shim)
    with pytest.raises(ClientError) as raised:
        converse(runtime)
    assert raised.value.response["Error"]["Code"] == "ExpiredTokenException"
    assert [c.get("errorCode") for c in trail.converse()] == ["ExpiredTokenException", "ExpiredTokenException"]
    assert len(hub_assume_roles(trail)) == 2


@pytest.mark.parametrize("build", ["hub.client", "get_bedrock_session().client"])
def test_a_bearer_token_in_the_environment_does_not_bypass_sigv4(
    lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch, build: str
) -> None:
    # GIVEN a Bedrock API key in the environment (newer botocore would send it instead of signing)
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "ABSKbedrock-api-key-not-to-be-used")
    runtime = (
        get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
        if build == "hub.client"
        else get_bedrock_session().client("bedrock-runtime")
    )

    # WHEN
    converse(runtime)

    # THEN signed with SigV4 by the hub role
    assert [c["principalArn"] for c in trail.converse()] == [f"arn:aws:sts::{HUB}:assumed-role/BedrockHubRole/python-function"]


@pytest.mark.parametrize(
    "config",
    [Config(signature_version="bearer"), Config(auth_scheme_preference="httpBearerAuth") if "auth_scheme_preference" in Config.OPTION_DEFAULTS else None],
    ids=["signature_version=bearer", "auth_scheme_preference=httpBearerAuth"],
)
def test_a_client_configured_for_bearer_auth_is_refused_before_sending(
    lambda_env: Any, trail: Trail, monkeypatch: pytest.MonkeyPatch, config: Any
) -> None:
    if config is None:
        pytest.skip("this botocore has no auth_scheme_preference (and no bearer auth for Bedrock)")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "ABSKbedrock-api-key-not-to-be-used")
    runtime = get_bedrock_session().client("bedrock-runtime", config=config)

    with pytest.raises(BedrockHubError) as raised:
        converse(runtime)

    assert raised.value.layer == "configuration"
    assert "ABSK" not in str(raised.value)
    assert trail.converse() == []


def test_signing_access_key_reads_the_credential_scope() -> None:
    header = "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=abc"
    assert signing_access_key({"Authorization": header}) == "ASIAEXAMPLE"
    assert signing_access_key({"Authorization": header.encode()}) == "ASIAEXAMPLE"
    assert signing_access_key({}) is None


def test_no_model_access_in_the_hub_is_explained_and_still_the_services_exception(
    lambda_env: Any, clock: MovableClock, emulator: Any
) -> None:
    # GIVEN model access switched off in the hub account and region
    emulator.command("modelAccess", rule={"accountId": HUB, "region": "us-east-1", "enabled": False})
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    try:
        # WHEN
        with pytest.raises(runtime.exceptions.AccessDeniedException) as raised:
            converse(runtime)
    finally:
        emulator.command("modelAccess", rule={"accountId": HUB, "region": "us-east-1", "enabled": True})

    # THEN a BedrockHubError naming the layer, that code catching ClientError still catches
    error = raised.value
    assert isinstance(error, BedrockHubError) and isinstance(error, ClientError)
    assert error.layer == "hub-permission"
    assert f"Enable access to the model in the hub account {HUB}, region us-east-1" in error.hint
    assert error.response["Error"]["Code"] == "AccessDeniedException"
    assert isinstance(error.__cause__, ClientError)


def test_a_resource_the_hub_does_not_have_is_explained(lambda_env: Any, clock: MovableClock) -> None:
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")

    with pytest.raises(BedrockHubError) as raised:
        runtime.converse(modelId="anthropic.claude-unknown-v9:0", messages=[{"role": "user", "content": [{"text": "Hello"}]}])

    print(raised.value)
    assert raised.value.layer == "hub-resource"
    assert f"of the hub account {HUB}" in str(raised.value)


def test_errors_of_other_services_are_left_alone(lambda_env: Any, clock: MovableClock) -> None:
    sts = get_bedrock_hub_session(clock=clock).client("sts")
    with pytest.raises(ClientError) as raised:
        sts.assume_role(RoleArn="arn:aws:iam::444455556666:role/Nope", RoleSessionName="not-allowed")
    assert not isinstance(raised.value, BedrockHubError)


@pytest.mark.parametrize(
    "params, layer, says",
    [
        ({"modelId": "anthropic.claude-3-haiku-20240307-v1:0\n"}, "invalid-identifier", "modelId \"anthropic.claude-3-haiku-20240307-v1:0\\n\" has a trailing newline"),
        ({"modelId": "arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/abcdef123456"}, "resource-account", "Nothing was sent"),
        ({"modelId": "arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.amazon.nova-lite-v1:0"}, "resource-account", "Use the profile id us.amazon.nova-lite-v1:0"),
        ({"modelId": "amazon.nova-lite-v1:0", "guardrailConfig": {"guardrailIdentifier": "GR-Upper", "guardrailVersion": "1"}}, "invalid-identifier", "guardrailConfig.guardrailIdentifier"),
    ],
    ids=["trailing newline in a model id", "application inference profile in the workload account", "system profile ARN in another account", "upper-case guardrail id"],
)
def test_malformed_ids_and_resources_in_another_account_are_refused_before_anything_is_sent(
    lambda_env: Any, clock: MovableClock, trail: Trail, params: Any, layer: str, says: str
) -> None:
    runtime = get_bedrock_hub_session(clock=clock, prefetch=False).client("bedrock-runtime")

    with pytest.raises(BedrockHubError) as raised:
        runtime.converse(messages=[{"role": "user", "content": [{"text": "Hello"}]}], **params)

    assert raised.value.layer == layer
    assert says in str(raised.value)
    assert trail.converse() == [] and trail.assume_role() == []  # not even AssumeRole


def test_a_resource_of_a_target_account_points_at_its_role(lambda_env: Any, emulator: Any, trail: Trail, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a target role for account 333333333333, and a hub client naming a guardrail there
    monkeypatch.setenv("BEDROCK_ASSUME_ROLE_TARGETS", json.dumps([{"roleArn": emulator.target_role_arn}]))
    runtime = get_bedrock_hub_session(prefetch=False).client("bedrock-runtime")
    guardrail = "arn:aws:bedrock:us-east-1:333333333333:guardrail/gr4abc123xyz"

    # WHEN
    with pytest.raises(BedrockHubError) as raised:
        converse_with = {"guardrailConfig": {"guardrailIdentifier": guardrail, "guardrailVersion": "1"}}
        runtime.converse(modelId="amazon.nova-lite-v1:0", messages=[{"role": "user", "content": [{"text": "Hi"}]}], **converse_with)

    # THEN
    assert raised.value.layer == "resource-account"
    assert raised.value.hint == (
        f"Make this call with a client of hub.for_resource('{guardrail}'), which signs as {emulator.target_role_arn} in account 333333333333."
    )
    assert trail.converse() == []
