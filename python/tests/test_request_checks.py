"""Bedrock ids and resource accounts are checked before a hub client sends anything (not even AssumeRole)."""

import json
from typing import Any

import pytest

from bedrock_hub_access import BedrockHubError, get_bedrock_hub_session
from conftest import MovableClock, Trail


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
