"""The one call that crosses into the hub: ``sts:AssumeRole``, on a regional STS client that fails
fast, with the identity check that costs nothing."""

import re
import threading
from typing import Any, Dict, NamedTuple, Optional

import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, CredentialResolver, Credentials

from .config import RoleTarget
from .assume_role_diagnosis import AssumeRoleErrorContext, assume_role_error
from .errors import BedrockHubError

STS_CONNECT_TIMEOUT_SECONDS = 1
"""Give up connecting to STS after this long: a VPC without an STS endpoint drops packets."""
STS_READ_TIMEOUT_SECONDS = 3
"""Give up on an STS answer after this long (AssumeRole normally answers well within a second)."""
STS_MAX_ATTEMPTS = 2
"""One try and one retry, so an unreachable STS costs seconds, not the function's timeout."""

_ASSUMED_ROLE_ARN = re.compile(r"arn:[\w-]+:sts::(\d{12}):assumed-role/[^/]+/(.+)", re.ASCII)


class AssumedSession(NamedTuple):
    """Credentials of an assumed role session, with who they belong to."""

    access_key: str
    secret_key: str
    token: str
    expiration: Any
    """``datetime`` (aware) at which STS says they expire."""
    assumed_role_arn: str
    account: str
    session_name: str


class _GivenCredentials(CredentialProvider):
    """Hands botocore the master credentials it was given (for an STS client on a session of our own)."""

    METHOD = "bedrock-hub-access-master"

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> Credentials:
        return self._credentials


def sts_client_config() -> Config:
    """The STS client's configuration: quick to give up, one retry, marked in the user agent."""
    return Config(
        connect_timeout=STS_CONNECT_TIMEOUT_SECONDS,
        read_timeout=STS_READ_TIMEOUT_SECONDS,
        retries={"total_max_attempts": STS_MAX_ATTEMPTS, "mode": "standard"},
        user_agent_extra="bedrock-hub-access",
    )


class RoleAssumer:
    """Assumes one :class:`RoleTarget`. The STS client is created on first use, once (thread-safe)."""

    def __init__(self, target: RoleTarget, master_credentials: Optional[Credentials] = None, is_target: bool = False) -> None:
        self._target = target
        self._kind = "target" if is_target else "hub"
        self._master = master_credentials
        self._client: Any = None
        self._lock = threading.Lock()

    def _sts(self) -> Any:
        with self._lock:
            if self._client is None:
                target = self._target
                session = botocore.session.Session()
                # Regional, whatever AWS_STS_REGIONAL_ENDPOINTS or an older botocore's default says.
                session.set_config_variable("sts_regional_endpoints", "regional")
                if self._master is not None:
                    session.register_component("credential_provider", CredentialResolver([_GivenCredentials(self._master)]))
                self._client = session.create_client(
                    "sts", region_name=target.sts_region, endpoint_url=target.sts_endpoint, config=sts_client_config()
                )
            return self._client

    def assume(self) -> AssumedSession:
        """Calls AssumeRole and checks the identity; every failure is a :class:`BedrockHubError`."""
        target = self._target
        context = AssumeRoleErrorContext(
            role_arn=target.role_arn,
            sts_region=target.sts_region,
            external_id_set=target.external_id is not None,
            duration_seconds=target.duration_seconds,
            sts_endpoint=target.sts_endpoint,
            tag_keys=tuple(key for key, _ in target.tags),
            source_identity_set=target.source_identity is not None,
            kind=self._kind,
        )
        params: Dict[str, Any] = {
            "RoleArn": target.role_arn,
            "RoleSessionName": target.session_name,
            "DurationSeconds": target.duration_seconds,
        }
        if target.external_id is not None:
            params["ExternalId"] = target.external_id
        if target.tags:
            params["Tags"] = [{"Key": key, "Value": value} for key, value in target.tags]
        if target.source_identity is not None:
            params["SourceIdentity"] = target.source_identity
        try:
            output = self._sts().assume_role(**params)
        except Exception as error:  # noqa: BLE001 - every failure becomes a BedrockHubError naming the layer
            raise assume_role_error(error, context) from error
        credentials = output.get("Credentials") or {}
        if not all(credentials.get(k) for k in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")):
            raise BedrockHubError(
                "sts",
                f"AssumeRole on {target.role_arn} answered without complete credentials.",
                "The STS endpoint is not behaving like STS: check AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL, or retry.",
            )
        account, session_name = check_assumed_identity((output.get("AssumedRoleUser") or {}).get("Arn"), target)
        return AssumedSession(
            access_key=credentials["AccessKeyId"],
            secret_key=credentials["SecretAccessKey"],
            token=credentials["SessionToken"],
            expiration=credentials["Expiration"],
            assumed_role_arn=output["AssumedRoleUser"]["Arn"],
            account=account,
            session_name=session_name,
        )

    def close(self) -> None:
        """Closes the STS client's connections."""
        with self._lock:
            if self._client is not None and hasattr(self._client, "close"):
                self._client.close()
            self._client = None


def check_assumed_identity(assumed_role_arn: Optional[str], target: RoleTarget) -> "tuple[str, str]":
    """The free identity check: the account in ``AssumedRoleUser.Arn`` must be the role's account.

    :returns: (account, session name)
    :raises BedrockHubError: layer ``identity-mismatch``
    """
    hint = (
        "The shim does not sign with these credentials. Check that AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (if set) point at "
        "the real STS of this partition, and that no proxy rewrites STS responses."
    )
    match = _ASSUMED_ROLE_ARN.fullmatch(assumed_role_arn or "")
    if not match:
        raise BedrockHubError(
            "identity-mismatch",
            f"AssumeRole on {target.role_arn} returned the AssumedRoleUser.Arn '{assumed_role_arn or ''}', which is not an assumed-role ARN.",
            hint,
        )
    account, session_name = match.group(1), match.group(2)
    if account != target.account:
        raise BedrockHubError(
            "identity-mismatch",
            f"AssumeRole on {target.role_arn} returned a session in account {account} ({assumed_role_arn}), "
            f"not in the role's account {target.account}.",
            hint,
        )
    return account, session_name
