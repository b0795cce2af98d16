"""A Bedrock API key in a hub-mode function is a way around the hub for every client the hub did not
build: the shim warns once, naming the variable and never its value, and its own clients still sign
with SigV4 and the hub credentials."""

import logging
from typing import Any, List

import pytest

from bedrock_hub_access import get_bedrock_hub_session
from bedrock_hub_access.bearer_warning import bearer_bypass_variables, warn_about_bearer_bypass
from conftest import MovableClock, Trail, converse

TOKEN = "ABSKexampleBearerTokenValue"
ROLE = "arn:aws:iam::111122223333:role/BedrockHubRole"


@pytest.mark.parametrize(
    "env, variables",
    [
        ({}, []),
        ({"AWS_BEARER_TOKEN_BEDROCK": "  "}, []),
        ({"AWS_BEARER_TOKEN_BEDROCK": TOKEN}, ["AWS_BEARER_TOKEN_BEDROCK"]),
        ({"AWS_AUTH_SCHEME_PREFERENCE": "sigv4, httpBearerAuth"}, []),
        ({"AWS_AUTH_SCHEME_PREFERENCE": "httpBearerAuth,sigv4"}, ["AWS_AUTH_SCHEME_PREFERENCE"]),
        ({"AWS_AUTH_SCHEME_PREFERENCE": "smithy.api#httpBearerAuth"}, ["AWS_AUTH_SCHEME_PREFERENCE"]),
    ],
)
def test_the_variables_that_open_a_way_around_the_hub(env: Any, variables: List[str]) -> None:
    assert bearer_bypass_variables(env) == variables


def test_warns_once_per_process_naming_the_variable_never_its_value() -> None:
    warnings: List[str] = []
    env = {"AWS_BEARER_TOKEN_BEDROCK": TOKEN}

    assert warn_about_bearer_bypass(env, ROLE, warnings.append) is True
    assert warn_about_bearer_bypass(env, ROLE, warnings.append) is False

    assert len(warnings) == 1
    assert "AWS_BEARER_TOKEN_BEDROCK is set while hub mode is on" in warnings[0]
    assert TOKEN not in warnings[0]


def test_a_hub_session_warns_and_its_clients_still_sign_with_the_hub_role(
    lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    # GIVEN a Bedrock API key in the function's environment
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", TOKEN)
    caplog.set_level(logging.WARNING, logger="bedrock_hub_access")

    # WHEN the function calls Bedrock through the hub session
    converse(get_bedrock_hub_session(clock=clock).client("bedrock-runtime"))
    get_bedrock_hub_session(clock=clock)

    # THEN one warning, without the key, and the call went out as the hub role
    warnings = [r.getMessage() for r in caplog.records if r.name == "bedrock_hub_access"]
    assert len(warnings) == 1 and "AWS_BEARER_TOKEN_BEDROCK" in warnings[0]
    assert TOKEN not in caplog.text
    assert [call["principalArn"].split("/")[1] for call in trail.converse()] == ["BedrockHubRole"]
