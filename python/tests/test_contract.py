"""The Python shim gives the TypeScript contract's verdict on every case of the shared table.

The same table (``fixtures/contract-cases.json``) runs through the Node shim in
``test/python/contract.test.ts``: a value one side accepts and the other refuses fails one of them.
"""

import json
import re
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

from bedrock_hub_access import ERROR_LAYERS, BedrockHubError, get_bedrock_hub_session
from bedrock_hub_access import _contract
from bedrock_hub_access.bedrock_resources import (
    describe_bedrock_arn_problem,
    describe_bedrock_id_problem,
    geography_prefix_of,
    is_foundation_model_id,
    parse_bedrock_arn,
)
from bedrock_hub_access.contract import describe_account_id_problem
from bedrock_hub_access.request_checks import check_bedrock_request

TABLE = json.loads((Path(__file__).parent / "fixtures" / "contract-cases.json").read_text(encoding="utf-8"))


def environment_of(case: Dict[str, Any]) -> Dict[str, str]:
    env = dict(TABLE["base"])
    for name, value in case["env"].items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_same_verdict_as_the_typescript_contract(case: Dict[str, Any]) -> None:
    # GIVEN
    env = environment_of(case)

    # WHEN
    message = ""
    session_name: Optional[str] = None
    try:
        hub = get_bedrock_hub_session(env=env)
        verdict = "ok" if hub.enabled else "off"
        session_name = hub.session_name
    except BedrockHubError as error:
        message = str(error)
        assert error.layer == "configuration"
        named = re.match(r"bedrock-hub-access \(configuration\): (\S+?):? ", message)
        verdict = named.group(1) if named else message

    # THEN
    assert verdict == case["expect"], message
    if "sessionName" in case:
        assert session_name == case["sessionName"]
    if "secret" in case:
        assert case["secret"] not in message


def test_the_error_layers_are_the_node_shims() -> None:
    assert "configuration" in ERROR_LAYERS and "identity-mismatch" in ERROR_LAYERS and "no-target-role" in ERROR_LAYERS
    with pytest.raises(ValueError):
        BedrockHubError("not-a-layer", "problem", "hint")


def test_the_constants_come_from_the_generated_module() -> None:
    assert _contract.__doc__ is not None
    source = Path(_contract.__file__).read_text(encoding="utf-8")
    assert source.startswith("# Generated from src/contract")


def id_problem(case: Dict[str, Any]) -> Optional[str]:
    kind, value = case["kind"], case["value"]
    if kind == "accountId":
        return describe_account_id_problem(value)
    if kind == "bedrockArn":
        problem = describe_bedrock_arn_problem(value)
        assert (parse_bedrock_arn(value) is None) == (problem is not None)
        return problem
    if kind == "foundationModelId":
        assert geography_prefix_of(value) == case["geography"]
        return None if is_foundation_model_id(value) else "not a foundation model id"
    return describe_bedrock_id_problem(kind, value)


@pytest.mark.parametrize("case", TABLE["ids"], ids=[f"{c['kind']} {c['value']!r}" for c in TABLE["ids"]])
def test_same_verdict_on_bedrock_ids_as_the_typescript_contract(case: Dict[str, Any]) -> None:
    problem = id_problem(case)
    assert (problem is None) == case["valid"], problem
    if "says" in case:
        assert problem is not None and case["says"] in problem


@pytest.mark.parametrize("case", TABLE["requests"], ids=[c["name"] for c in TABLE["requests"]])
def test_same_verdict_on_bedrock_requests_as_the_typescript_contract(case: Dict[str, Any]) -> None:
    # GIVEN a hub client signing as the table's role
    context = TABLE["requestContext"]

    # WHEN
    error = check_bedrock_request(
        case["operation"], case["params"], context["roleArn"], context["account"], context["region"], False, lambda account: None
    )

    # THEN
    assert (error.layer if error else "accepted") == case["expect"], error
    if "says" in case:
        assert error is not None and case["says"] in str(error)


@pytest.mark.parametrize(
    "region, geography",
    [("us-east-1", "us"), ("ca-central-1", "us"), ("us-gov-west-1", "us-gov"), ("eu-central-1", "eu"),
     ("ap-northeast-1", "apac"), ("sa-east-1", None), ("me-central-1", None)],
)
def test_a_caller_uses_the_geographic_profiles_of_its_regions_source_geography(region: str, geography: Optional[str]) -> None:
    from bedrock_hub_access.bedrock_resources import source_geography_of

    assert source_geography_of(region) == geography
