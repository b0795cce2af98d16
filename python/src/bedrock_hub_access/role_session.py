"""One role session: the credentials of one role (hub or target) and the boto3 session every client
built for it shares, with the hub hooks on each client. Loaded only when hub mode is on."""

import threading
from typing import Dict, Optional

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialResolver
from botocore.tokens import TokenProviderChain

from .assume_role import RoleAssumer
from .client_hooks import HubClientHooks
from .clock import Clock
from .config import RoleTarget
from .credentials import HubCredentialProvider, HubCredentials
from .errors import BedrockHubError

# Bearer auth for Bedrock (AWS_BEARER_TOKEN_BEDROCK) came with `auth_scheme_preference`; older
# botocore has neither, and never sends a bearer token to Bedrock.
_SUPPORTS_AUTH_SCHEME_PREFERENCE = "auth_scheme_preference" in getattr(Config, "OPTION_DEFAULTS", {})


def sigv4_preferred() -> Optional[Config]:
    return Config(auth_scheme_preference="sigv4") if _SUPPORTS_AUTH_SCHEME_PREFERENCE else None


class RoleSession:
    """One role session: its credentials, and the boto3 session every client built for it shares."""

    def __init__(self, target: RoleTarget, clock: Clock, master_session: Optional[boto3.Session], is_target: bool) -> None:
        self.target = target
        self.clock = clock
        """The time of this session's expiry, invocation-deadline and region-failure decisions."""
        master = master_session.get_credentials() if master_session is not None else None
        if master_session is not None and master is None:
            raise BedrockHubError(
                "local-credentials",
                "The `master_session` given has no credentials to call AssumeRole with.",
                "Pass a boto3.Session with credentials, or leave `master_session` out to use the default chain (in Lambda: the execution role).",
            )
        self.assumer = RoleAssumer(target, master, is_target, clock=clock)
        self.credentials = HubCredentials(self.assumer, target.duration_seconds, clock)
        self.provider = HubCredentialProvider(self.credentials)
        self.hooks = HubClientHooks(self.credentials, target.role_arn, target.account, is_target)
        self._boto3_sessions: Dict[Optional[str], boto3.Session] = {}
        self._lock = threading.Lock()
        self._prefetch: Optional[threading.Thread] = None

    def prefetch(self) -> threading.Thread:
        """Starts the first AssumeRole in a background thread (once), so it overlaps the rest of INIT.
        A failure is not raised here: the first call that needs the credentials tries again and raises."""
        with self._lock:
            if self._prefetch is None:
                self._prefetch = threading.Thread(target=self._fetch_quietly, name="bedrock-hub-access-prefetch", daemon=True)
                self._prefetch.start()
            return self._prefetch

    def _fetch_quietly(self) -> None:
        try:
            self.credentials.get_frozen_credentials()
        except Exception:  # noqa: BLE001 - the caller's first use raises it, with the layer
            pass

    def boto3_session(self, region: Optional[str]) -> boto3.Session:
        """A boto3 session whose only credentials are this role's, with the hub hooks on every client."""
        with self._lock:
            session = self._boto3_sessions.get(region)
            if session is None:
                core = botocore.session.Session()
                core.register_component("credential_provider", CredentialResolver([self.provider]))
                # No token provider: hub clients have no bearer token to find, whatever the environment holds.
                core.register_component("token_provider", TokenProviderChain(providers=[]))
                preferred = sigv4_preferred()
                if preferred is not None:
                    core.set_default_client_config(preferred)
                self.hooks.register(core.get_component("event_emitter"))
                session = boto3.Session(botocore_session=core, region_name=region)
                self._boto3_sessions[region] = session
            return session

    def close(self) -> None:
        prefetch = self._prefetch
        if prefetch is not None:
            prefetch.join(timeout=10)  # the prefetch's throttling budget is 10 s unless an invocation lent it more
        self.assumer.close()
