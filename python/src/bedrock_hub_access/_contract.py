# Generated from src/contract and lambda-shim (BedrockHubErrorLayer) by
# python/scripts/generate-contract.ts: `npx projen python:contract`. Do not edit by hand.
"""The contract between the constructs and the shims: names, patterns and limits, written once."""

from typing import Dict, Tuple


ENV: Dict[str, str] = {
    "ROLE_ARN": "BEDROCK_ASSUME_ROLE_ARN",
    "EXTERNAL_ID": "BEDROCK_ASSUME_ROLE_EXTERNAL_ID",
    "SESSION_NAME": "BEDROCK_ASSUME_ROLE_SESSION_NAME",
    "DURATION_SECONDS": "BEDROCK_ASSUME_ROLE_DURATION_SECONDS",
    "TARGETS": "BEDROCK_ASSUME_ROLE_TARGETS",
    "SESSION_TAGS": "BEDROCK_ASSUME_ROLE_SESSION_TAGS",
    "FUNCTION_NAME_TAG_KEY": "BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY",
    "SOURCE_IDENTITY": "BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY",
    "STS_REGIONS": "BEDROCK_ASSUME_ROLE_STS_REGIONS",
}
"""The environment variables a hub-enabled function receives."""

LAMBDA_ENV: Dict[str, str] = {
    "FUNCTION_NAME": "AWS_LAMBDA_FUNCTION_NAME",
    "REGION": "AWS_REGION",
    "DEFAULT_REGION": "AWS_DEFAULT_REGION",
}
"""Standard Lambda variables the shim reads."""

PARTITIONS: Tuple[str, ...] = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
)
"""Partitions whose role ARNs are accepted."""

ROLE_ARN_PATTERN_SOURCE: str = "arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::[0-9]{12}:role/([!-.0-~]+/)*[\\w+=,.@-]{1,64}"
"""A role ARN (match whole, ASCII)."""

EXTERNAL_ID_LIMITS: Dict[str, int] = {
    "min": 2,
    "max": 1224,
}
"""`ExternalId` length."""

EXTERNAL_ID_PATTERN_SOURCE: str = "[\\w+=,.@:/-]{2,1224}"
"""`ExternalId` (match whole, ASCII)."""

SESSION_NAME_LIMITS: Dict[str, int] = {
    "min": 2,
    "max": 64,
}
"""`RoleSessionName` length."""

SESSION_NAME_PATTERN_SOURCE: str = "[\\w+=,.@-]{2,64}"
"""`RoleSessionName` (match whole, ASCII)."""

DURATION_LIMITS: Dict[str, int] = {
    "min": 900,
    "max": 3600,
}
"""`DurationSeconds` of a role-chained session."""

SESSION_TAG_LIMITS: Dict[str, int] = {
    "maxTags": 50,
    "keyMax": 128,
    "valueMax": 256,
}
"""STS session tag limits."""

ACCOUNT_ID_PATTERN_SOURCE: str = "[0-9]{12}"
"""A 12-digit account id (match whole)."""

BEDROCK_ID_PATTERN_SOURCES: Dict[str, str] = {
    "agentId": "[0-9a-zA-Z]{10}",
    "agentAliasId": "[0-9a-zA-Z]{10}",
    "knowledgeBaseId": "[0-9a-zA-Z]{10}",
    "guardrailId": "[a-z0-9]{1,2048}",
    "guardrailVersion": "([1-9][0-9]{0,7}|DRAFT)",
    "modelId": "[\\w.:/-]{1,2048}",
}
"""Bedrock identifiers that are not ARNs (match whole, ASCII)."""

ERROR_LAYERS: Tuple[str, ...] = (
    "configuration",
    "local-credentials",
    "sts-unreachable",
    "sts-throttled",
    "caller-policy",
    "trust-policy",
    "assume-role-denied",
    "session-duration",
    "identity-mismatch",
    "attribution",
    "sts",
    "expired-token",
    "hub-permission",
    "hub-resource",
    "wrong-client",
    "invalid-identifier",
    "resource-account",
    "no-target-role",
)
"""The layers a `BedrockHubError` names, as the Node shim's `BedrockHubErrorLayer`."""
