"""Checks made before a Bedrock call leaves the process, on the call's parameters (the Node shim's
``request-checks.ts``, in a botocore ``before-parameter-build`` hook):

- identifiers are well-formed: an agent alias id with a stray quote or a knowledge base id with a
  trailing newline is named, not sent to AWS;
- resource ARNs are in the account of the role the client signs as: an application inference
  profile, guardrail or prompt in the workload account fails here with the fix, not in Bedrock with
  an AccessDenied that does not say why.

The hook runs before credentials are resolved: a request refused here costs no network call, not
even AssumeRole.
"""

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ._contract import ENV
from .bedrock_resources import BedrockArnParts, describe_bedrock_id_problem, parse_bedrock_arn
from .errors import BedrockHubError

RequestField = Tuple[str, str, Any]
"""(path in the parameters, id kind, value)."""


def _guardrail(prefix: str, config: Any, id_key: str) -> List[RequestField]:
    if not isinstance(config, Mapping):
        return []
    at = f"{prefix}." if prefix else ""
    return [(f"{at}{id_key}", id_key, config.get(id_key)), (f"{at}guardrailVersion", "guardrailVersion", config.get("guardrailVersion"))]


def _model(p: Mapping[str, Any]) -> List[RequestField]:
    return [("modelId", "modelId", p.get("modelId"))]


def _converse(p: Mapping[str, Any]) -> List[RequestField]:
    return _model(p) + _guardrail("guardrailConfig", p.get("guardrailConfig"), "guardrailIdentifier")


def _invoke_model(p: Mapping[str, Any]) -> List[RequestField]:
    return _model(p) + _guardrail("", p if "guardrailIdentifier" in p else None, "guardrailIdentifier")


def _retrieve_and_generate(p: Mapping[str, Any]) -> List[RequestField]:
    config = p.get("retrieveAndGenerateConfiguration") or {}
    kb = config.get("knowledgeBaseConfiguration") or {}
    at = "retrieveAndGenerateConfiguration.knowledgeBaseConfiguration"
    return [
        (f"{at}.knowledgeBaseId", "knowledgeBaseId", kb.get("knowledgeBaseId")),
        (f"{at}.modelArn", "modelId", kb.get("modelArn")),
        *_guardrail(
            f"{at}.generationConfiguration.guardrailConfiguration",
            (kb.get("generationConfiguration") or {}).get("guardrailConfiguration"),
            "guardrailId",
        ),
        ("retrieveAndGenerateConfiguration.externalSourcesConfiguration.modelArn", "modelId",
         (config.get("externalSourcesConfiguration") or {}).get("modelArn")),
    ]


REQUEST_FIELDS: Dict[str, Callable[[Mapping[str, Any]], List[RequestField]]] = {
    # bedrock-runtime
    "Converse": _converse,
    "ConverseStream": _converse,
    "CountTokens": _model,
    "InvokeModel": _invoke_model,
    "InvokeModelWithResponseStream": _invoke_model,
    "InvokeModelWithBidirectionalStream": _model,
    "ApplyGuardrail": lambda p: _guardrail("", p, "guardrailIdentifier"),
    # bedrock-agent-runtime
    "InvokeAgent": lambda p: [("agentId", "agentId", p.get("agentId")), ("agentAliasId", "agentAliasId", p.get("agentAliasId"))],
    "Retrieve": lambda p: [("knowledgeBaseId", "knowledgeBaseId", p.get("knowledgeBaseId"))]
    + _guardrail("guardrailConfiguration", p.get("guardrailConfiguration"), "guardrailId"),
    "RetrieveAndGenerate": _retrieve_and_generate,
    "RetrieveAndGenerateStream": _retrieve_and_generate,
    # bedrock (control plane)
    "GetInferenceProfile": lambda p: [("inferenceProfileIdentifier", "inferenceProfileIdentifier", p.get("inferenceProfileIdentifier"))],
    "GetGuardrail": lambda p: _guardrail("", p, "guardrailIdentifier"),
}
"""The identifiers of the Bedrock operations the shim checks; other operations are sent unchecked."""


def check_bedrock_request(
    operation: str,
    params: Any,
    role_arn: str,
    account: str,
    region: str,
    target: bool,
    role_for: Callable[[str], Optional[str]],
) -> Optional[BedrockHubError]:
    """The first problem with the identifiers of a request (layer ``invalid-identifier`` or
    ``resource-account``); ``None`` when there is none or the operation is not one the shim knows."""
    fields = REQUEST_FIELDS.get(operation)
    if fields is None or not isinstance(params, Mapping):
        return None
    for name, kind, value in fields(params):
        if not isinstance(value, str):
            continue
        problem = describe_bedrock_id_problem(kind, value)
        if problem:
            return BedrockHubError(
                "invalid-identifier",
                f"{operation}: {name} {problem}",
                "Nothing was sent. Fix the value where it comes from (a registry, a variable, a parameter): ids are stored without quotes or whitespace.",
            )
        arn = parse_bedrock_arn(value) if value.startswith("arn:") else None
        if arn is not None and arn.account and arn.account != account:
            return _resource_account_error(operation, name, value, arn, role_arn, account, region, target, role_for)
    return None


def _resource_account_error(
    operation: str, name: str, value: str, arn: BedrockArnParts, role_arn: str, account: str, region: str, target: bool,
    role_for: Callable[[str], Optional[str]],
) -> BedrockHubError:
    who = "target role" if target else "hub role"
    kind = arn.resource_type
    other = role_for(arn.account)
    if other:
        hint = f"Make this call with a client of hub.for_resource('{value}'), which signs as {other} in account {arn.account}."
    elif kind in ("agent", "agent-alias", "knowledge-base", "flow"):
        hint = (
            f'Add a target role for account {arn.account} to {ENV["TARGETS"]} ({{"roleArn":"arn:{arn.partition}:iam::{arn.account}:role/<name>"}}), '
            "then make the call with a client of hub.for_resource(arn)."
        )
    elif kind == "inference-profile":
        hint = f"Use the profile id {arn.resource_id} instead of this ARN: system-defined inference profiles resolve in every account."
    else:
        hint = f"Move it to account {account} (the {who}'s, in {region}) and use that ARN" + (
            "." if kind == "guardrail" else ", or use a system-defined cross-region inference profile (us., eu., global., …)."
        )
    return BedrockHubError(
        "resource-account",
        f"{operation}: {name} is the {kind} {value} in account {arn.account}, but this client signs as the {who} {role_arn} "
        f"in account {account}, where that {kind} cannot be used. Nothing was sent.",
        hint,
    )
