"""The hub session: what handler code holds. It builds boto3 clients on the shared hub credentials and
is cached per configuration and region, like the credential caches behind it. Each target account of
``BEDROCK_ASSUME_ROLE_TARGETS`` has a session of its own, reached with ``for_account`` / ``for_resource``.
"""

import datetime
import os
import threading
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

import boto3

from ._contract import ENV, LAMBDA_ENV
from .clock import Clock, system_clock
from .environment import hub_mode_on, read_region
from .errors import BedrockHubError

if TYPE_CHECKING:  # the hub machinery is imported when hub mode is on, not before
    from .config import RoleTarget
    from .credentials import HubCredentialProvider, HubCredentials
    from .role_session import RoleSession

_CREDENTIAL_ARGUMENTS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


class BedrockHubIdentity(NamedTuple):
    """Who the credentials of a session belong to (from AssumeRole's answer, no extra call)."""

    account: str
    """The role's account: the hub account, or a target account."""
    arn: str
    """The assumed-role session ARN (``arn:aws:sts::<account>:assumed-role/<role>/<session>``)."""
    session_name: str
    """The role session name (shows in the hub account's CloudTrail)."""
    expiration: datetime.datetime
    """When STS says the current credentials expire."""


class _SessionFamily:
    """The sessions of one configuration: the primary one, and one per account with a role."""

    def __init__(self) -> None:
        self.primary: Optional["BedrockHubSession"] = None
        self.by_account: Dict[str, "BedrockHubSession"] = {}


_lock = threading.RLock()
_role_sessions: Dict[Tuple[Any, ...], "RoleSession"] = {}
_hub_sessions: Dict[Tuple[Any, ...], "BedrockHubSession"] = {}


class BedrockHubSession:
    """Builds boto3 clients that call Bedrock (or anything else) as the hub role, on one shared, lazily
    refreshed set of credentials. Get one with :func:`get_bedrock_hub_session`.

    With hub mode off (``BEDROCK_ASSUME_ROLE_ARN`` absent or empty) :meth:`client` is exactly
    ``boto3.Session(region_name=region).client(...)``.
    """

    def __init__(self, region: Optional[str], role: Optional["RoleSession"], family: _SessionFamily, is_target: bool = False) -> None:
        self.enabled: bool = role is not None
        """Whether calls go through a role (the hub role, or for a target session, the target's)."""
        self.region: Optional[str] = region
        """The region of STS and of the clients built here (unless a client's ``region_name`` says otherwise)."""
        self.role_arn: Optional[str] = role.target.role_arn if role else None
        self.account: Optional[str] = role.target.account if role else None
        self.session_name: Optional[str] = role.target.session_name if role else None
        self._role = role
        self._family = family
        self._is_target = is_target
        self._plain: Optional[boto3.Session] = None

    @property
    def credentials(self) -> Optional["HubCredentials"]:
        """The role's credentials as botocore ``RefreshableCredentials`` (refreshed at use, never the
        function's own); ``None`` when hub mode is off. For libraries that take credentials."""
        return self._role.credentials if self._role else None

    @property
    def credential_provider(self) -> Optional["HubCredentialProvider"]:
        """A ``botocore.credentials.CredentialProvider`` answering with :attr:`credentials`; ``None`` when hub mode is off."""
        return self._role.provider if self._role else None

    @property
    def boto3_session(self) -> boto3.Session:
        """A ``boto3.Session`` in :attr:`region` on the role's credentials (hub mode on), or a plain one (off).

        This is what :func:`get_bedrock_session` returns: clients built from it sign with the hub
        credentials, retry once after ``ExpiredToken`` and never send a bearer token.
        """
        if self._role is not None:
            return self._role.boto3_session(self.region)
        with _lock:
            if self._plain is None:
                self._plain = boto3.Session(region_name=self.region) if self.region else boto3.Session()
            return self._plain

    def prefetch(self) -> Optional[threading.Thread]:
        """Starts AssumeRole for this session now, in a background thread, instead of at the first call
        (``get_bedrock_hub_session`` does this itself in Lambda, during INIT). ``None`` when hub mode is off."""
        return self._role.prefetch() if self._role else None

    def with_context(self, context: Any) -> "BedrockHubSession":
        """Hands over the invocation's Lambda context: a throttled AssumeRole is then retried (exponential
        backoff, full jitter) until 1 s before ``context.get_remaining_time_in_millis()`` runs out, instead of
        for 10 s. The deadline is the environment's, so a refresh already retrying (the INIT prefetch) gets it
        too. A context without ``get_remaining_time_in_millis`` changes nothing. Returns this session.
        """
        if self._role is not None:
            from .invocation_budget import record_invocation_deadline

            record_invocation_deadline(context, self._role.clock)
        return self

    @property
    def accounts(self) -> List[str]:
        """The accounts with a role: the hub role's, then those of ``BEDROCK_ASSUME_ROLE_TARGETS``."""
        return list(self._family.by_account)

    def client(self, service_name: str, **kwargs: Any) -> Any:
        """Builds a boto3 client: ``session.client(service_name, **kwargs)``.

        Hub mode on: signed with SigV4 and the role's credentials (never the function's own, never a
        bearer token), in :attr:`region` unless ``region_name`` says otherwise, retried once with
        fresh credentials after ``ExpiredToken``. Hub mode off: a plain boto3 client.

        :raises BedrockHubError: layer ``configuration`` when given ``aws_access_key_id``,
            ``aws_secret_access_key`` or ``aws_session_token`` with hub mode on
        """
        if self._role is None:
            return self.boto3_session.client(service_name, **kwargs)
        given = [name for name in _CREDENTIAL_ARGUMENTS if kwargs.get(name) is not None]
        if given:
            raise BedrockHubError(
                "configuration",
                f"client() was given {', '.join(given)}, but hub clients always use the role's credentials ({self._role.target.role_arn}).",
                "Remove them, or build the client with boto3.client(...) if it must not go through the hub.",
            )
        from .role_session import sigv4_preferred

        preferred = sigv4_preferred()
        if preferred is not None:
            config = kwargs.get("config")
            kwargs["config"] = preferred if config is None else config.merge(preferred)
        return self.boto3_session.client(service_name, **kwargs)

    def identity(self) -> Optional[BedrockHubIdentity]:
        """Who the session's credentials belong to (AssumeRole's answer; refreshes first when due).
        ``None`` when hub mode is off.

        :raises BedrockHubError: when AssumeRole fails
        """
        if self._role is None:
            return None
        current = self._role.credentials.assumed_session
        return BedrockHubIdentity(current.account, current.assumed_role_arn, current.session_name, current.expiration)

    def explain_error(self, error: BaseException, region: Optional[str] = None) -> BaseException:
        """Explains an error of a Bedrock call made with this session's credentials by a client the
        session did not build (one given ``hub.credentials``, or credentials resolved once): the
        :class:`BedrockHubError` a hub client would have raised (still an instance of the service's
        exception class), or ``error`` itself when the hub adds nothing or hub mode is off. Clients
        built by :meth:`client` explain their errors themselves.

        :param error: what the call raised
        :param region: the region the failing client called, when it is not :attr:`region`
        """
        if self._role is None or self.role_arn is None or self.account is None:
            return error
        from botocore.exceptions import ClientError

        from .bedrock_diagnosis import explain_bedrock_error, explained_service_error
        from .bedrock_facts import BedrockErrorContext

        explained = explain_bedrock_error(error, BedrockErrorContext(self.role_arn, self.account, region or self.region or "", self._is_target))
        if explained is None or not isinstance(error, ClientError):
            return error
        result = explained_service_error(error, *explained)
        result.__cause__ = error
        return result

    def for_account(self, account_id: str) -> "BedrockHubSession":
        """The session for a resource in ``account_id``: the hub session for the hub account, the target
        role's session for an account of ``BEDROCK_ASSUME_ROLE_TARGETS``. With hub mode off, accounts
        without a target role get the hub-off session (calls as the function, as without the shim).

        :raises BedrockHubError: layer ``invalid-identifier`` (not 12 digits, stray quote or
            whitespace) or ``no-target-role`` (no role for that account: never a fallback)
        """
        from .contract import describe_account_id_problem

        problem = describe_account_id_problem(account_id)
        if problem:
            raise BedrockHubError(
                "invalid-identifier", f"for_account: the account id {problem}", "Pass the account id alone, as stored without quotes or whitespace."
            )
        return self._for_account(account_id)

    def for_resource(self, arn_or_model_id: str) -> "BedrockHubSession":
        """The session for the account in a Bedrock resource ARN (agent alias, knowledge base, guardrail,
        application inference profile, …), as :meth:`for_account` picks it. ARNs without an account,
        model ids and system-defined inference profile ids resolve to the primary session.

        :raises BedrockHubError: layer ``invalid-identifier`` or ``no-target-role``
        """
        from .bedrock_resources import describe_bedrock_arn_problem, describe_bedrock_id_problem, parse_bedrock_arn
        from .contract import describe_stray_character, show_value

        is_arn = arn_or_model_id.startswith("arn:")
        if is_arn:
            problem = describe_bedrock_arn_problem(arn_or_model_id)
        elif "." in arn_or_model_id:
            problem = describe_bedrock_id_problem("modelId", arn_or_model_id)
        else:
            problem = (
                f"{describe_stray_character(arn_or_model_id) or show_value(arn_or_model_id) + ' is not an ARN'}; "
                "agent, knowledge base and guardrail ids name no account, so for_resource cannot pick a role for them."
            )
        if problem:
            raise BedrockHubError(
                "invalid-identifier",
                f"for_resource: {problem}",
                "Pass the resource's ARN (e.g. arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345), or call for_account(account_id).",
            )
        arn = parse_bedrock_arn(arn_or_model_id) if is_arn else None
        if arn is not None and arn.account:
            return self._for_account(arn.account, f"{arn.resource_type} {arn_or_model_id}")
        return self._primary

    @property
    def _primary(self) -> "BedrockHubSession":
        return self._family.primary or self

    def _for_account(self, account: str, resource: Optional[str] = None) -> "BedrockHubSession":
        session = self._family.by_account.get(account)
        if session is not None:
            return session
        primary = self._primary
        if not primary.enabled:
            return primary
        configured = ", ".join(
            f"{a} ({ENV['ROLE_ARN'] if s is primary else ENV['TARGETS']})" for a, s in self._family.by_account.items()
        )
        where = f", where the {resource} is" if resource else ""
        raise BedrockHubError(
            "no-target-role",
            f"No role is configured for account {account}{where}. Accounts with a role: {configured}.",
            f'Add {{"roleArn":"arn:aws:iam::{account}:role/<name>"}} to {ENV["TARGETS"]} (one role per account; its trust policy must let '
            "the function's role assume it), or use a resource in one of those accounts.",
        )

    def to_dict(self) -> Dict[str, Any]:
        """A loggable summary (never an ExternalId or any credential)."""
        target = self._role.target if self._role else None
        return {
            "enabled": self.enabled,
            "region": self.region,
            "roleArn": self.role_arn,
            "sessionName": self.session_name,
            "externalId": None if target is None or target.external_id is None else "(set)",
            "durationSeconds": target.duration_seconds if target else None,
            "sessionTags": dict(target.tags) if target and target.tags else None,
            "sourceIdentity": target.source_identity if target else None,
            "accounts": self.accounts or None,
        }

    def __repr__(self) -> str:
        return f"BedrockHubSession({self.to_dict()!r})"


def _role_session_for(target: "RoleTarget", clock: Clock, master_session: Optional[boto3.Session], is_target: bool = False) -> "RoleSession":
    """The process-wide role session for ``target``: one per role ARN, ExternalId, session name,
    duration, STS region (and endpoint), session tags and source identity. The first caller's clock
    and master session are the ones it uses."""
    key = target.key()
    session = _role_sessions.get(key)
    if session is None:
        from .role_session import RoleSession

        session = RoleSession(target, clock, master_session, is_target)
        _role_sessions[key] = session
    return session


def get_bedrock_hub_session(
    region: Optional[str] = None,
    *,
    env: Optional[Mapping[str, str]] = None,
    clock: Optional[Clock] = None,
    master_session: Optional[boto3.Session] = None,
    prefetch: Optional[bool] = None,
) -> BedrockHubSession:
    """The hub session for this function's configuration (the ``BEDROCK_ASSUME_ROLE_*`` variables) and
    region, cached per process: call it anywhere, as often as you like.

    Every variable is validated before anything is called. No AssumeRole happens here: the first
    call that needs the credentials makes it.

    :param region: the region of STS and the clients; default ``AWS_REGION``, then ``AWS_DEFAULT_REGION``
    :param env: where the variables are read (and, when it is not ``os.environ``, the STS endpoint
        settings ``AWS_ENDPOINT_URL_STS`` / ``AWS_ENDPOINT_URL``); default ``os.environ``
    :param clock: seconds since the epoch, for every expiry decision; default ``time.time``
    :param master_session: the session whose credentials call AssumeRole; default the default
        credential chain (in Lambda: the execution role)
    :param prefetch: start the hub role's first AssumeRole in the background when the session is
        created, so a handler that creates it at import time (INIT) has credentials by its first
        call; default: inside the Lambda runtime (``AWS_LAMBDA_FUNCTION_NAME`` and ``AWS_LAMBDA_RUNTIME_API`` set)
    :raises BedrockHubError: layer ``configuration`` naming the variable and the fix
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    if not hub_mode_on(environ):
        # Hub mode off: nothing of the hub machinery is loaded; a plain boto3 session per region.
        off_region = read_region(environ, region, validate=False)
        with _lock:
            off = _hub_sessions.get((off_region, None, ()))
            if off is None:
                off = BedrockHubSession(off_region, None, _SessionFamily())
                off._family.primary = off
                _hub_sessions[(off_region, None, ())] = off
            return off
    from .bearer_warning import warn_about_bearer_bypass
    from .config import read_hub_config

    config = read_hub_config(env, region)
    if config.target is not None:
        warn_about_bearer_bypass(environ, config.target.role_arn)
    if prefetch is None:
        # Inside the Lambda runtime only: a script or a test that imports a handler must not call STS by surprise.
        prefetch = bool(environ.get(LAMBDA_ENV["FUNCTION_NAME"])) and bool(environ.get(LAMBDA_ENV["RUNTIME_API"]))
    key = (config.region, config.target.key() if config.target else None, tuple(t.key() for t in config.targets))
    with _lock:
        session = _hub_sessions.get(key)
        if session is None:
            used_clock = clock or system_clock
            family = _SessionFamily()
            primary_role = _role_session_for(config.target, used_clock, master_session) if config.target else None
            session = BedrockHubSession(config.region, primary_role, family)
            family.primary = session
            if config.target is not None:
                family.by_account[config.target.account] = session
            for target in config.targets:
                family.by_account[target.account] = BedrockHubSession(
                    config.region, _role_session_for(target, used_clock, master_session, is_target=True), family, is_target=True
                )
            roles = {account: member.role_arn for account, member in family.by_account.items() if member.role_arn}
            for member in family.by_account.values():
                if member._role is not None:
                    member._role.hooks.known_roles.update({a: r for a, r in roles.items() if a != member.account})
            _hub_sessions[key] = session
            if prefetch:
                session.prefetch()
        return session


def get_bedrock_session(region: Optional[str] = None) -> boto3.Session:
    """A drop-in for the IDP Accelerator's ``get_bedrock_session()``: a ``boto3.Session`` whose clients
    call as the hub role (``BEDROCK_ASSUME_ROLE_ARN`` set), or a plain ``boto3.Session`` (unset or
    empty). Cached per region and configuration, with one credential cache per role session (two
    regions do not evict each other's credentials).

    :raises BedrockHubError: layer ``configuration`` when a variable has an unusable value
    """
    return get_bedrock_hub_session(region).boto3_session


def reset() -> None:
    """Forgets every cached session and its credentials, closes their STS connections, and lets the
    bearer-token warning warn again. For tests."""
    import sys

    from .bearer_warning import reset_bearer_bypass_warning

    reset_bearer_bypass_warning()
    budget = sys.modules.get(f"{__package__}.invocation_budget")
    if budget is not None:  # imported only once hub mode was on
        budget.reset_invocation_deadline()
    with _lock:
        for role in _role_sessions.values():
            role.close()
        _role_sessions.clear()
        _hub_sessions.clear()


reset_cached_session = reset
"""The IDP Accelerator's name for :func:`reset`, so its tests run unchanged."""
