"""The Bedrock diagnosis: what an error from a Bedrock call made with hub (or target) role
credentials means (the Node shim's ``lambda-shim/bedrock-diagnosis.ts``, same layers and hints).

:func:`explain_bedrock_error` is a pure function of the error, the :class:`BedrockErrorContext` and
what the request carried (:class:`BedrockCallDetails`). It reads the reason clause of an
access-denied message (:mod:`bedrock_hub_access.access_denied_message`) and leads with the cause AWS
stated: which policy type denied, the account that policy lives in (the role's, its organization's,
the function's VPC endpoint's), the region a cross-region profile routed to, the region-less ARN a
global profile is authorized against; then model access (Marketplace subscription, first-use form,
payment method; Bedrock user guide, "Access Amazon Bedrock foundation models"), model routing
(on-demand throughput not supported), quotas, expired or incomplete credentials, and resources
unknown in the role's account and region. Each cause gets only the fixes that can work.
"""

import re
from typing import Any, Dict, Mapping, NamedTuple, Optional, Tuple

from botocore.exceptions import ClientError

from .access_denied_message import AccessDeniedMessage, parse_access_denied_message
from .contract import geography_prefix_of
from .denying_policy import action_on_resource, organization_text, policy_arn_text
from .errors import BedrockHubError, error_code, error_message

Explanation = Tuple[str, str, str]
"""``(layer, problem, hint)``."""

_ACCESS_DENIED = {"AccessDeniedException", "AccessDenied", "accessDeniedException", "PermissionDeniedError"}
_THROTTLING = {
    "ThrottlingException", "throttlingException", "TooManyRequestsException", "ServiceQuotaExceededException",
    "serviceQuotaExceededException", "RateLimitError",
}
_VALIDATION = {"ValidationException", "validationException", "BadRequestError"}
_NOT_FOUND = {"ResourceNotFoundException", "resourceNotFoundException", "NotFoundError"}
_MODEL_CALLS = {"Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"}


class BedrockErrorContext(NamedTuple):
    """What a Bedrock error is explained against: the role the client signs as and the region it calls."""

    role_arn: str
    account: str
    """The account of the role the client signs as."""
    region: str
    target: bool = False
    """A target role of ``BEDROCK_ASSUME_ROLE_TARGETS`` rather than the hub role."""

    @property
    def kind(self) -> str:
        return "target" if self.target else "hub"


class BedrockCallDetails(NamedTuple):
    """What the shim knows of the call that failed, read from the request's parameters."""

    operation: Optional[str] = None
    model_id: Optional[str] = None
    """The ``modelId`` the request carried (a model id, profile id or ARN)."""
    guardrail_known: bool = False
    """Whether :attr:`guardrail_identifier` is known (an operation that takes a guardrail, or one was sent)."""
    guardrail_identifier: Optional[str] = None
    """The guardrail the request carried; ``None`` with :attr:`guardrail_known` when it had none."""
    guardrail_version: Optional[str] = None


def call_details_of(operation: str, params: Any) -> BedrockCallDetails:
    """What a request carried that the diagnosis reads: the model and the guardrail."""
    p: Mapping[str, Any] = params if isinstance(params, Mapping) else {}
    config = p.get("guardrailConfig")
    guardrail: Optional[Mapping[str, Any]] = config if isinstance(config, Mapping) else (p if "guardrailIdentifier" in p else None)
    model_id = p.get("modelId") if isinstance(p.get("modelId"), str) else None
    if guardrail is not None and isinstance(guardrail.get("guardrailIdentifier"), str):
        version = guardrail.get("guardrailVersion")
        return BedrockCallDetails(operation, model_id, True, guardrail["guardrailIdentifier"], version if isinstance(version, str) else None)
    return BedrockCallDetails(operation, model_id, operation in _MODEL_CALLS)


class _Facts(NamedTuple):
    ctx: BedrockErrorContext
    call: BedrockCallDetails
    code: str
    message: str
    said: str
    """`` Bedrock said: <message>`` or ``''``."""
    role: str
    """``the hub role arn:… (account 111122223333)``"""
    role_account: str
    """``the hub account 111122223333``"""


def explain_bedrock_error(
    error: BaseException, ctx: BedrockErrorContext, call: Optional[BedrockCallDetails] = None
) -> Optional[Explanation]:
    """``(layer, problem, hint)`` for an error of a Bedrock call made through the hub, when the hub adds
    something useful; ``None`` otherwise (the error is then raised unchanged).

    :param error: what the call raised (a botocore ``ClientError``; anything else gives ``None``)
    :param ctx: the role the client signs as and the region it calls
    :param call: what the request carried, when known
    """
    if isinstance(error, BedrockHubError) or not isinstance(error, ClientError):
        return None
    code = error_code(error) or ""
    message = error_message(error)
    f = _Facts(
        ctx=ctx,
        call=call or BedrockCallDetails(),
        code=code,
        message=message,
        said=f" Bedrock said: {message}" if message else "",
        role=f"the {ctx.kind} role {ctx.role_arn} (account {ctx.account})",
        role_account=f"the {ctx.kind} account {ctx.account}",
    )
    if code in ("ExpiredTokenException", "ExpiredToken"):
        return _expired_token(f)
    if code in ("UnrecognizedClientException", "InvalidSignatureException"):
        return _unrecognized_client(f)
    if code in _THROTTLING:
        return _quota(f)
    if code in _ACCESS_DENIED:
        return _access_denied(f)
    if code in _VALIDATION:
        return _validation(f)
    if code in _NOT_FOUND:
        return _not_found(f)
    return None


# ---------------------------------------------------------------------------
# Credentials and quotas
# ---------------------------------------------------------------------------


def _expired_token(f: _Facts) -> Explanation:
    return (
        "expired-token",
        f"Bedrock says the security token the call was signed with has expired.{f.said}",
        "The client signed with credentials that had expired: a client given credentials resolved once (the values of "
        "`hub.credentials.get_frozen_credentials()`, or aws_access_key_id / aws_secret_access_key / aws_session_token copied into "
        "boto3.client(...)) keeps signing with them after they expire, an hour at most. Pass `hub.credentials` itself (botocore "
        "refreshable credentials) or the provider `hub.credential_provider`, which refresh before every call, or build the client with "
        "`hub.client(...)`, which also retries once on ExpiredToken. If the client already uses them, check the function's clock.",
    )


def _unrecognized_client(f: _Facts) -> Explanation:
    return (
        "wrong-client",
        f"Bedrock does not recognize the credentials the call was signed with.{f.said}",
        "Hub credentials are temporary: they are only valid with their session token. A library given the access key and secret without "
        "the session token (or with an empty one) signs a request Bedrock cannot match. Pass `hub.credentials` (botocore credentials "
        "that carry all three, refreshed) or the provider `hub.credential_provider`, or build the client with `hub.client(...)`.",
    )


def _quota(f: _Facts) -> Explanation:
    per_day = bool(re.search("per day", f.message, re.I))
    ctx = f.ctx
    return (
        "hub-quota",
        f"Bedrock throttled the call for a quota of {f.role_account} in {ctx.region}.{f.said}",
        f"Through the hub, Bedrock's quotas are those of {f.role_account}, in the region called ({ctx.region}; for a cross-region "
        "inference profile, its source region); the workload account's quotas do not count, and every function using the hub shares them. "
        + (
            "This is a quota of tokens per day: it frees up over the day, not in seconds. Ask for a higher quota in Service Quotas (Amazon Bedrock) "
            f"of account {ctx.account}, or spread load over another model or region."
            if per_day
            else "Retry with backoff, spread load with a cross-region inference profile, or ask for a higher quota in Service Quotas (Amazon Bedrock) "
            f"of account {ctx.account}."
        ),
    )


# ---------------------------------------------------------------------------
# Access denied
# ---------------------------------------------------------------------------


def _model_text(f: _Facts) -> str:
    return f" for {f.call.model_id}" if f.call.model_id else ""


def _model_access(f: _Facts, problem: str, hint: str) -> Explanation:
    return ("model-access", f"{problem}{f.said}", hint)


def _current_mechanics(f: _Facts) -> str:
    """The model-access mechanics since the per-model switch was retired."""
    return (
        f"Serverless models are enabled by default; what can still be missing in {f.role_account} (the account that signs, not the workload "
        "account) is: the AWS Marketplace subscription the first call to a model starts (it needs aws-marketplace:Subscribe and "
        "aws-marketplace:ViewSubscriptions on the calling role, or one call by an administrator; it takes a few minutes), Anthropic's "
        "first-time-use form (once per account, or once in the organization's management account), or a valid payment method."
    )


def _access_denied(f: _Facts) -> Explanation:
    ctx, message = f.ctx, f.message
    if re.search(r"aws-marketplace:(ViewSubscriptions|Subscribe)\b", message):
        return _marketplace(f)
    if re.search("INVALID_PAYMENT_INSTRUMENT|payment instrument", message, re.I):
        return _model_access(
            f,
            f"Bedrock could not complete the AWS Marketplace subscription of {f.role_account}: the account has no valid payment method.",
            f"Add a valid payment method to {f.role_account} (Billing and Cost Management > Payment preferences; in an organization, the "
            "management account pays), then call again: the first call starts the subscription, which takes a few minutes. No role or policy change helps.",
        )
    if re.search("don.t have access to the model", message, re.I):
        return _model_access(
            f,
            f"Bedrock in {ctx.region} refused {f.role_account} the model{_model_text(f)}.",
            f"{_current_mechanics(f)} For a cross-region inference profile, the model must also be offered in {ctx.region}, the source region.",
        )
    if re.search("account is not authorized to invoke this API operation", message, re.I):
        prompt = " with a prompt resource" if re.search("prompt resource", message, re.I) else ""
        return _model_access(
            f,
            f"Bedrock refused {f.role_account} itself (not a role) the operation{prompt} in {ctx.region}{_model_text(f)}.",
            f"This is a restriction on {f.role_account} in {ctx.region}, not a policy: check that Bedrock offers the model and the feature in "
            f"{ctx.region}, that the account is in good standing, and otherwise open a case with AWS Support from account {ctx.account}.",
        )
    if re.search("Access denied when calling Bedrock", message, re.I):
        return (
            "hub-permission",
            f"The agent call was denied, and Bedrock did not say to whom.{f.said}",
            f"Either {f.role} lacks bedrock:InvokeAgent on the agent alias, or the agent's service role in account {ctx.account} lacks what "
            "the agent does on its behalf (bedrock:InvokeModel on its model or inference profile, bedrock:Retrieve on its knowledge bases, "
            "bedrock:ApplyGuardrail on its guardrail): check both.",
        )

    denial = parse_access_denied_message(message)
    if denial is None:
        return _unstated_denial(f, None)
    principal = denial.principal_arn or ""
    if denial.principal_account and denial.principal_account != ctx.account:
        return (
            "wrong-client",
            f"The Bedrock call was made as {principal}, not as the {ctx.kind} role {ctx.role_arn} (account {ctx.account}).{f.said}",
            "Make the call with a client built by `hub.client(...)` (or get_bedrock_session().client(...)), or give the library "
            "`hub.credentials`; a client built with boto3.client(...) uses the function's own credentials.",
        )
    role_name = ctx.role_arn.split("/")[-1]
    principal_role = re.search(r":assumed-role/([^/]+)/", principal)
    if principal_role and role_name and principal_role.group(1) != role_name:
        return _service_role_denied(f, denial, principal_role.group(1))

    if (
        denial.resource_account
        and denial.resource_account != ctx.account
        and denial.deny_kind != "explicit"
        and denial.policy_type in (None, "identity-based")
    ):
        return _foreign_resource(f, denial.resource_arn or "", denial.resource_account)
    handlers = {
        "service-control": lambda: _organization_policy_denied(f, denial, "service control policy"),
        "resource-control": lambda: _organization_policy_denied(f, denial, "resource control policy"),
        "permissions-boundary": lambda: _boundary_denied(f, denial),
        "session": lambda: _session_policy_denied(f, denial),
        "vpc-endpoint": lambda: _vpc_endpoint_denied(f, denial),
        "resource-based": lambda: _resource_policy_denied(f, denial),
        "identity-based": lambda: _identity_policy_denied(f, denial),
    }
    handler = handlers.get(denial.policy_type or "")
    return handler() if handler else _unstated_denial(f, denial)


def _marketplace(f: _Facts) -> Explanation:
    ctx = f.ctx
    return (
        "hub-permission",
        f"The first call to this model in {f.role_account} starts its AWS Marketplace subscription, and {f.role} may not make it.{f.said}",
        f"The role lacks the AWS Marketplace actions the first call needs: allow aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe "
        f"to {ctx.role_arn}, limited to calls made through Bedrock (aws:CalledViaLast = bedrock.amazonaws.com; BedrockHubRole's "
        f"allowModelSubscription does this), or have an administrator of account {ctx.account} make one call to the model. Subscriptions are "
        "per account: the workload account's does not count. The subscription takes a few minutes to complete; call again after that.",
    )


def _service_role_denied(f: _Facts, denial: AccessDeniedMessage, principal_role: str) -> Explanation:
    """Another role of the hub account was denied: an agent's or knowledge base's service role."""
    ctx = f.ctx
    return (
        "hub-permission",
        f"Bedrock denied {action_on_resource(denial)} to {principal_role}, a role of account {ctx.account} that acts on the call's behalf "
        f"(an agent's or knowledge base's service role), not to the {ctx.kind} role.{f.said}",
        f"Fix {principal_role}'s policies in account {ctx.account}: its {denial.policy_type_text or 'policies'} must allow "
        f"{action_on_resource(denial)}. The {ctx.kind} role's own permissions are not involved.",
    )


def _organization_policy_denied(f: _Facts, denial: AccessDeniedMessage, policy: str) -> Explanation:
    ctx = f.ctx
    org = organization_text(denial, ctx.account)
    if denial.deny_kind == "explicit":
        lead = f"An explicit deny in a {policy}{policy_arn_text(denial)} of {org} blocks {action_on_resource(denial)} for {f.role}."
        admins = f"account {denial.policy_account}" if denial.policy_account else "its management account"
        fix = (
            f"The {policy}{policy_arn_text(denial)} of {org} explicitly denies {denial.action}: no allow on the role can override it. "
            f"The organization's administrators (in {admins}) must exempt the role or this model and region from the {policy}, or use a "
            "model and region it permits."
        )
    else:
        lead = (
            f"No {policy} of {org} allows {action_on_resource(denial)}: the {policy}s attached to the account, its OUs and the root "
            "form an allow list without it."
        )
        fix = (
            f"The {policy}s of {org} allow no {denial.action}: the organization's administrators must add it to the {policy}s that apply "
            f"to account {ctx.account}; a policy on the role cannot help."
        )
    return ("hub-permission", f"{lead}{f.said}", f"{fix}{_routing_note(f, denial)}")


def _boundary_denied(f: _Facts, denial: AccessDeniedMessage) -> Explanation:
    ctx = f.ctx
    if denial.deny_kind == "explicit":
        lead = f"An explicit deny in the permissions boundary{policy_arn_text(denial)} of {f.role} blocks {action_on_resource(denial)}."
        fix = (
            f"The role's permissions boundary{policy_arn_text(denial)} denies this call explicitly: change that boundary policy in account "
            f"{ctx.account} so it no longer denies it, or set another boundary on the role."
        )
    else:
        lead = f"The permissions boundary of {f.role} does not allow {action_on_resource(denial)}."
        fix = (
            f"The role's permissions boundary{policy_arn_text(denial)} lacks {denial.action} on this resource: add it to the boundary policy"
            f"{f' {denial.policy_arn}' if denial.policy_arn else ''} in account {ctx.account}: the role's own policies cannot grant more "
            "than its boundary allows."
        )
    return ("hub-permission", f"{lead}{f.said}", f"{fix}{_routing_note(f, denial)}")


def _session_policy_denied(f: _Facts, denial: AccessDeniedMessage) -> Explanation:
    explicit = denial.deny_kind == "explicit"
    return (
        "hub-permission",
        f"{'An explicit deny in a session policy' if explicit else 'The session policy'} of the {f.ctx.kind} role's session "
        f"{'blocks' if explicit else 'does not allow'} {action_on_resource(denial)}.{f.said}",
        "The shim passes no session policy to AssumeRole; one on this session was passed (Policy / PolicyArns) by whatever created the "
        "credentials the call was signed with. Remove it or add this action and resource to it, or sign with a client built by `hub.client(...)`.",
    )


def _endpoint_service(f: _Facts) -> str:
    """The VPC endpoint service a Bedrock operation goes through."""
    op = f.call.operation or ""
    if re.fullmatch(r"InvokeAgent|Retrieve|RetrieveAndGenerate|RetrieveAndGenerateStream|InvokeFlow|InvokeInlineAgent", op):
        service = "bedrock-agent-runtime"
    elif op == "" or re.fullmatch(
        r"Converse|ConverseStream|InvokeModel|InvokeModelWithResponseStream|ApplyGuardrail|CountTokens|InvokeModelWithBidirectionalStream", op
    ):
        service = "bedrock-runtime"
    else:
        service = "bedrock"
    return f"com.amazonaws.{f.ctx.region}.{service}"


def _vpc_endpoint_denied(f: _Facts, denial: AccessDeniedMessage) -> Explanation:
    endpoint = _endpoint_service(f)
    if denial.transitive_policy_type == "service-control":
        return (
            "hub-permission",
            f"An explicit deny in a service control policy, applied through the VPC endpoint ({endpoint}) the call went through, blocks "
            f"{action_on_resource(denial)}.{f.said}",
            "The service control policy of the organization that owns the VPC endpoint's account denies this call; its administrators must "
            "exempt it. No allow on the role or in the endpoint policy can override it.",
        )
    ctx = f.ctx
    return (
        "vpc-endpoint-policy",
        f"The VPC endpoint policy of the interface endpoint {endpoint} the function calls Bedrock through "
        f"{'explicitly denies' if denial.deny_kind == 'explicit' else 'does not allow'} {action_on_resource(denial)} by {ctx.role_arn}.{f.said}",
        f"The endpoint belongs to the function's VPC (the workload account), not to the {ctx.kind} account: edit the VPC endpoint policy of "
        f"{endpoint} so it allows {denial.action} for the principal {ctx.role_arn} (a role of another account) on this resource. "
        "Neither the execution role nor the hub role can fix it.",
    )


def _resource_policy_denied(f: _Facts, denial: AccessDeniedMessage) -> Explanation:
    ctx = f.ctx
    owner = denial.resource_account or ctx.account
    kind_match = re.search(r":(guardrail|knowledge-base|agent-alias|agent|prompt|flow)[/:]", denial.resource_arn or "")
    kind = kind_match.group(1) if kind_match else "resource"
    explicit = denial.deny_kind == "explicit"
    return (
        "hub-permission",
        f"{f'An explicit deny in the resource-based policy of the {kind}' if explicit else f'The resource-based policy of the {kind}'} "
        f"{denial.resource_arn or ''} in account {owner} {'blocks' if explicit else 'does not allow'} {denial.action} by {f.role}.{f.said}",
        f"Only the owner of the {kind}, account {owner}, can lift it: its resource-based policy must stop denying {ctx.role_arn}."
        if explicit
        else f"The {kind}'s resource-based policy in account {owner} must name {ctx.role_arn} (or account {ctx.account}) as Principal for "
        f"{denial.action}, and the role's identity-based policy must allow {denial.action} on {denial.resource_arn or 'it'}.",
    )


def _guardrail_note(f: _Facts, denial: AccessDeniedMessage) -> str:
    """A guardrail requirement (``bedrock:GuardrailIdentifier`` condition) is likely when a model call is denied and the request's guardrail is known."""
    if not denial.action.startswith("bedrock:InvokeModel") or not f.call.guardrail_known:
        return ""
    identifier = f.call.guardrail_identifier
    if identifier is None:
        return (
            " The request carried no guardrail: if the policy requires one (a bedrock:GuardrailIdentifier condition), pass "
            "guardrailConfig (Converse) or guardrailIdentifier and guardrailVersion (InvokeModel) with the guardrail it names."
        )
    version_match = re.search(r":(\d+|DRAFT)$", identifier)
    version = f.call.guardrail_version or (version_match.group(1) if version_match else None)
    return (
        f" The request carried the guardrail {identifier}{f' version {version}' if version else ''}: a bedrock:GuardrailIdentifier "
        "condition is matched against the guardrail ARN with its version (arn:…:guardrail/<id>:<version>), so a policy that names version 1 "
        "does not allow DRAFT or another version; send the version the policy names."
    )


def _profile_of(f: _Facts) -> Optional[str]:
    model_id = f.call.model_id
    return model_id if model_id and geography_prefix_of(model_id) else None


def _routing_note(f: _Facts, denial: AccessDeniedMessage) -> str:
    """What a denied resource's region tells: a cross-region profile's destination, or a global profile's region-less ARN."""
    resource = denial.resource_arn or ""
    if ":foundation-model/" not in resource:
        return ""
    model_id = resource[resource.index("foundation-model/") + len("foundation-model/"):]
    profile = _profile_of(f)
    if denial.resource_region == "":
        geographic = _geography_for(f.ctx.region)
        return (
            f" The denied ARN is region-less: a global inference profile ({profile or f'global.{model_id}'}) is authorized on "
            f"arn:aws:bedrock:::foundation-model/{model_id}, which policies that restrict regions (aws:RequestedRegion) often deny."
            + (f" A geographic profile ({geographic}.{model_id}) keeps the call in {geographic}. regions." if geographic else "")
        )
    if denial.resource_region and denial.resource_region != f.ctx.region:
        return (
            f" The client called {f.ctx.region}, but the denied model is in {denial.resource_region}: the inference profile "
            f"{profile or '(a cross-region profile)'} routed the call there."
        )
    return ""


def _identity_policy_denied(f: _Facts, denial: AccessDeniedMessage) -> Explanation:
    ctx = f.ctx
    resource = denial.resource_arn or ""
    if denial.deny_kind == "explicit":
        return (
            "hub-permission",
            f"An explicit deny in an identity-based policy{policy_arn_text(denial)} of {f.role} blocks {action_on_resource(denial)}.{f.said}",
            "An identity-based policy of the role denies it explicitly, and an allow cannot override that: change the denying statement"
            f"{f' of {denial.policy_arn}' if denial.policy_arn else ''} in account {ctx.account}, or make a call it does not match."
            f"{_routing_note(f, denial)}{_guardrail_note(f, denial)}",
        )
    cross_region = (
        ":foundation-model/" in resource and denial.resource_region not in (None, "") and denial.resource_region != ctx.region
    )
    if cross_region:
        profile = _profile_of(f) or "the cross-region inference profile"
        return (
            "hub-permission",
            f"The client called {ctx.region}, but the inference profile {profile} routed the call to {denial.resource_region}, and no "
            f"identity-based policy of {f.role} allows {denial.action} on the model there ({resource}).{f.said}",
            f"The profile routed the call from {ctx.region} to {denial.resource_region}, where the role is not allowed the model: grant it in "
            f"every destination region of the profile, {denial.resource_region} included: BedrockModel.crossRegionProfile("
            f"'{f.call.model_id or '<profile id>'}', {{ destinationRegions: [..., '{denial.resource_region}'] }}) on the BedrockHubRole "
            "(or allDestinationRegions: true). Destination regions are listed on the model's page of the Amazon Bedrock user guide and grow over time.",
        )
    if denial.resource_region == "" and ":foundation-model/" in resource:
        model = resource.split("foundation-model/")[1]
        grant = (
            f"A global inference profile is authorized on the region-less ARN {resource}: grant it with "
            f"BedrockModel.crossRegionProfile('{f.call.model_id or f'global.{model}'}') on the BedrockHubRole, which allows that ARN with the profile."
        )
    elif ":application-inference-profile/" in resource:
        grant = (
            "Bedrock authorizes both the application inference profile and the model it routes to (the foundation-model ARN, or the "
            "cross-region profile and its models): grant them with BedrockModel.applicationInferenceProfile(arn, { routesTo })."
        )
    elif ":inference-profile/" in resource:
        grant = (
            "Bedrock authorizes the inference profile ARN and the foundation model in each destination region: grant both with "
            f"BedrockModel.crossRegionProfile('{resource.split('inference-profile/')[1]}', {{ destinationRegions }}) on the BedrockHubRole."
        )
    elif ":guardrail-profile/" in resource:
        grant = (
            f"A cross-region guardrail sends ApplyGuardrail to the guardrail profile in the destination region ({denial.resource_region}): "
            f"allow {denial.action} on {resource} (the guardrail profile, in the {ctx.kind} account {ctx.account}) and on the guardrail in each "
            "destination region (BedrockHubRole guardrails with their cross-region profile)."
        )
    else:
        grant = (
            f"Allow {denial.action} on {resource or 'the resource of this call'} in the role's identity-based policy (BedrockHubRole: "
            "add the model with BedrockModel, or the guardrail, knowledge base or agent to its props)."
        )
    return (
        "hub-permission",
        f"No identity-based policy of {f.role} allows {action_on_resource(denial)}.{f.said}",
        f"The hub role's identity-based policies (account {ctx.account}) lack {denial.action} on this resource. {grant}{_guardrail_note(f, denial)}",
    )


def _unstated_denial(f: _Facts, denial: Optional[AccessDeniedMessage]) -> Explanation:
    """An access denial without a reason clause, or with an explicit deny of no stated type."""
    ctx = f.ctx
    what = action_on_resource(denial) if denial else "this call"
    if denial is not None and denial.deny_kind == "explicit":
        return (
            "hub-permission",
            f"An explicit deny blocks {what} for {f.role}, and Bedrock did not say in which policy.{f.said}",
            f"An allow cannot override it. Look for the Deny statement among the policies that apply to {ctx.role_arn}: its identity-based "
            f"policies and permissions boundary (account {ctx.account}), a service control policy or resource control policy of its organization, "
            f"a session policy, or the VPC endpoint policy of the function's VPC.{_routing_note(f, denial)}",
        )
    return (
        "hub-permission",
        f"Bedrock denied the call to the {ctx.kind} role {ctx.role_arn} in {ctx.region} ({what}), and did not say by which policy.{f.said}",
        f"AssumeRole succeeded, so the workload side is fine. In the {ctx.kind} account {ctx.account}: allow "
        f"{denial.action if denial else 'the bedrock:* action of this call'} to the role on the model, inference-profile or guardrail ARNs it "
        "uses (its identity-based policy, within its permissions boundary), and check that no service control policy of its organization denies it.",
    )


# ---------------------------------------------------------------------------
# Validation and not found
# ---------------------------------------------------------------------------


def _geography_for(region: str) -> Optional[str]:
    """The geography prefix of system-defined profiles whose source regions include ``region`` (the general one: ``apac`` over ``jp``)."""
    if region.startswith("us-gov-"):
        return "us-gov"
    if re.match(r"(us|ca)-", region):
        return "us"
    if region.startswith("eu-"):
        return "eu"
    if region.startswith("ap-"):
        return "apac"
    return None


def _validation(f: _Facts) -> Optional[Explanation]:
    ctx = f.ctx
    on_demand = re.search(r"Invocation of model ID (\S+) with on-demand throughput isn.t supported", f.message, re.I)
    if on_demand:
        return _on_demand_unsupported(f, on_demand.group(1))
    if re.search("provided model identifier is invalid", f.message, re.I) or re.search(
        "model identifier|inference profile|model id", f.message, re.I
    ):
        return (
            "hub-resource",
            f"Bedrock in {ctx.region} of {f.role_account} does not know the model{_model_text(f)}.{f.said}",
            f"Ids resolve in the {ctx.kind} account and the region called: check the id{f' {f.call.model_id}' if f.call.model_id else ''} against "
            f"ListFoundationModels / ListInferenceProfiles in account {ctx.account}, region {ctx.region} (spelling, version suffix, geography "
            "prefix), and that the model is offered in that region.",
        )
    if re.search("provided guardrail identifier is invalid", f.message, re.I) or (
        re.search("guardrail", f.message, re.I) and re.search("not found|invalid|does not exist", f.message, re.I)
    ):
        identifier = f.call.guardrail_identifier or "the guardrail"
        return (
            "hub-resource",
            f"Bedrock in {ctx.region} of {f.role_account} does not know the guardrail {identifier}.{f.said}",
            f"Guardrails are account-scoped: the guardrail {identifier} must exist in account {ctx.account}, region {ctx.region}, with the version sent "
            "(a number or DRAFT). Create it there, or pass the id of one that does.",
        )
    return None


def _on_demand_unsupported(f: _Facts, model_id: str) -> Explanation:
    geography = _geography_for(f.ctx.region)
    profile = f"{geography}.{model_id}" if geography else f"global.{model_id}"
    return (
        "model-routing",
        f"Bedrock does not serve {model_id} on demand by its model id: it must be called through an inference profile that contains it.{f.said}",
        f"Call it with the inference profile id {profile} (the {geography or 'global'} profile, which {f.ctx.region} can call)"
        + (f", or global.{model_id} where the model has a global profile" if geography else "")
        + ", and grant that profile to the hub role with "
        + f"BedrockModel.crossRegionProfile('{profile}'{', { destinationRegions: [...] }' if geography else ''}) on the BedrockHubRole, which also "
        "allows the model in the regions the profile routes to.",
    )


def _not_found(f: _Facts) -> Explanation:
    ctx = f.ctx
    if re.search("use case details have not been submitted", f.message, re.I):
        return _model_access(
            f,
            f"Anthropic's first-time-use form has not been submitted for {f.role_account}.",
            f"Submit the Anthropic use case details in account {ctx.account} (Bedrock console, or the PutUseCaseForModelAccess API), or once in "
            "the organization's management account, which covers its member accounts; the workload account's form does not count. It takes "
            "effect within minutes. No role or policy change helps.",
        )
    if re.search("marked by provider as Legacy", f.message, re.I):
        return _model_access(
            f,
            f"The model{_model_text(f)} is Legacy, and {f.role_account} has not used it in the last 15 days.",
            f"Legacy models stay available only to accounts that used them recently; through the hub, that is account {ctx.account}. "
            "Move to an active model (the provider's successor), and grant it to the hub role.",
        )
    resource = re.search(r"arn:[\w-]+:bedrock:[\w-]*:(\d{12}):[^\s,;\"']+", f.message)
    if resource and resource.group(1) != ctx.account:
        return _foreign_resource(f, resource.group(0), resource.group(1))
    return (
        "hub-resource",
        f"Bedrock in {ctx.region} of {f.role_account} does not know the resource of this call.{f.said}",
        f"Resources resolve in the {ctx.kind} account and region: check that the model, inference profile, guardrail, agent or knowledge "
        f"base exists in account {ctx.account} and region {ctx.region}, and that the model is offered there.",
    )


def _foreign_resource(f: _Facts, arn: str, account: str) -> Explanation:
    """The call names an account-scoped resource of another account than the role's."""
    ctx = f.ctx
    return (
        "hub-resource",
        f"The call names {arn}, which is in account {account}, but calls through the {ctx.kind} role run as "
        f"{ctx.role_arn} in account {ctx.account}.{f.said}",
        "Application inference profiles, guardrails, knowledge bases, prompts and agents are account-scoped: create the resource in the "
        f"{ctx.kind} account {ctx.account} ({ctx.region}) and use that ARN, or use a system-defined cross-region inference profile (us., eu., global., …).",
    )


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
