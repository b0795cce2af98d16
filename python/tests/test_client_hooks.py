"""Hub clients retry once after ExpiredToken and never send a bearer token, against the emulator."""

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
