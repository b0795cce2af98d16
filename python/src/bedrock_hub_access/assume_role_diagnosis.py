"""The AssumeRole diagnosis: which layer an error from ``sts:AssumeRole`` blames, and what to do
(the Node shim's ``lambda-shim/assume-role-diagnosis.ts``, same layers and hints).

A pure function of the error and the role that was assumed: the caller's policies (identity-based
policy, permissions boundary, SCP), the hub role's trust policy and its ``sts:ExternalId`` condition,
resource control policies, VPC endpoint policies, session tags and source identity, session duration,
throttling, an unreachable STS, the function's own credentials. STS's reason clauses are read by
:mod:`bedrock_hub_access.access_denied_message`; across accounts STS usually sends none, and the hint
then works from what the shim knows (whether an ExternalId was sent, the caller's account).

The role's ExternalId is a secret: only whether one was sent is known here, never its value.
"""

import re
from typing import NamedTuple, Optional, Sequence

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)

from ._contract import ENV
from .access_denied_message import AccessDeniedMessage, parse_access_denied_message
from .denying_policy import organization_text, policy_arn_text
from .errors import BedrockHubError, error_code, error_message

_NETWORK_ERRORS = (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError, ConnectionClosedError)
_ACCESS_DENIED = {"AccessDenied", "AccessDeniedException"}
_THROTTLING = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"}
_LOCAL_CREDENTIAL_CODES = {
    "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken",
    "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId",
}
_CALLER_SIDE = {"identity-based", "permissions-boundary", "service-control", "session", "vpc-endpoint"}


def is_sts_throttling(error: BaseException) -> bool:
    """Whether STS throttled the request (``Throttling: Rate exceeded`` and its kin)."""
    return error_code(error) in _THROTTLING


def is_sts_region_failure(error: BaseException) -> bool:
    """Whether the STS region failed rather than refused: it could not be reached, or answered 5xx."""
    if isinstance(error, _NETWORK_ERRORS):
        return True
    response = getattr(error, "response", None)
    status = (response or {}).get("ResponseMetadata", {}).get("HTTPStatusCode") if isinstance(response, dict) else None
    return isinstance(status, int) and status >= 500


class AssumeRoleErrorContext(NamedTuple):
    """What an AssumeRole error is explained against. Never holds the ExternalId value."""

    role_arn: str
    sts_region: str
    external_id_set: bool
    duration_seconds: int
    sts_endpoint: Optional[str] = None
    tag_keys: Sequence[str] = ()
    source_identity_set: bool = False
    kind: str = "hub"
    """``hub`` for the hub role, ``target`` for a role of ``BEDROCK_ASSUME_ROLE_TARGETS``."""

    @property
    def account(self) -> str:
        """The role's account (from its ARN)."""
        parts = self.role_arn.split(":")
        return parts[4] if len(parts) > 4 else ""


def principal_role_arn(session_arn: str) -> str:
    """The role ARN behind an assumed-role session ARN (what a trust policy names as Principal); other ARNs unchanged."""
    match = re.match(r"^arn:([\w-]+):sts::(\d{12}):assumed-role/([^/]+)/", session_arn)
    return f"arn:{match.group(1)}:iam::{match.group(2)}:role/{match.group(3)}" if match else session_arn


def assume_role_error(error: BaseException, ctx: AssumeRoleErrorContext) -> BedrockHubError:
    """Turns what ``sts:AssumeRole`` raised into a :class:`BedrockHubError` that names the layer.

    Layers: ``sts-unreachable``, ``local-credentials``, ``attribution``, ``caller-policy`` /
    ``trust-policy`` / ``vpc-endpoint-policy`` / ``assume-role-denied`` (AccessDenied, by the reason
    clause STS gave, if any: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html),
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

    denial = parse_access_denied_message(message) if code in _ACCESS_DENIED else None
    attribution = _attribution_error(code, message, ctx, denial)
    if attribution:
        return attribution
    if code in _ACCESS_DENIED:
        return _access_denied_error(message, ctx, denial)
    if code in _THROTTLING:
        return BedrockHubError(
            "sts-throttled",
            f"STS throttled AssumeRole on {ctx.role_arn} ({code}{said}).",
            "The shim already makes one AssumeRole per hub session per process; many concurrent cold starts, or other callers in the "
            "same account and region, share the STS request quota. Retry later, reduce concurrent cold starts, or ask for a higher STS quota.",
        )
    if code == "ValidationError" and re.search("DurationSeconds", message, re.I):
        chaining = bool(re.search("role chaining", message, re.I))
        return BedrockHubError(
            "session-duration",
            f"STS refused DurationSeconds={ctx.duration_seconds} for {ctx.role_arn}{said}.",
            f"From Lambda, assuming the hub role is role chaining, which STS caps at one hour: set {ENV['DURATION_SECONDS']} to 3600 or less."
            if chaining
            else f"Set {ENV['DURATION_SECONDS']} to at most the hub role's MaxSessionDuration, or raise the role's MaxSessionDuration.",
        )
    if code == "RegionDisabledException":
        account = re.search(r"account:?\s*(\d{12})", message)
        which = f"the workload account {account.group(1)}" if account else "the workload account"
        return BedrockHubError(
            "sts",
            f"STS is not activated in {ctx.sts_region} for {which}{said}.",
            f"An administrator of {which} can activate the STS endpoint of {ctx.sts_region} (IAM > Account settings > Security Token Service "
            "regional endpoints); or run the function in a region where it is active.",
        )
    if code == "SignatureDoesNotMatch" and re.search(r"Signature (expired|not yet current)", message, re.I):
        return BedrockHubError(
            "local-credentials",
            f"STS refused the AssumeRole request's signature on {ctx.role_arn} as signed at the wrong time ({code}{said}).",
            "A signature is valid for 15 min around the time STS receives it: the clock of the process that signed is off. In Lambda the clock "
            "is synchronized; elsewhere, synchronize the machine's clock (NTP).",
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


def _attribution_error(
    code: str, message: str, ctx: AssumeRoleErrorContext, denial: Optional[AccessDeniedMessage]
) -> Optional[BedrockHubError]:
    """STS refused the session tags or source identity: AccessDenied naming sts:TagSession or
    sts:SetSourceIdentity (either side may lack it, and the function's own session may carry transitive
    tags or a source identity that role chaining passes on even when the shim sends none),
    PackedPolicyTooLarge, or invalid tag values."""
    tags_sent = len(ctx.tag_keys) > 0
    source_identity_sent = ctx.source_identity_set
    said = f" STS said: {message}" if message else ""
    sent = " and ".join(
        part
        for part in (
            f"the session tags {', '.join(ctx.tag_keys)} (from {ENV['SESSION_TAGS']} / {ENV['FUNCTION_NAME_TAG_KEY']})" if tags_sent else "",
            f"a SourceIdentity (from {ENV['SOURCE_IDENTITY']})" if source_identity_sent else "",
        )
        if part
    )
    action = denial.action if denial and re.fullmatch(r"sts:(TagSession|SetSourceIdentity)", denial.action, re.I) else None
    if denial is not None and action:
        caller = denial.principal_arn or "the function's execution role"
        both_sides = (
            f"Allow {action} on both sides: in the execution role's identity-based policy, on {ctx.role_arn} next to "
            f"sts:AssumeRole, AND in the trust policy of {ctx.role_arn}, in the statement that allows sts:AssumeRole to {principal_role_arn(caller)}"
        )
        blamed = (
            ""
            if denial.policy_type is None
            else " STS blames the caller's side." if denial.policy_type in _CALLER_SIDE else " STS blames the trust policy."
        )
        tag_action = bool(re.search("TagSession", action, re.I))
        shim_sent = tags_sent if tag_action else source_identity_sent
        if shim_sent:
            return BedrockHubError(
                "attribution",
                f"AssumeRole on {ctx.role_arn} sent {sent}, and {caller} may not {action} on it.{blamed}{said}",
                f"{both_sides}. Or stop sending them (unset {ENV['SESSION_TAGS'] if tag_action else ENV['SOURCE_IDENTITY']}).",
            )
        why = (
            "The function's own session carries transitive session tags (set where its role was assumed upstream), and role chaining passes "
            "transitive tags on to the hub session, which needs sts:TagSession."
            if tag_action
            else "The function's own session carries a source identity (set where its role was assumed upstream); a source identity is sticky "
            "through role chaining, so STS sets it on the hub session too, which needs sts:SetSourceIdentity."
        )
        return BedrockHubError(
            "attribution",
            f"STS refused {action} on {ctx.role_arn} for {caller}, though the shim sent no "
            f"{'session tags' if tag_action else 'source identity'}.{blamed}{said}",
            f"{why} {both_sides}.",
        )
    if not tags_sent and not source_identity_sent:
        return None
    if code.startswith("PackedPolicyTooLarge"):
        share = re.search(r"(\d+%)", message)
        return BedrockHubError(
            "attribution",
            f"AssumeRole on {ctx.role_arn} sent {sent}, and STS found the packed session too large"
            f"{f' ({share.group(1)} of the allowed size)' if share else ''}.{said}",
            f"Session tags share a packed size limit with session policies: send fewer tags, or shorter keys and values, in {ENV['SESSION_TAGS']}.",
        )
    if re.match("(InvalidParameterValue|ValidationError)", code) and re.search(r"\btags?\b|source ?identity", message, re.I):
        return BedrockHubError(
            "attribution",
            f"STS rejected {sent} on AssumeRole on {ctx.role_arn} ({code}).{said}",
            f"Fix {ENV['SESSION_TAGS'] if tags_sent else ENV['SOURCE_IDENTITY']}: tag keys are unique regardless of case and may not override "
            "transitive tags of the calling session; a source identity, once set on a session, cannot be changed by role chaining.",
        )
    return None


def _external_id_text(ctx: AssumeRoleErrorContext) -> str:
    """What the shim knows about the trust policy's ExternalId condition: whether it sent one."""
    if ctx.external_id_set:
        return f"an ExternalId was sent ({ENV['EXTERNAL_ID']}): the trust policy's sts:ExternalId condition must equal that value"
    return (
        f"no ExternalId was sent ({ENV['EXTERNAL_ID']} is not set): if the trust policy has an sts:ExternalId condition, "
        f"set {ENV['EXTERNAL_ID']} to its value"
    )


def _access_denied_error(message: str, ctx: AssumeRoleErrorContext, denial: Optional[AccessDeniedMessage]) -> BedrockHubError:
    caller_session = denial.principal_arn if denial else None
    caller = caller_session or "the function's execution role"
    caller_role = principal_role_arn(caller_session) if caller_session else "the function's execution role"
    caller_account = denial.principal_account if denial else None
    workload = f"the workload account {caller_account}" if caller_account else "the workload account"
    said = f" STS said: {message}" if message else ""
    policy_type = denial.policy_type if denial else None
    explicit = denial is not None and denial.deny_kind == "explicit"

    if denial is not None and policy_type in ("identity-based", "permissions-boundary", "session"):
        what = {"identity-based": "identity-based policy", "permissions-boundary": "permissions boundary", "session": "session policy"}[policy_type]
        lead = (
            f"An explicit deny in the {what}{policy_arn_text(denial)} of {caller_role} ({workload}) blocks sts:AssumeRole on {ctx.role_arn}."
            if explicit
            else f"The {what} of {caller_role} ({workload}) does not allow sts:AssumeRole on {ctx.role_arn}."
        )
        if explicit:
            fix = f"An allow cannot override it: change the denying statement{f' of {denial.policy_arn}' if denial.policy_arn else ''} in {workload}."
        elif policy_type == "identity-based":
            fix = (
                f"Give {caller_role} an identity-based policy allowing sts:AssumeRole on exactly {ctx.role_arn} (the BedrockHubAccess construct grants it). "
                f"A common cause is a role ARN and ExternalId pasted together into one value: {ENV['ROLE_ARN']} must be the ARN alone."
            )
        elif policy_type == "permissions-boundary":
            fix = f"Add sts:AssumeRole on {ctx.role_arn} to the permissions boundary of {caller_role} in {workload}; the role's own policies cannot go past it."
        else:
            fix = (
                "The shim passes no session policy; the function's own session was created with one (Policy / PolicyArns): "
                "add sts:AssumeRole on the hub role to it."
            )
        return BedrockHubError("caller-policy", f"{lead}{said}", fix)
    if denial is not None and policy_type == "service-control":
        org = organization_text(denial, caller_account or "the workload account")
        lead = f"An explicit deny in a service control policy{policy_arn_text(denial)}" if explicit else "No service control policy"
        return BedrockHubError(
            "caller-policy",
            f"{lead} of {org} {'blocks' if explicit else 'allows'} sts:AssumeRole on {ctx.role_arn} by {caller_role}.{said}",
            f"No policy on the execution role can override it: the organization's administrators must exempt {caller_role} or the hub role "
            f"{ctx.role_arn} from the service control policy (e.g. with a condition on aws:PrincipalArn or the resource)."
            if explicit
            else f"The organization's administrators must add sts:AssumeRole to the service control policies that apply to {workload}.",
        )
    if denial is not None and policy_type == "resource-control":
        org = organization_text(denial, ctx.account)
        lead = f"An explicit deny in a resource control policy{policy_arn_text(denial)}" if explicit else "No resource control policy"
        return BedrockHubError(
            "trust-policy",
            f"{lead} of {org} {'blocks' if explicit else 'allows'} sts:AssumeRole on {ctx.role_arn} (hub account {ctx.account}) by {caller_role}.{said}",
            "A resource control policy guards the hub role from the hub account's organization, whatever its trust policy says: its administrators "
            f"must let {f'account {caller_account}' if caller_account else 'the workload account'} assume {ctx.role_arn} (e.g. by adding it to the RCP's "
            "allowed accounts or organizations).",
        )
    if denial is not None and policy_type == "vpc-endpoint":
        endpoint = f"com.amazonaws.{ctx.sts_region}.sts"
        return BedrockHubError(
            "vpc-endpoint-policy",
            f"The VPC endpoint policy of the STS interface endpoint {endpoint} the function calls "
            f"{'explicitly denies' if explicit else 'does not allow'} sts:AssumeRole on {ctx.role_arn}.{said}",
            f"The endpoint belongs to the function's VPC ({workload}): edit the VPC endpoint policy of {endpoint} so it allows sts:AssumeRole "
            f"on {ctx.role_arn} (a role of another account) for {caller_role}.",
        )
    if denial is not None and policy_type in ("role-trust", "resource-based"):
        lead = (
            f"An explicit deny in the trust policy of {ctx.role_arn} ({ctx.kind} account {ctx.account}) blocks {caller}."
            if explicit
            else f"The trust policy of {ctx.role_arn} ({ctx.kind} account {ctx.account}) does not let {caller} assume it."
        )
        fix = (
            f"Change the trust policy's Deny statement in the {ctx.kind} account {ctx.account} (a condition such as aws:SourceAccount or "
            "aws:PrincipalOrgID that the caller fails); an Allow cannot override it."
            if explicit
            else f"In the {ctx.kind} account {ctx.account}, the trust policy of {ctx.role_arn} must allow {caller_role} "
            f"(or account {caller_account or 'of the workload'}) as Principal for sts:AssumeRole, and {_external_id_text(ctx)}."
        )
        return BedrockHubError("trust-policy", f"{lead}{said}", fix)
    return _bare_denial(said, ctx, caller, caller_role, caller_account)


def _bare_denial(said: str, ctx: AssumeRoleErrorContext, caller: str, caller_role: str, caller_account: Optional[str]) -> BedrockHubError:
    """The bare line STS answers a denied cross-account AssumeRole with: no reason clause. The hint
    orders the causes by what the shim knows (whether an ExternalId was sent, the caller's account,
    whether tags or a source identity were sent)."""
    if caller_account:
        accounts = (
            f" The caller is in the hub account {ctx.account} itself: the trust policy must name {caller_role}, or the account with an "
            "identity-based allow on the caller."
            if caller_account == ctx.account
            else f" The caller is in account {caller_account}, the role in {ctx.account}: both sides must allow it."
        )
    else:
        accounts = ""
    attribution = (
        " Session tags or a source identity were sent: the trust policy's statement must also allow sts:TagSession / sts:SetSourceIdentity."
        if ctx.tag_keys or ctx.source_identity_set
        else ""
    )
    return BedrockHubError(
        "assume-role-denied",
        f"AssumeRole on {ctx.role_arn} was denied for {caller}, and STS did not say by which policy (its usual answer across accounts).{said}",
        f"What the shim knows: {_external_id_text(ctx)}.{accounts} Check, in order: (1) the role trust policy of {ctx.role_arn} in the hub account "
        f"{ctx.account}: it must allow {caller_role}{f' or account {caller_account}' if caller_account else ''} as Principal for sts:AssumeRole, with the "
        f"sts:ExternalId condition above.{attribution} (2) The role exists: STS answers the same when it does not exist, so check {ENV['ROLE_ARN']} "
        "(the ARN alone, not pasted together with the ExternalId). (3) The execution role's identity-based policy allows sts:AssumeRole on exactly "
        f"{ctx.role_arn} (the BedrockHubAccess construct grants it), and no permissions boundary or service control policy of the workload account denies it.",
    )
