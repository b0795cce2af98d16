"""The session object and the IDP Accelerator's factory: hub mode off is plain boto3, hub mode on signs
as the hub role, target roles serve their accounts, and nothing falls back."""

import json
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.credentials import CredentialResolver

from bedrock_hub_access import BedrockHubError, BedrockHubIdentity, get_bedrock_hub_session, get_bedrock_session
from bedrock_hub_access.credentials import HubCredentialProvider
from conftest import HUB, TARGET, MovableClock, Trail, converse, plain_session


def test_hub_mode_off_is_a_plain_boto3_session_on_the_functions_credentials(
    lambda_env: Any, trail: Trail, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a function deployed with an empty hub role ARN
    monkeypatch.setenv("BEDROCK_ASSUME_ROLE_ARN", "")

    # WHEN
    session = get_bedrock_session()
    hub = get_bedrock_hub_session()

    # THEN exactly boto3.Session(), with the function's own credentials, and no AssumeRole
    assert type(session) is boto3.Session
    assert session.get_credentials().access_key == lambda_env["AWS_ACCESS_KEY_ID"]
    assert session.region_name == "us-east-1"
    assert (hub.enabled, hub.credentials, hub.credential_provider, hub.identity()) == (False, None, None, None)
    assert hub.for_account(TARGET) is hub
    assert trail.assume_role() == []


def test_get_bedrock_session_is_the_idp_factory_on_hub_credentials(lambda_env: Any, trail: Trail) -> None:
    # GIVEN handler code written for the IDP Accelerator
    session = get_bedrock_session()

    # WHEN
    converse(session.client("bedrock-runtime"))

    # THEN
    assert isinstance(session, boto3.Session)
    assert get_bedrock_session() is session
    assert [c["principalArn"] for c in trail.converse()] == [f"arn:aws:sts::{HUB}:assumed-role/BedrockHubRole/python-function"]
    assert [e["roleSessionName"] for e in trail.assume_role() if e["recipientAccountId"] == HUB] == ["python-function"]


def test_identity_comes_from_assume_roles_answer(lambda_env: Any, clock: MovableClock, trail: Trail) -> None:
    hub = get_bedrock_hub_session(clock=clock)

    identity = hub.identity()

    assert isinstance(identity, BedrockHubIdentity)
    assert (identity.account, identity.arn, identity.session_name) == (
        HUB, f"arn:aws:sts::{HUB}:assumed-role/BedrockHubRole/python-function", "python-function"
    )
    assert identity.expiration.timestamp() == pytest.approx(clock() + 3600, abs=1)
    assert len(trail.events("GetCallerIdentity")) == 0


def test_the_credentials_serve_libraries_that_take_botocore_credentials(lambda_env: Any, clock: MovableClock, trail: Trail) -> None:
    # GIVEN a library that builds its own session from credentials (as frameworks do)
    hub = get_bedrock_hub_session(clock=clock)
    frozen = hub.credentials.get_frozen_credentials()
    core = botocore.session.Session()
    core.register_component("credential_provider", CredentialResolver([hub.credential_provider]))
    session = boto3.Session(botocore_session=core)

    # WHEN
    converse(session.client("bedrock-runtime"))

    # THEN
    assert isinstance(hub.credential_provider, HubCredentialProvider)
    assert [c["accessKeyId"] for c in trail.converse()] == [frozen.access_key]


def test_hub_clients_refuse_explicit_credentials(lambda_env: Any) -> None:
    with pytest.raises(BedrockHubError) as raised:
        get_bedrock_hub_session().client("bedrock-runtime", aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x")
    assert raised.value.layer == "configuration"
    assert "aws_access_key_id" in str(raised.value)


def test_the_same_configuration_gives_the_same_session_and_settings_never_show_the_external_id(lambda_env: Any) -> None:
    hub = get_bedrock_hub_session()
    assert get_bedrock_hub_session() is hub
    assert get_bedrock_hub_session("eu-west-1") is not hub
    assert hub.to_dict()["externalId"] == "(set)"
    assert lambda_env["BEDROCK_ASSUME_ROLE_EXTERNAL_ID"] not in repr(hub)


@pytest.fixture
def with_targets(lambda_env: Any, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEDROCK_ASSUME_ROLE_TARGETS", json.dumps([{"roleArn": emulator.target_role_arn}]))


def test_for_account_signs_as_the_target_role_with_its_own_cache(
    with_targets: None, clock: MovableClock, trail: Trail
) -> None:
    hub = get_bedrock_hub_session(clock=clock)

    converse(hub.for_account(TARGET).client("bedrock-runtime"))
    converse(hub.for_account(HUB).client("bedrock-runtime"))
    converse(hub.for_account(TARGET).client("bedrock-runtime"))

    assert hub.accounts == [HUB, TARGET]
    assert [c["principalArn"].split(":")[4] for c in trail.converse()] == [TARGET, HUB, TARGET]
    assert sorted(e["recipientAccountId"] for e in trail.assume_role() if e["recipientAccountId"] != "111111111111") == [HUB, TARGET]


@pytest.mark.parametrize(
    "resource, account",
    [
        (f"arn:aws:bedrock:us-east-1:{TARGET}:agent-alias/AGENT12345/ALIAS12345", TARGET),
        (f"arn:aws:bedrock:us-east-1:{HUB}:guardrail/gr4abc123xyz", HUB),
        ("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", HUB),
        ("us.anthropic.claude-3-haiku-20240307-v1:0", HUB),
    ],
)
def test_for_resource_picks_the_session_of_the_resources_account(with_targets: None, resource: str, account: str) -> None:
    assert get_bedrock_hub_session().for_resource(resource).account == account


@pytest.mark.parametrize(
    "call, layer, says",
    [
        (lambda hub: hub.for_account("444455556666"), "no-target-role", "No role is configured for account 444455556666"),
        (lambda hub: hub.for_account('"333333333333"'), "invalid-identifier", "is wrapped in '\"'"),
        (lambda hub: hub.for_account("33333333333"), "invalid-identifier", "is not 12 digits"),
        (lambda hub: hub.for_resource("arn:aws:bedrock:us-east-1:444455556666:knowledge-base/KB12345678"), "no-target-role", "knowledge-base"),
        (lambda hub: hub.for_resource("AGENT12345"), "invalid-identifier", "name no account"),
        (lambda hub: hub.for_resource("arn:aws:bedrock:us-east-1:333333333333:agent-alias/agent/alias"), "invalid-identifier", "does not end in"),
    ],
    ids=["unknown account", "quoted account id", "11-digit account id", "ARN in an unknown account", "plain agent id", "malformed agent alias ARN"],
)
def test_no_fallback_for_an_account_without_a_role(with_targets: None, call: Any, layer: str, says: str) -> None:
    with pytest.raises(BedrockHubError) as raised:
        call(get_bedrock_hub_session())
    assert raised.value.layer == layer
    assert says in str(raised.value)


def test_plain_boto3_is_still_the_functions_own(lambda_env: Any, trail: Trail) -> None:
    # A client built without the shim signs as the function: the emulator denies its Bedrock call (no Bedrock permission in the workload).
    with pytest.raises(Exception) as raised:
        converse(plain_session(lambda_env).client("bedrock-runtime"))
    assert "AccessDenied" in str(raised.value)
    assert [c["principalArn"].split(":")[4] for c in trail.converse()] == ["111111111111"]


def test_in_lambda_the_first_assume_role_starts_when_the_session_is_created(lambda_env: Any, clock: MovableClock, trail: Trail) -> None:
    # GIVEN a handler module that creates the session at import time (INIT)
    hub = get_bedrock_hub_session(clock=clock)
    prefetch = hub.prefetch()

    # WHEN INIT goes on; THEN the credentials are fetched without any call
    assert prefetch is not None
    prefetch.join(timeout=10)
    assert [e["recipientAccountId"] for e in trail.assume_role()].count(HUB) == 1

    # and the first call reuses them
    converse(hub.client("bedrock-runtime"))
    assert [e["recipientAccountId"] for e in trail.assume_role()].count(HUB) == 1


def test_outside_lambda_nothing_is_fetched_before_the_first_call(lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    get_bedrock_hub_session(clock=clock)
    assert trail.assume_role() == []


def test_the_idp_accelerators_reset_name_works(lambda_env: Any) -> None:
    from bedrock_hub_access import reset_cached_session

    first = get_bedrock_session()
    reset_cached_session()
    assert get_bedrock_session() is not first
