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
from typing import Any, Dict, Mapping, Optional

from botocore.exceptions import ClientError

from .bedrock_access_denied import access_denied
from .bedrock_facts import (
    BedrockCallDetails,
    BedrockErrorContext,
    Explanation,
    Facts,
    foreign_resource,
    model_access,
    model_text,
)
from .bedrock_resources import source_geography_of
from .errors import BedrockHubError, error_code, error_message

_ACCESS_DENIED = {"AccessDeniedException", "AccessDenied", "accessDeniedException", "PermissionDeniedError"}
_THROTTLING = {
    "ThrottlingException", "throttlingException", "TooManyRequestsException", "ServiceQuotaExceededException",
    "serviceQuotaExceededException", "RateLimitError",
}
_VALIDATION = {"ValidationException", "validationException", "BadRequestError"}
_NOT_FOUND = {"ResourceNotFoundException", "resourceNotFoundException", "NotFoundError"}
_MODEL_CALLS = {"Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"}


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
    f = Facts(
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
        return access_denied(f)
    if code in _VALIDATION:
        return _validation(f)
    if code in _NOT_FOUND:
        return _not_found(f)
    return None


# ---------------------------------------------------------------------------
# Credentials and quotas
# ---------------------------------------------------------------------------


def _expired_token(f: Facts) -> Explanation:
    return (
        "expired-token",
        f"Bedrock says the security token the call was signed with has expired.{f.said}",
        "The client signed with credentials that had expired: a client given credentials resolved once (the values of "
        "`hub.credentials.get_frozen_credentials()`, or aws_access_key_id / aws_secret_access_key / aws_session_token copied into "
        "boto3.client(...)) keeps signing with them after they expire, an hour at most. Pass `hub.credentials` itself (botocore "
        "refreshable credentials) or the provider `hub.credential_provider`, which refresh before every call, or build the client with "
        "`hub.client(...)`, which also retries once on ExpiredToken. If the client already uses them, check the function's clock.",
    )


def _unrecognized_client(f: Facts) -> Explanation:
    return (
        "wrong-client",
        f"Bedrock does not recognize the credentials the call was signed with.{f.said}",
        "Hub credentials are temporary: they are only valid with their session token. A library given the access key and secret without "
        "the session token (or with an empty one) signs a request Bedrock cannot match. Pass `hub.credentials` (botocore credentials "
        "that carry all three, refreshed) or the provider `hub.credential_provider`, or build the client with `hub.client(...)`.",
    )


def _quota(f: Facts) -> Explanation:
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
# Validation and not found
# ---------------------------------------------------------------------------


def _validation(f: Facts) -> Optional[Explanation]:
    ctx = f.ctx
    on_demand = re.search(r"Invocation of model ID (\S+) with on-demand throughput isn.t supported", f.message, re.I)
    if on_demand:
        return _on_demand_unsupported(f, on_demand.group(1))
    if re.search("provided model identifier is invalid", f.message, re.I) or re.search(
        "model identifier|inference profile|model id", f.message, re.I
    ):
        return (
            "hub-resource",
            f"Bedrock in {ctx.region} of {f.role_account} does not know the model{model_text(f)}.{f.said}",
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


def _on_demand_unsupported(f: Facts, model_id: str) -> Explanation:
    geography = source_geography_of(f.ctx.region)
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


def _not_found(f: Facts) -> Explanation:
    ctx = f.ctx
    if re.search("use case details have not been submitted", f.message, re.I):
        return model_access(
            f,
            f"Anthropic's first-time-use form has not been submitted for {f.role_account}.",
            f"Submit the Anthropic use case details in account {ctx.account} (Bedrock console, or the PutUseCaseForModelAccess API), or once in "
            "the organization's management account, which covers its member accounts; the workload account's form does not count. It takes "
            "effect within minutes. No role or policy change helps.",
        )
    if re.search("marked by provider as Legacy", f.message, re.I):
        return model_access(
            f,
            f"The model{model_text(f)} is Legacy, and {f.role_account} has not used it in the last 15 days.",
            f"Legacy models stay available only to accounts that used them recently; through the hub, that is account {ctx.account}. "
            "Move to an active model (the provider's successor), and grant it to the hub role.",
        )
    resource = re.search(r"arn:[\w-]+:bedrock:[\w-]*:(\d{12}):[^\s,;\"']+", f.message)
    if resource and resource.group(1) != ctx.account:
        return foreign_resource(f, resource.group(0), resource.group(1))
    return (
        "hub-resource",
        f"Bedrock in {ctx.region} of {f.role_account} does not know the resource of this call.{f.said}",
        f"Resources resolve in the {ctx.kind} account and region: check that the model, inference profile, guardrail, agent or knowledge "
        f"base exists in account {ctx.account} and region {ctx.region}, and that the model is offered there.",
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
