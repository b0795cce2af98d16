"""Bedrock errors of hub clients name the layer and the fix, and stay the service's own exceptions."""

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from bedrock_hub_access import BedrockHubError, get_bedrock_hub_session
from conftest import HUB, MODEL_ID, MovableClock, converse


def test_a_model_the_hub_is_not_subscribed_to_is_explained_and_still_the_services_exception(
    lambda_env: Any, clock: MovableClock, emulator: Any
) -> None:
    # GIVEN the hub account not subscribed to the model (AWS Marketplace), and the hub role not allowed to subscribe it
    emulator.command("modelSubscription", rule={"accountId": HUB, "modelId": MODEL_ID, "subscribed": False})
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    try:
        # WHEN
        with pytest.raises(runtime.exceptions.AccessDeniedException) as raised:
            converse(runtime)
    finally:
        emulator.command("modelSubscription", rule={"accountId": HUB, "modelId": MODEL_ID, "subscribed": True})

    # THEN a BedrockHubError naming the layer, that code catching ClientError still catches
    error = raised.value
    assert isinstance(error, BedrockHubError) and isinstance(error, ClientError)
    assert error.layer == "hub-permission"
    assert "aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe" in error.hint
    assert f"administrator of account {HUB}" in error.hint
    assert "Model access" not in error.hint
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


def test_a_client_given_credentials_resolved_once_gets_its_expired_token_explained(
    lambda_env: Any, clock: MovableClock
) -> None:
    # GIVEN a client built with the hub credentials' values, resolved once and kept
    hub = get_bedrock_hub_session(clock=clock)
    assert hub.credentials is not None
    frozen = hub.credentials.get_frozen_credentials()
    runtime = boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=lambda_env["AWS_ENDPOINT_URL"],
        aws_access_key_id=frozen.access_key,
        aws_secret_access_key=frozen.secret_key,
        aws_session_token=frozen.token,
    )

    # WHEN they have expired (two hours later)
    clock.advance(2 * 3600)
    with pytest.raises(ClientError) as raised:
        converse(runtime)
    explained = hub.explain_error(raised.value)

    # THEN the hub session explains it: the fix is to pass the credentials object, not its values
    assert isinstance(explained, BedrockHubError) and isinstance(explained, ClientError)
    assert explained.layer == "expired-token"
    assert "Pass `hub.credentials` itself" in explained.hint
    assert explained.__cause__ is raised.value
