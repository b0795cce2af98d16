"""What every client built on hub credentials does besides signing with them, as botocore event hooks:

- ``ExpiredToken(Exception)``: forget the credentials that signed the failed attempt, refresh, and
  retry that call once (``needs-retry``, answered before botocore's own retry handler; the access
  key id of each attempt is read from its signed request in ``request-created``, after signing);
- Bedrock requests checked before anything is sent (``before-parameter-build``, see
  :mod:`bedrock_hub_access.request_checks`);
- Bedrock's errors explained: a Bedrock client's ``ClientError`` becomes a :class:`BedrockHubError`
  naming the layer (role permission or model access in the hub, resource in another account, a client
  not built by the hub) that is still an instance of the service's exception class;
- bearer tokens: never signed with (``before-sign``), whatever ``AWS_BEARER_TOKEN_BEDROCK`` or a
  client's config says. Newer botocore would otherwise prefer ``Authorization: Bearer`` for Bedrock
  when that variable is set; hub clients are configured to prefer SigV4 as well.
"""

import re
from typing import Any, Callable, Dict, List, Optional

from botocore.exceptions import ClientError

from .credentials import HubCredentials
from .bedrock_diagnosis import call_details_of, explain_bedrock_error, explained_service_error
from .bedrock_facts import BedrockErrorContext
from .errors import BedrockHubError, is_expired_token_code
from .request_checks import check_bedrock_request

_SIGNED_WITH = "bedrock_hub_access_signed_with"
_RETRIED = "bedrock_hub_access_expired_token_retried"
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


def signing_access_key(headers: Any) -> Optional[str]:
    """The access key id in a SigV4 ``Authorization`` header (``… Credential=AKID/date/region/service/aws4_request, …``)."""
    value = headers.get("Authorization") if headers is not None else None
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    match = _CREDENTIAL.search(value or "")
    return match.group(1) if match else None


class HubClientHooks:
    """The hooks of the clients of one role session."""

    def __init__(self, credentials: HubCredentials, role_arn: str, account: str, target: bool) -> None:
        self._credentials = credentials
        self._role_arn = role_arn
        self._account = account
        self._target = target
        self.known_roles: Dict[str, str] = {}
        """Roles configured for other accounts (account → role ARN), for the hints of refused requests."""

    def register(self, events: Any) -> None:
        """Registers the hooks on an event emitter (a botocore session's, copied into each client it creates)."""
        events.register_first("needs-retry", self.retry_expired_token, unique_id="bedrock-hub-access-expired-token")
        events.register_last("request-created", self.record_signing_key, unique_id="bedrock-hub-access-signing-key")
        events.register("before-sign", self.refuse_bearer, unique_id="bedrock-hub-access-refuse-bearer")
        events.register("creating-client-class", self.explain_errors, unique_id="bedrock-hub-access-explain-errors")
        events.register("before-parameter-build", self.check_request, unique_id="bedrock-hub-access-check-request")

    def check_request(self, params: Any = None, model: Any = None, context: Any = None, event_name: str = "", **_: Any) -> None:
        """Refuses a Bedrock request with a malformed id, or a resource ARN in another account, before anything is sent."""
        if not event_name.startswith("before-parameter-build.bedrock") or model is None:
            return
        region = (context or {}).get("client_region") or ""
        error = check_bedrock_request(
            model.name, params, self._role_arn, self._account, region, self._target, self.known_roles.get
        )
        if error is not None:
            raise error

    def explain_errors(self, base_classes: List[type], event_name: str = "", **_: Any) -> None:
        """Bedrock clients (``bedrock``, ``bedrock-runtime``, ``bedrock-agent-runtime``, …) explain their errors."""
        if not event_name.startswith("creating-client-class.bedrock"):
            return
        hooks = self

        class ExplainingBedrockClient:
            def _make_api_call(self, operation_name: str, api_params: Any) -> Any:
                try:
                    return super()._make_api_call(operation_name, api_params)  # type: ignore[misc]
                except ClientError as error:
                    region = getattr(getattr(self, "meta", None), "region_name", None) or ""
                    explained = explain_bedrock_error(
                        error,
                        BedrockErrorContext(hooks._role_arn, hooks._account, region, hooks._target),
                        call_details_of(operation_name, api_params),
                    )
                    if explained is None:
                        raise
                    raise explained_service_error(error, *explained) from error

        base_classes.insert(0, ExplainingBedrockClient)

    def record_signing_key(self, request: Any = None, **_: Any) -> None:
        """Notes which access key id signed this attempt, in the call's context."""
        context = getattr(request, "context", None)
        key = signing_access_key(getattr(request, "headers", None))
        if isinstance(context, dict) and key is not None:
            context[_SIGNED_WITH] = key

    def retry_expired_token(self, response: Any = None, request_dict: Any = None, **_: Any) -> Optional[float]:
        """``0`` (retry now) after the first ``ExpiredToken(Exception)`` of a call, with the credentials that
        signed it forgotten; ``None`` (botocore decides) otherwise."""
        if response is None or request_dict is None:
            return None
        parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else {}
        code = (parsed.get("Error") or {}).get("Code") if isinstance(parsed, dict) else None
        if not is_expired_token_code(code):
            return None
        context = request_dict.setdefault("context", {})
        self._credentials.invalidate(context.get(_SIGNED_WITH))
        if context.get(_RETRIED):
            return None
        context[_RETRIED] = True
        return 0

    def refuse_bearer(self, signature_version: Any = None, **_: Any) -> None:
        """Refuses to let a hub client send a bearer token instead of a SigV4 signature."""
        if signature_version == "bearer":
            raise BedrockHubError(
                "configuration",
                "A hub client was about to send a bearer token; hub clients only sign with SigV4 and the hub credentials.",
                "Remove AWS_BEARER_TOKEN_BEDROCK / AWS_AUTH_SCHEME_PREFERENCE (or the client config's bearer setting) from the function, "
                "or make this call with a client not built by the hub session.",
            )
