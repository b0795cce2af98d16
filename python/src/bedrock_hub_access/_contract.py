# Generated from src/contract and lambda-shim (BedrockHubErrorLayer, the STS retry policy) by
# python/scripts/generate-contract.ts: `npx projen python:contract`. Do not edit by hand.
"""The contract between the constructs and the shims: names, patterns and limits, written once."""

from typing import Any, Dict, Tuple


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
    "RUNTIME_API": "AWS_LAMBDA_RUNTIME_API",
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

ROLE_ARN_PATTERN: str = "(?a)\\Aarn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::[0-9]{12}:role/([!-.0-~]+/)*[\\w+=,.@-]{1,64}\\Z"
"""A role ARN. Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict."""

EXTERNAL_ID_LIMITS: Dict[str, int] = {
    "min": 2,
    "max": 1224,
}
"""`ExternalId` length."""

EXTERNAL_ID_PATTERN: str = "(?a)\\A[\\w+=,.@:/-]{2,1224}\\Z"
"""`ExternalId`. Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict."""

SESSION_NAME_LIMITS: Dict[str, int] = {
    "min": 2,
    "max": 64,
}
"""`RoleSessionName` length."""

SESSION_NAME_PATTERN: str = "(?a)\\A[\\w+=,.@-]{2,64}\\Z"
"""`RoleSessionName`. Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict."""

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

ACCOUNT_ID_PATTERN: str = "(?a)\\A[0-9]{12}\\Z"
"""A 12-digit account id. Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict."""

REGION_PATTERN: str = "(?a)\\A[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}\\Z"
"""A region code (`us-east-1`, `us-gov-west-1`). Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict."""

BEDROCK_ARN_PATTERN: str = "(?a)\\Aarn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):(bedrock|sagemaker):([a-z0-9-]*):([0-9]{12})?:([a-z-]+)/([^\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+)\\Z"
"""A Bedrock resource ARN; groups: partition, service, region, account (or None), resource type, resource id. Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict."""

BEDROCK_RESOURCE_TYPES: Dict[str, Dict[str, Any]] = {
    "foundation-model": {
        "id": "(?a)\\A[a-z0-9-]+\\.[A-Za-z0-9][A-Za-z0-9._:-]{0,200}\\Z",
        "shape": "foundation-model/<provider>.<model>",
        "account": "none",
    },
    "inference-profile": {
        "id": "(?a)\\A[a-zA-Z0-9-:.]{1,2048}\\Z",
        "shape": "inference-profile/<geography>.<provider>.<model>",
        "account": "required",
    },
    "application-inference-profile": {
        "id": "(?a)\\A[a-zA-Z0-9-:.]{1,2048}\\Z",
        "shape": "application-inference-profile/<id>",
        "account": "required",
    },
    "guardrail": {
        "id": "(?a)\\A[a-z0-9]{1,2048}\\Z",
        "shape": "guardrail/<lower-case letters and digits>",
        "account": "required",
    },
    "guardrail-profile": {
        "id": "(?a)\\A[a-z]+(-[a-z]+)*\\.guardrail\\.v[0-9]+:[0-9]+\\Z",
        "shape": "guardrail-profile/<geography>.guardrail.v<n>:<n>",
        "account": "required",
    },
    "agent": {
        "id": "(?a)\\A[0-9a-zA-Z]{10}\\Z",
        "shape": "agent/<10 letters and digits>",
        "account": "required",
    },
    "agent-alias": {
        "id": "(?a)\\A[0-9a-zA-Z]{10}/[0-9a-zA-Z]{10}\\Z",
        "shape": "agent-alias/<agent id>/<alias id>, each 10 letters and digits",
        "account": "required",
    },
    "knowledge-base": {
        "id": "(?a)\\A[0-9a-zA-Z]{10}\\Z",
        "shape": "knowledge-base/<10 letters and digits>",
        "account": "required",
    },
    "prompt": {
        "id": "(?a)\\A[0-9a-zA-Z]{10}(:[0-9]{1,5})?\\Z",
        "shape": "prompt/<10 letters and digits>[:<version>]",
        "account": "required",
    },
    "flow": {
        "id": "(?a)\\A[0-9a-zA-Z]{10}(/alias/[0-9a-zA-Z]{10})?\\Z",
        "shape": "flow/<flow id>[/alias/<alias id>]",
        "account": "required",
    },
}
"""Per Bedrock resource type: its id after `<type>/` (`id`, a pattern for `re.search`), the resource part as messages show it (`shape`), and whether its ARN names the owning account (`account`: `required` or `none`). Other types only need a non-empty id."""

GEOGRAPHIES: Dict[str, Dict[str, Any]] = {
    "us": {
        "name": "US",
        "regionPrefixes": (
            "us-east-",
            "us-west-",
        ),
    },
    "us-gov": {
        "name": "AWS GovCloud (US)",
        "regionPrefixes": (
            "us-gov-",
        ),
    },
    "eu": {
        "name": "EU",
        "regionPrefixes": (
            "eu-",
        ),
    },
    "apac": {
        "name": "APAC",
        "regionPrefixes": (
            "ap-",
            "me-central-1",
        ),
    },
    "jp": {
        "name": "Japan",
        "regionPrefixes": (
            "ap-northeast-1",
            "ap-northeast-3",
        ),
    },
    "au": {
        "name": "Australia",
        "regionPrefixes": (
            "ap-southeast-2",
            "ap-southeast-4",
        ),
    },
    "global": {
        "name": "global",
        "regionPrefixes": (
            "",
        ),
    },
}
"""The geography prefixes of system-defined inference profile ids: the name and the region code prefixes (`""` for global) of each."""

SOURCE_REGION_GEOGRAPHIES: Dict[str, str] = {
    "us-gov-": "us-gov",
    "us-": "us",
    "ca-": "us",
    "eu-": "eu",
    "ap-": "apac",
}
"""Whose geographic profiles a caller in a region uses: region code prefix → geography, the first prefix that matches."""

FOUNDATION_MODEL_ID_PATTERN: str = "(?a)\\A[a-z0-9-]+\\.[A-Za-z0-9][A-Za-z0-9._:-]{0,200}\\Z"
"""A foundation model id, `<provider>.<model>` (a geography is not a provider: see GEOGRAPHIES). Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict."""

BEDROCK_ID_RULES: Dict[str, Dict[str, Any]] = {
    "agentId": {
        "pattern": "(?a)\\A[0-9a-zA-Z]{10}\\Z",
        "shape": "an agent id is 10 letters and digits, e.g. PEGHWIVI5Y",
    },
    "agentAliasId": {
        "pattern": "(?a)\\A[0-9a-zA-Z]{10}\\Z",
        "shape": "an agent alias id is 10 letters and digits (e.g. IO1GTTHP0M), or TSTALIASID for the draft",
    },
    "knowledgeBaseId": {
        "pattern": "(?a)\\A[0-9a-zA-Z]{10}\\Z",
        "shape": "a knowledge base id is 10 letters and digits, e.g. KB12345678",
    },
    "guardrailId": {
        "pattern": "(?a)\\A[a-z0-9]{1,2048}\\Z",
        "shape": "a guardrail id is lower-case letters and digits, e.g. gr4abc123xyz",
    },
    "guardrailVersion": {
        "pattern": "(?a)\\A([1-9][0-9]{0,7}|DRAFT)\\Z",
        "shape": "a guardrail version is a number from 1, or DRAFT",
    },
    "guardrailIdentifier": {
        "pattern": "(?a)\\A[a-z0-9]{1,2048}\\Z",
        "shape": "a guardrail identifier is its id (lower-case letters and digits) or its ARN",
    },
    "modelId": {
        "pattern": "(?a)\\A[\\w.:/-]{1,2048}\\Z",
        "shape": "a model id looks like anthropic.claude-3-haiku-20240307-v1:0 or us.amazon.nova-lite-v1:0, or is an ARN",
    },
    "inferenceProfileIdentifier": {
        "pattern": "(?a)\\A[a-zA-Z0-9-:.]{1,2048}\\Z",
        "shape": "an inference profile identifier is its id (us.anthropic.claude-3-haiku-20240307-v1:0) or its ARN",
    },
}
"""Per request field: the pattern of its value when it is not an ARN (for `re.search`), and the expected shape as messages give it."""

BEDROCK_ID_ARN_TYPES: Dict[str, str] = {
    "guardrailIdentifier": "(?a)\\Aguardrail\\Z",
    "inferenceProfileIdentifier": "(?a)\\A(application-)?inference-profile\\Z",
    "modelId": "(?a)[^\\n\\r\\u2028\\u2029]",
}
"""The request fields that also take an ARN, and the resource types (a pattern for `re.search`) their ARN may have."""

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
    "model-access",
    "model-routing",
    "vpc-endpoint-policy",
    "hub-quota",
)
"""The layers a `BedrockHubError` names, as the Node shim's `BedrockHubErrorLayer`."""

STS_REGION_LIMITS: Dict[str, int] = {
    "max": 5,
}
"""How many regions `BEDROCK_ASSUME_ROLE_STS_REGIONS` may name."""

STS_RETRY: Dict[str, int] = {
    "throttleBaseDelayMs": 4000,
    "throttleMaxDelayMs": 8000,
    "defaultThrottleBudgetMs": 10000,
    "lambdaSafetyMarginMs": 1000,
    "minAttemptMs": 250,
    "regionFailureMemoryMs": 60000,
}
"""How both shims retry AssumeRole, in ms (the Node shim's `sts-backoff.ts` and `sts-regions.ts`): throttles with exponential backoff and full jitter from `throttleBaseDelayMs`, each wait at most `throttleMaxDelayMs`, until `lambdaSafetyMarginMs` before the invocation's deadline (or for `defaultThrottleBudgetMs` without one), a retry only with `minAttemptMs` left after its wait; a region that answered 5xx or could not be reached is skipped for `regionFailureMemoryMs`."""
