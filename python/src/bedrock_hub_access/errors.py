"""What failed, in which layer, and what to do about it.

:class:`BedrockHubError` names the layer (the same names as the Node shim's
``BedrockHubErrorLayer``, generated into :data:`bedrock_hub_access._contract.ERROR_LAYERS`) and
carries a hint. :func:`assume_role_error` turns what ``sts:AssumeRole`` raised into one.

Nothing here puts a secret into a message: the ExternalId value, secret keys and session tokens
never reach this module (only whether an ExternalId was sent).
"""

import re
from typing import Any, Dict, NamedTuple, Optional, Sequence, Tuple

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)

from ._contract import ENV, ERROR_LAYERS


class BedrockHubError(Exception):
    """An error of the hub path, with the layer that failed and what to do.

    ``str(error)`` reads ``bedrock-hub-access (<layer>): <what happened> <hint>``, so the whole
    diagnosis shows wherever only the message is logged. The original error is ``__cause__``.

    :ivar layer: which layer failed, one of :data:`ERROR_LAYERS` (``configuration``,
        ``sts-unreachable``, ``trust-policy``, ``identity-mismatch``, …)
    :ivar hint: what to do about it
    """

    def __init__(self, layer: str, problem: str, hint: str) -> None:
        if layer not in ERROR_LAYERS:
            raise ValueError(f"unknown BedrockHubError layer {layer!r}")
        # Not super(): an explained service error also derives from the service's own exception class.
        Exception.__init__(self, f"bedrock-hub-access ({layer}): {problem} {hint}")
        self.layer = layer
        self.hint = hint

    def to_dict(self) -> Dict[str, Any]:
        """A structured form for JSON logs; the cause is reduced to its type, code and message."""
        cause = self.__cause__
        return {
            "name": "BedrockHubError",
            "layer": self.layer,
            "message": str(self),
            "hint": self.hint,
            "cause": None if cause is None else {"type": type(cause).__name__, "code": error_code(cause), "message": error_message(cause)},
        }


def configuration_error(name: str, problem: str, fix: str) -> BedrockHubError:
    """A bad variable or option value: ``name`` is the variable, ``problem`` reads on from it."""
    joiner = " " if re.match(r"[a-z]", problem) else ": "
    return BedrockHubError("configuration", f"{name}{joiner}{problem}", fix)


def error_code(error: BaseException) -> Optional[str]:
    """The service error code (``AccessDenied``, ``ExpiredTokenException``, …) of a botocore ``ClientError``."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code")
        return code if isinstance(code, str) and code else None
    return None


def error_message(error: BaseException) -> str:
    """The service's own message for a ``ClientError``; the exception text otherwise."""
    if isinstance(error, ClientError):
        message = error.response.get("Error", {}).get("Message")
        return message if isinstance(message, str) else ""
    return str(error)


def is_expired_token_code(code: Optional[str]) -> bool:
    """``ExpiredToken`` (STS, query protocol) or ``ExpiredTokenException`` (JSON protocols)."""
    return code in ("ExpiredToken", "ExpiredTokenException")


_NETWORK_ERRORS = (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError, ConnectionClosedError)
_ACCESS_DENIED = {"AccessDenied", "AccessDeniedException"}
_THROTTLING = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"}
_LOCAL_CREDENTIAL_CODES = {
    "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken",
    "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId",
}


class AssumeRoleErrorContext(NamedTuple):
    """What an AssumeRole error is explained against. Never holds the ExternalId value."""

    role_arn: str
    sts_region: str
    external_id_set: bool
    duration_seconds: int
    sts_endpoint: Optional[str] = None
    tag_keys: Sequence[str] = ()
    source_identity_set: bool = False


def _caller_arn(message: str) -> Optional[str]:
    match = re.search(r"User: (arn:\S+?) is not authorized", message)
    return match.group(1) if match else None


def assume_role_error(error: BaseException, ctx: AssumeRoleErrorContext) -> BedrockHubError:
    """Turns what ``sts:AssumeRole`` raised into a :class:`BedrockHubError` that names the layer.

    Layers: ``sts-unreachable`` (no connection, timeouts), ``local-credentials`` (the function's own
    credentials missing or rejected), ``attribution`` (session tags / source identity refused),
    ``caller-policy`` / ``trust-policy`` / ``assume-role-denied`` (AccessDenied, by the reason STS
    gave: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
    ``sts-throttled``, ``session-duration``, and ``sts`` for anything else.
    """
    if isinstance(error, BedrockHubError):
        return error
    code = error_code(error) or type(error).__name__
    message = error_message(error)
    said = f": {message}" if message else ""
    endpoint = ctx.sts_endpoint or f"the regional STS endpoint of {ctx.sts_region} (sts.{ctx.sts_region}.amazonaws.com)"

    if isinstance(error, _NETWORK_ERRORS):
        return BedrockHubError(
            "sts-unreachable",
            f"Could not reach {endpoint} to assume {ctx.role_arn} ({code}{said}).",
            f"A function in a VPC needs an STS interface VPC endpoint (com.amazonaws.{ctx.sts_region}.sts) with private DNS enabled, "
            "or a route to the internet through a NAT gateway; the endpoint's security group must allow HTTPS (443) from the function. "
            "If AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL is set, check that it points at a reachable STS endpoint.",
        )
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return BedrockHubError(
            "local-credentials",
            f"Could not load the function's own credentials to call AssumeRole on {ctx.role_arn}{said}.",
            "In Lambda these come from the execution role automatically; elsewhere, configure credentials for the default chain "
            "or pass `master_session`.",
        )
    attribution = _attribution_error(code, message, ctx)
    if attribution:
        return attribution
    if code in _ACCESS_DENIED:
        return _access_denied_error(message, ctx)
    if code in _THROTTLING:
        return BedrockHubError(
            "sts-throttled",
            f"STS throttled AssumeRole on {ctx.role_arn} ({code}{said}).",
            "The shim already makes one AssumeRole per hub session per process; many concurrent cold starts, or other callers in the "
            "same account and region, share the STS request quota. Retry later, reduce concurrent cold starts, or ask for a higher STS quota.",
        )
    if code == "ValidationError" and re.search("DurationSeconds", message, re.IGNORECASE):
        chaining = bool(re.search("role chaining", message, re.IGNORECASE))
        return BedrockHubError(
            "session-duration",
            f"STS refused DurationSeconds={ctx.duration_seconds} for {ctx.role_arn}{said}.",
            f"From Lambda, assuming the hub role is role chaining, which STS caps at one hour: set {ENV['DURATION_SECONDS']} to 3600 or less."
            if chaining
            else f"Set {ENV['DURATION_SECONDS']} to at most the hub role's MaxSessionDuration, or raise the role's MaxSessionDuration.",
        )
    if code == "RegionDisabledException":
        return BedrockHubError(
            "sts",
            f"STS is not activated in {ctx.sts_region} for the calling account{said}.",
            f"Activate the STS endpoint for {ctx.sts_region} in the workload account (IAM > Account settings), or run in a region where it is active.",
        )
    if code in _LOCAL_CREDENTIAL_CODES:
        return BedrockHubError(
            "local-credentials",
            f"STS rejected the function's own credentials when assuming {ctx.role_arn} ({code}{said}).",
            "These are the credentials AssumeRole is signed with (the execution role in Lambda, or `master_session`). "
            "Check that they are current and belong to the partition of the STS endpoint; in an opt-in region, check that the region is enabled for the account.",
        )
    return BedrockHubError(
        "sts",
        f"AssumeRole on {ctx.role_arn} failed in {ctx.sts_region} ({code}{said}).",
        "If this persists, check the AWS Health Dashboard for STS in this region; the error's cause has the request id for AWS Support.",
    )


def _attribution_error(code: str, message: str, ctx: AssumeRoleErrorContext) -> Optional[BedrockHubError]:
    tags_sent = len(ctx.tag_keys) > 0
    if not tags_sent and not ctx.source_identity_set:
        return None
    said = f" STS said: {message}" if message else ""
    sent = " and ".join(
        part
        for part in (
            f"the session tags {', '.join(ctx.tag_keys)} (from {ENV['SESSION_TAGS']} / {ENV['FUNCTION_NAME_TAG_KEY']})" if tags_sent else "",
            f"a SourceIdentity (from {ENV['SOURCE_IDENTITY']})" if ctx.source_identity_set else "",
        )
        if part
    )
    action_match = re.search(r"sts:(TagSession|SetSourceIdentity)\b", message)
    if code in _ACCESS_DENIED and action_match:
        action = action_match.group(0)
        caller = _caller_arn(message) or "the function's execution role"
        side = (
            " STS blames the caller's side."
            if re.search("identity-based policy|permissions boundary|service control policy", message, re.IGNORECASE)
            else " STS blames the trust policy." if re.search("resource-based policy", message, re.IGNORECASE) else ""
        )
        return BedrockHubError(
            "attribution",
            f"AssumeRole on {ctx.role_arn} sent {sent}, and {caller} may not {action} on it.{side}{said}",
            f"Allow {action} on both sides: in the execution role's identity-based policy, on {ctx.role_arn} next to sts:AssumeRole, "
            f"AND in the trust policy of {ctx.role_arn}, in the statement that allows sts:AssumeRole. Or stop sending them (unset the variables above).",
        )
    if code.startswith("PackedPolicyTooLarge"):
        return BedrockHubError(
            "attribution",
            f"AssumeRole on {ctx.role_arn} sent {sent}, and STS found the packed session too large.{said}",
            "Session tags share a packed size limit with session policies (STS reports the share used): send fewer tags, or shorter keys and values.",
        )
    if re.match("(InvalidParameterValue|ValidationError)", code) and re.search(r"\btags?\b|source ?identity", message, re.IGNORECASE):
        return BedrockHubError(
            "attribution",
            f"STS rejected {sent} on AssumeRole on {ctx.role_arn} ({code}).{said}",
            f"Fix {ENV['SESSION_TAGS'] if tags_sent else ENV['SOURCE_IDENTITY']}: tag keys are unique regardless of case and may not override "
            "transitive tags of the calling session; a source identity, once set on a session, cannot be changed by role chaining.",
        )
    return None


def _access_denied_error(message: str, ctx: AssumeRoleErrorContext) -> BedrockHubError:
    caller = _caller_arn(message) or "the function's execution role"
    said = f" STS said: {message}" if message else ""
    external_id_text = (
        f"the trust policy's sts:ExternalId condition must equal {ENV['EXTERNAL_ID']}"
        if ctx.external_id_set
        else f"{ENV['EXTERNAL_ID']} is not set, so no ExternalId was sent: if the trust policy has an sts:ExternalId condition, set it to the same value"
    )
    caller_side = (
        f"the workload side: the execution role {caller} needs an identity-based policy allowing sts:AssumeRole on exactly {ctx.role_arn} "
        "(the BedrockHubAccess construct grants it); a permissions boundary or SCP in the workload account can also deny it. "
        f"A common cause is a role ARN and ExternalId pasted together into one value: {ENV['ROLE_ARN']} must be the ARN alone, "
        f"with the ExternalId in {ENV['EXTERNAL_ID']}"
    )
    hub_side = (
        f"the hub side: the trust policy of {ctx.role_arn} must allow {caller} (or its account) as Principal for sts:AssumeRole, "
        f"and {external_id_text}"
    )
    if re.search(
        "no identity-based policy allows|explicit deny in an identity-based policy|permissions boundary|service control policy",
        message,
        re.IGNORECASE,
    ):
        return BedrockHubError("caller-policy", f"{caller} may not call sts:AssumeRole on {ctx.role_arn}.{said}", f"Fix {caller_side}.")
    if re.search("no resource-based policy allows|explicit deny in a resource-based policy", message, re.IGNORECASE):
        return BedrockHubError(
            "trust-policy", f"The trust policy of {ctx.role_arn} does not let {caller} assume it.{said}", f"Fix {hub_side}."
        )
    attribution = (
        " Session tags or a source identity were sent: both sides must also allow sts:TagSession / sts:SetSourceIdentity."
        if ctx.tag_keys or ctx.source_identity_set
        else ""
    )
    return BedrockHubError(
        "assume-role-denied",
        f"AssumeRole on {ctx.role_arn} was denied for {caller}, and STS did not say by which policy.{said}",
        f"Check both sides. (1) {caller_side[0].upper()}{caller_side[1:]}. (2) {hub_side[0].upper()}{hub_side[1:]}.{attribution}",
    )


# ---------------------------------------------------------------------------
# Bedrock calls made with hub credentials
# ---------------------------------------------------------------------------


class BedrockErrorContext(NamedTuple):
    """What a Bedrock error is explained against."""

    role_arn: str
    account: str
    """The account of the role the client signs as."""
    region: str
    target: bool = False
    """A target role of ``BEDROCK_ASSUME_ROLE_TARGETS`` rather than the hub role."""


_ARN_IN_TEXT = re.compile(r"arn:[\w-]+:[\w-]+:[\w-]*:(\d{12})?:[^\s,;\"']+")


def explain_bedrock_error(error: BaseException, ctx: BedrockErrorContext) -> Optional[Tuple[str, str, str]]:
    """``(layer, problem, hint)`` for an error of a Bedrock call made through the hub, when the hub adds
    something useful (``wrong-client``, ``hub-resource``, ``hub-permission``); ``None`` otherwise.

    The same rules as the Node shim's ``explainBedrockError``.
    """
    if isinstance(error, BedrockHubError) or not isinstance(error, ClientError):
        return None
    who = "target" if ctx.target else "hub"
    code = error_code(error)
    message = error_message(error)
    said = f" Bedrock said: {message}" if message else ""
    arns = [(m.group(0), m.group(1) or "") for m in _ARN_IN_TEXT.finditer(message)]

    caller = _caller_arn(message)
    if caller:
        caller_accounts = [m.group(1) for m in _ARN_IN_TEXT.finditer(caller) if m.group(1)]
        if caller_accounts and caller_accounts[0] != ctx.account:
            return (
                "wrong-client",
                f"The Bedrock call was made as {caller}, not as the {who} role {ctx.role_arn} (account {ctx.account}).{said}",
                "Make the call with a client of the hub session (get_bedrock_session().client(...) or hub.client(...)); "
                "a client built with boto3.client(...) uses the function's own credentials.",
            )
    foreign = next(
        ((arn, account) for arn, account in arns if account and account != ctx.account and not re.search(r":(sts|iam)::", arn)), None
    )
    if foreign and code in ("AccessDeniedException", "ResourceNotFoundException", "ValidationException"):
        return (
            "hub-resource",
            f"The call names {foreign[0]}, which is in account {foreign[1]}, but calls through the {who} role run as {ctx.role_arn} "
            f"in account {ctx.account}.{said}",
            f"Application inference profiles, guardrails, knowledge bases, prompts and agents are account-scoped: create the resource "
            f"in the {who} account {ctx.account} ({ctx.region}) and use that ARN, or use a system-defined cross-region inference profile "
            "(us., eu., global., …).",
        )
    if code in ("AccessDeniedException", "AccessDenied") and re.search("don't have access to the model", message, re.IGNORECASE):
        return (
            "hub-permission",
            f"Bedrock in {ctx.region} says the {who} account {ctx.account} has no access to this model.{said}",
            f"Enable access to the model in the {who} account {ctx.account}, region {ctx.region} (Bedrock console > Model access; "
            "access is per account and per region, and the workload account's access does not count). AssumeRole succeeded, "
            "so the workload side is fine.",
        )
    if code in ("AccessDeniedException", "AccessDenied"):
        action_match = re.search(r"perform: (bedrock:\w+)", message)
        action = action_match.group(1) if action_match else "the bedrock:* action of this call"
        return (
            "hub-permission",
            f"Bedrock denied the call to the {who} role {ctx.role_arn} in {ctx.region}.{said}",
            f"AssumeRole succeeded, so the workload side is fine. In the {who} account {ctx.account}: allow {action} to the role on "
            f"the model, inference-profile or guardrail ARNs it uses; enable access to the model in {ctx.region} (model access is "
            f"per account and per region); check the {who} account's SCPs and the role's permissions boundary.",
        )
    if code == "ResourceNotFoundException" or (
        code == "ValidationException" and re.search("model identifier|inference profile|model id", message, re.IGNORECASE)
    ):
        return (
            "hub-resource",
            f"Bedrock in {ctx.region} of the {who} account {ctx.account} does not know the resource of this call.{said}",
            f"Resources resolve in the {who} account and region: check that the model, inference profile, guardrail, agent or "
            f"knowledge base exists in {ctx.account} and {ctx.region}, and that the model is offered in {ctx.region}.",
        )
    return None


_EXPLAINED_CLASSES: Dict[type, type] = {}


def explained_service_error(error: ClientError, layer: str, problem: str, hint: str) -> BedrockHubError:
    """A :class:`BedrockHubError` that is also an instance of the service error's own class (so
    ``except ClientError`` and ``except client.exceptions.AccessDeniedException`` still catch it),
    with its ``response`` and ``operation_name``."""
    cls = _EXPLAINED_CLASSES.get(type(error))
    if cls is None:
        cls = type(f"BedrockHub{type(error).__name__}", (BedrockHubError, type(error)), {"__module__": __name__})
        _EXPLAINED_CLASSES[type(error)] = cls
    explained: BedrockHubError = cls(layer, problem, hint)
    explained.response = error.response  # type: ignore[attr-defined]
    explained.operation_name = error.operation_name  # type: ignore[attr-defined]
    return explained
