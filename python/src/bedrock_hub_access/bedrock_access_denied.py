"""The access-denied half of the Bedrock diagnosis (the Node shim's ``lambda-shim/bedrock-access-denied.ts``):
an AccessDenied from a Bedrock call, read through its reason clause
(:mod:`bedrock_hub_access.access_denied_message`), explained by the policy type that denied and the
account it lives in, the region a cross-region profile routed to, the region-less ARN of a global
profile, a guardrail condition, or the model access the hub account lacks."""

import re
from typing import Optional

from .access_denied_message import AccessDeniedMessage, parse_access_denied_message
from .bedrock_facts import Explanation, Facts, foreign_resource, model_access, model_text
from .bedrock_resources import geography_prefix_of, source_geography_of
from .denying_policy import action_on_resource, organization_text, policy_arn_text


def _current_mechanics(f: Facts) -> str:
    """The model-access mechanics since the per-model switch was retired."""
    return (
        f"Serverless models are enabled by default; what can still be missing in {f.role_account} (the account that signs, not the workload "
        "account) is: the AWS Marketplace subscription the first call to a model starts (it needs aws-marketplace:Subscribe and "
        "aws-marketplace:ViewSubscriptions on the calling role, or one call by an administrator; it takes a few minutes), Anthropic's "
        "first-time-use form (once per account, or once in the organization's management account), or a valid payment method."
    )


def access_denied(f: Facts) -> Explanation:
    ctx, message = f.ctx, f.message
    if re.search(r"aws-marketplace:(ViewSubscriptions|Subscribe)\b", message):
        return _marketplace(f)
    if re.search("INVALID_PAYMENT_INSTRUMENT|payment instrument", message, re.I):
        return model_access(
            f,
            f"Bedrock could not complete the AWS Marketplace subscription of {f.role_account}: the account has no valid payment method.",
            f"Add a valid payment method to {f.role_account} (Billing and Cost Management > Payment preferences; in an organization, the "
            "management account pays), then call again: the first call starts the subscription, which takes a few minutes. No role or policy change helps.",
        )
    if re.search("don.t have access to the model", message, re.I):
        return model_access(
            f,
            f"Bedrock in {ctx.region} refused {f.role_account} the model{model_text(f)}.",
            f"{_current_mechanics(f)} For a cross-region inference profile, the model must also be offered in {ctx.region}, the source region.",
        )
    if re.search("account is not authorized to invoke this API operation", message, re.I):
        prompt = " with a prompt resource" if re.search("prompt resource", message, re.I) else ""
        return model_access(
            f,
            f"Bedrock refused {f.role_account} itself (not a role) the operation{prompt} in {ctx.region}{model_text(f)}.",
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
        return foreign_resource(f, denial.resource_arn or "", denial.resource_account)
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


def _marketplace(f: Facts) -> Explanation:
    ctx = f.ctx
    return (
        "hub-permission",
        f"The first call to this model in {f.role_account} starts its AWS Marketplace subscription, and {f.role} may not make it.{f.said}",
        f"The role lacks the AWS Marketplace actions the first call needs: allow aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe "
        f"to {ctx.role_arn}, limited to calls made through Bedrock (aws:CalledViaLast = bedrock.amazonaws.com; BedrockHubRole's "
        f"allowModelSubscription does this), or have an administrator of account {ctx.account} make one call to the model. Subscriptions are "
        "per account: the workload account's does not count. The subscription takes a few minutes to complete; call again after that.",
    )


def _service_role_denied(f: Facts, denial: AccessDeniedMessage, principal_role: str) -> Explanation:
    """Another role of the hub account was denied: an agent's or knowledge base's service role."""
    ctx = f.ctx
    return (
        "hub-permission",
        f"Bedrock denied {action_on_resource(denial)} to {principal_role}, a role of account {ctx.account} that acts on the call's behalf "
        f"(an agent's or knowledge base's service role), not to the {ctx.kind} role.{f.said}",
        f"Fix {principal_role}'s policies in account {ctx.account}: its {denial.policy_type_text or 'policies'} must allow "
        f"{action_on_resource(denial)}. The {ctx.kind} role's own permissions are not involved.",
    )


def _organization_policy_denied(f: Facts, denial: AccessDeniedMessage, policy: str) -> Explanation:
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


def _boundary_denied(f: Facts, denial: AccessDeniedMessage) -> Explanation:
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


def _session_policy_denied(f: Facts, denial: AccessDeniedMessage) -> Explanation:
    explicit = denial.deny_kind == "explicit"
    return (
        "hub-permission",
        f"{'An explicit deny in a session policy' if explicit else 'The session policy'} of the {f.ctx.kind} role's session "
        f"{'blocks' if explicit else 'does not allow'} {action_on_resource(denial)}.{f.said}",
        "The shim passes no session policy to AssumeRole; one on this session was passed (Policy / PolicyArns) by whatever created the "
        "credentials the call was signed with. Remove it or add this action and resource to it, or sign with a client built by `hub.client(...)`.",
    )


def _endpoint_service(f: Facts) -> str:
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


def _vpc_endpoint_denied(f: Facts, denial: AccessDeniedMessage) -> Explanation:
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


def _resource_policy_denied(f: Facts, denial: AccessDeniedMessage) -> Explanation:
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


def _guardrail_note(f: Facts, denial: AccessDeniedMessage) -> str:
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


def _profile_of(f: Facts) -> Optional[str]:
    model_id = f.call.model_id
    return model_id if model_id and geography_prefix_of(model_id) else None


def _routing_note(f: Facts, denial: AccessDeniedMessage) -> str:
    """What a denied resource's region tells: a cross-region profile's destination, or a global profile's region-less ARN."""
    resource = denial.resource_arn or ""
    if ":foundation-model/" not in resource:
        return ""
    model_id = resource[resource.index("foundation-model/") + len("foundation-model/"):]
    profile = _profile_of(f)
    if denial.resource_region == "":
        geographic = source_geography_of(f.ctx.region)
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


def _identity_policy_denied(f: Facts, denial: AccessDeniedMessage) -> Explanation:
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


def _unstated_denial(f: Facts, denial: Optional[AccessDeniedMessage]) -> Explanation:
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
