"""Amazon Bedrock ids and resource ARNs, per resource type, for Python: the same checks and texts as
``src/contract/bedrock-resources.ts``, from the patterns :mod:`bedrock_hub_access._contract` generates
from it (see :mod:`bedrock_hub_access.contract` for how patterns and lengths are translated).

AWS source: Bedrock resource types and ARN formats
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html).
"""

import re
from typing import Dict, NamedTuple, Optional

from . import _contract
from ._contract import BEDROCK_RESOURCE_TYPES, GEOGRAPHIES, PARTITIONS, SOURCE_REGION_GEOGRAPHIES
from .contract import ACCOUNT_ID_PATTERN, describe_stray_character, js_length, show_value

BEDROCK_ARN_PATTERN = re.compile(_contract.BEDROCK_ARN_PATTERN)
FOUNDATION_MODEL_ID_PATTERN = re.compile(_contract.FOUNDATION_MODEL_ID_PATTERN)
_RESOURCE_ID_PATTERNS = {kind: re.compile(rule["id"]) for kind, rule in BEDROCK_RESOURCE_TYPES.items()}
_ID_PATTERNS = {kind: re.compile(rule["pattern"]) for kind, rule in _contract.BEDROCK_ID_RULES.items()}
_ID_SHAPES: Dict[str, str] = {kind: rule["shape"] for kind, rule in _contract.BEDROCK_ID_RULES.items()}
_ID_ARN_TYPES = {kind: re.compile(source) for kind, source in _contract.BEDROCK_ID_ARN_TYPES.items()}


class BedrockArnParts(NamedTuple):
    """The parts of a Bedrock resource ARN (``arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345``)."""

    partition: str
    service: str
    """``bedrock``, or ``sagemaker`` for a marketplace endpoint used as a model."""
    region: str
    account: str
    """Empty for resources that belong to no account (``foundation-model/…``)."""
    resource_type: str
    resource_id: str
    """What follows the type and its '/': ``AGENT12345/ALIAS12345`` for an agent alias."""


def geography_prefix_of(model_id: str) -> Optional[str]:
    """The geography prefix of a model or profile id (``eu`` of ``eu.amazon.nova-pro-v1:0``), if it has a known one."""
    dot = model_id.find(".")
    prefix = model_id[:dot] if dot > 0 else ""
    return prefix if prefix in GEOGRAPHIES else None


def is_foundation_model_id(model_id: str) -> bool:
    """A foundation model id that is not a profile id: ``<provider>.<model>``, the provider no geography."""
    return FOUNDATION_MODEL_ID_PATTERN.search(model_id) is not None and geography_prefix_of(model_id) is None


def _describe_type_problem(value: str, parts: BedrockArnParts) -> Optional[str]:
    """Why the parts of a syntactically valid Bedrock ARN do not fit its resource type; ``None`` when they do."""
    if parts.service != "bedrock":
        return None
    rule = BEDROCK_RESOURCE_TYPES.get(parts.resource_type)
    if rule is None:
        return None
    shown = show_value(value)
    region = parts.region or "<region>"
    if parts.resource_type == "foundation-model":
        geography = geography_prefix_of(parts.resource_id)
        if geography is not None:
            return (
                f"{shown} has the inference profile id '{parts.resource_id}' inside a foundation-model ARN, which no model has "
                f"('{geography}.' is a geography, not a provider). Pass the profile id '{parts.resource_id}' as it is "
                f"(or its inference-profile ARN, in your account), or the foundation model id '{parts.resource_id[len(geography) + 1:]}'."
            )
        if parts.account != "":
            return (
                f"{shown} names the account {parts.account}, but foundation-model ARNs have none: "
                f"arn:{parts.partition}:bedrock:{parts.region}::foundation-model/{parts.resource_id}."
            )
    elif rule["account"] == "required" and parts.account == "":
        if parts.resource_type == "inference-profile":
            return (
                f"{shown} has no account, but an inference-profile ARN names the account that calls it "
                f"(arn:{parts.partition}:bedrock:{region}:<account>:inference-profile/{parts.resource_id}); "
                f"or pass the profile id '{parts.resource_id}' alone."
            )
        return (
            f"{shown} has no account, but a {parts.resource_type} ARN names the account that owns it: "
            f"arn:{parts.partition}:bedrock:{region}:<account>:{parts.resource_type}/{parts.resource_id}."
        )
    if not _RESOURCE_ID_PATTERNS[parts.resource_type].search(parts.resource_id):
        return f"{shown} does not end in {rule['shape']}."
    return None


def _split_bedrock_arn(value: str) -> Optional[BedrockArnParts]:
    match = BEDROCK_ARN_PATTERN.search(value)
    if not match:
        return None
    partition, service, region, account, resource_type, resource_id = match.groups()
    return BedrockArnParts(partition, service, region, account or "", resource_type, resource_id)


def parse_bedrock_arn(value: str) -> Optional[BedrockArnParts]:
    """Splits a valid Bedrock resource ARN; ``None`` for anything else (see :func:`describe_bedrock_arn_problem`)."""
    parts = _split_bedrock_arn(value)
    return parts if parts is not None and _describe_type_problem(value, parts) is None else None


def describe_bedrock_arn_problem(value: str) -> Optional[str]:
    """Why ``value`` is not a Bedrock resource ARN, with the expected shape; ``None`` when it is one."""
    parts = _split_bedrock_arn(value)
    type_problem: Optional[str] = None
    if parts is not None:
        type_problem = _describe_type_problem(value, parts)
        if type_problem is None:
            return None
    stray = describe_stray_character(value)
    if stray:
        return f"{stray}."
    if type_problem:
        return type_problem
    shape = "a Bedrock ARN looks like arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB12345678"
    pieces = value.split(":")
    if len(pieces) < 6 or pieces[0] != "arn":
        return f"{show_value(value)} is not an ARN: {shape}."
    partition, service, account = pieces[1], pieces[2], pieces[4]
    if partition not in PARTITIONS:
        return f"{show_value(value)} has the unknown partition '{partition}'."
    if service not in ("bedrock", "sagemaker"):
        return f"{show_value(value)} is an ARN of the '{service}' service, not of Bedrock: {shape}."
    if account != "" and not ACCOUNT_ID_PATTERN.search(account):
        return f"{show_value(value)} has the account '{account}', which is not 12 digits."
    resource = ":".join(pieces[5:])
    slash = resource.find("/")
    rule = BEDROCK_RESOURCE_TYPES.get(resource[:slash]) if slash > 0 else None
    if rule:
        return f"{show_value(value)} does not end in {rule['shape']}."
    return f"{show_value(value)} is not a Bedrock resource ARN: {shape}."


def describe_bedrock_id_problem(kind: str, value: str) -> Optional[str]:
    """Why ``value`` is not a usable Bedrock id of this kind (``agentId``, ``agentAliasId``,
    ``knowledgeBaseId``, ``guardrailId``, ``guardrailIdentifier``, ``guardrailVersion``, ``modelId``,
    ``inferenceProfileIdentifier``): a stray quote or whitespace is named, the shape given. ``None``
    when it is one. The text reads on from the field name, as the TypeScript side's."""
    pattern, shape = _ID_PATTERNS[kind], _ID_SHAPES[kind]
    arn_types = _ID_ARN_TYPES.get(kind)
    if arn_types is not None and value.startswith("arn:"):
        arn_problem = describe_bedrock_arn_problem(value)
        if arn_problem:
            return arn_problem
        parts = parse_bedrock_arn(value)
        assert parts is not None
        return None if arn_types.search(parts.resource_type) else f"{show_value(value)} is a {parts.resource_type} ARN; {shape}."
    if pattern.search(value):
        return None
    stray = describe_stray_character(value)
    if stray:
        return f"{stray}; {shape}."
    if kind in ("agentId", "agentAliasId", "knowledgeBaseId") and js_length(value) != 10:
        return f"{show_value(value)} has {js_length(value)} characters; {shape}."
    return f"{show_value(value)} is not valid: {shape}."


def source_geography_of(region: str) -> Optional[str]:
    """The geography whose system-defined profiles a caller in ``region`` uses (``SOURCE_REGION_GEOGRAPHIES``, the first prefix that matches)."""
    return next((geography for prefix, geography in SOURCE_REGION_GEOGRAPHIES.items() if region.startswith(prefix)), None)
