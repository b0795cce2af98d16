"""The warning for a way around the hub in the function's environment (the Node shim's
``lambda-shim/bearer-warning.ts``): a Bedrock API key (``AWS_BEARER_TOKEN_BEDROCK``) or an
auth-scheme preference that puts bearer auth first (``AWS_AUTH_SCHEME_PREFERENCE``).

Clients of the hub session never use either (they sign with SigV4 and refuse bearer auth), but any
other client in the process (``boto3.client("bedrock-runtime")`` with a botocore that supports Bedrock
API keys, the Anthropic SDK, an AI framework given only credentials) prefers the API key over the
credentials it was given, and calls Bedrock in the key's account, silently.

Reference: https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html
"""

import logging
import threading
from typing import Callable, List, Mapping, Optional

BEARER_TOKEN_VARIABLE = "AWS_BEARER_TOKEN_BEDROCK"
"""The variable the AWS SDKs and the AI frameworks read a Bedrock API key from."""
AUTH_SCHEME_PREFERENCE_VARIABLE = "AWS_AUTH_SCHEME_PREFERENCE"
"""The SDKs' auth-scheme preference list (e.g. ``httpBearerAuth,sigv4``)."""

_logger = logging.getLogger("bedrock_hub_access")
_lock = threading.Lock()
_warned = False


def bearer_bypass_variables(env: Mapping[str, str]) -> List[str]:
    """The variables of ``env`` that open a way around the hub, by name (never their values)."""
    found: List[str] = []
    if (env.get(BEARER_TOKEN_VARIABLE) or "").strip():
        found.append(BEARER_TOKEN_VARIABLE)
    preference = [s.strip().lower() for s in (env.get(AUTH_SCHEME_PREFERENCE_VARIABLE) or "").split(",") if s.strip()]
    # The SDK takes the first scheme of the list it supports: bearer wins only when listed before sigv4.
    bearer = next((i for i, s in enumerate(preference) if s == "httpbearerauth" or s.endswith("#httpbearerauth")), -1)
    sigv4 = next((i for i, s in enumerate(preference) if s == "sigv4" or s.endswith("#sigv4")), -1)
    if bearer >= 0 and (sigv4 < 0 or bearer < sigv4):
        found.append(AUTH_SCHEME_PREFERENCE_VARIABLE)
    return found


def warn_about_bearer_bypass(env: Mapping[str, str], role_arn: str, warn: Optional[Callable[[str], None]] = None) -> bool:
    """Warns once per process (on the ``bedrock_hub_access`` logger, which Lambda sends to CloudWatch
    Logs) when hub mode is on and ``env`` holds a way around the hub. Names the variables, never their values.

    :param warn: where the warning goes; default ``logging.getLogger("bedrock_hub_access").warning``
    :returns: whether this call warned
    """
    global _warned
    with _lock:
        if _warned:
            return False
        variables = bearer_bypass_variables(env)
        if not variables:
            return False
        _warned = True
    names = " and ".join(variables)
    (warn or _logger.warning)(
        f"bedrock-hub-access: {names} {'are' if len(variables) > 1 else 'is'} set while hub mode is on ({role_arn}). "
        "Clients of the hub session (get_bedrock_session(), hub.client()) sign with the hub role and refuse bearer auth; "
        "any other Bedrock client in this function (a boto3 client not built by the hub session, or an AI framework given only "
        f"credentials) prefers the API key and calls Bedrock in the key's account instead of the hub. Remove {names} from the function's environment."
    )
    return True


def reset_bearer_bypass_warning() -> None:
    """Lets the next :func:`warn_about_bearer_bypass` warn again. For tests."""
    global _warned
    with _lock:
        _warned = False
