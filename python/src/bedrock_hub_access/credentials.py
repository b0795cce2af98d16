"""The refresh logic: botocore's own refreshable credentials, fed by AssumeRole.

botocore's ``RefreshableCredentials`` already refreshes lazily at call time (a frozen Lambda runs
no timers) and lets one thread refresh while the others wait or keep the current credentials:

| time left                 | ``get_frozen_credentials()``                                           |
|---------------------------|------------------------------------------------------------------------|
| more than 15 min          | the cached credentials                                                 |
| 15 to 10 min (advisory)   | refresh; if STS fails, the cached ones (STS asked at most every 30 s)  |
| 10 min or less, or none   | refresh, or raise                                                      |

This module adds what botocore leaves out: the time comes from an injectable clock, sessions
shorter than 40 minutes start their advisory window halfway (as the Node shim does), credentials
a service reported expired can be invalidated by access key id, and who the credentials belong to
is kept (from ``AssumedRoleUser``, no extra call).
"""

import threading
from typing import Any, Dict, Optional

from botocore.credentials import CredentialProvider, DeferredRefreshableCredentials

from .assume_role import AssumedSession, RoleAssumer
from .clock import Clock, datetime_fetcher
from .errors import BedrockHubError

ADVISORY_REFRESH_SECONDS = 15 * 60
"""botocore's advisory window: refresh with this much left, keeping the current credentials if that fails."""
MANDATORY_REFRESH_SECONDS = 10 * 60
"""botocore's mandatory window: never sign with credentials that have this much left or less."""
ADVISORY_RETRY_INTERVAL_SECONDS = 30
"""After a failed refresh in the advisory window, wait this long before asking STS again."""

METHOD = "bedrock-hub-assume-role"


def advisory_window_seconds(duration_seconds: int) -> float:
    """The advisory window for sessions of ``duration_seconds``: 15 min, or halfway for sessions under 40 min."""
    return min(ADVISORY_REFRESH_SECONDS, (duration_seconds + MANDATORY_REFRESH_SECONDS) / 2)


class HubCredentials(DeferredRefreshableCredentials):
    """Refreshable credentials of one role session: ``credentials`` of a hub session.

    A ``botocore.credentials.RefreshableCredentials``: pass it wherever botocore credentials go.
    The first AssumeRole happens on first use; errors are :class:`BedrockHubError`.
    """

    def __init__(self, assumer: RoleAssumer, duration_seconds: int, clock: Clock) -> None:
        self._assumer = assumer
        self._clock = clock
        self._session: Optional[AssumedSession] = None
        self._last_failure_at: Optional[float] = None
        self._fetch_lock = threading.Lock()
        super().__init__(refresh_using=self._fetch, method=METHOD, time_fetcher=datetime_fetcher(clock))
        self._advisory_refresh_timeout = advisory_window_seconds(duration_seconds)
        self._mandatory_refresh_timeout = MANDATORY_REFRESH_SECONDS

    @property
    def assumed_session(self) -> AssumedSession:
        """The current session (refreshed first when due): credentials, account, ARN, session name."""
        self.get_frozen_credentials()
        assert self._session is not None
        return self._session

    def invalidate(self, access_key: Optional[str]) -> None:
        """Forgets the credentials with this access key id (a service said they expired), so the next use
        refreshes. Credentials fetched since are kept: concurrent calls that saw the same expired key
        cause one refresh, not one each."""
        with self._refresh_lock:
            session = self._session
            if session is not None and (access_key is None or session.access_key == access_key):
                self._expiry_time = self._time_fetcher()

    def _fetch(self) -> Dict[str, Any]:
        with self._fetch_lock:
            now = self._clock()
            current = self._session
            if current is not None and self._last_failure_at is not None and now - self._last_failure_at < ADVISORY_RETRY_INTERVAL_SECONDS:
                if current.expiration.timestamp() - now > MANDATORY_REFRESH_SECONDS and self._expiry_time is not None and \
                        self._expiry_time.timestamp() == current.expiration.timestamp():
                    # Advisory window, STS failed moments ago: keep the current credentials, no new attempt.
                    return _metadata(current)
            try:
                session = self._assumer.assume()
            except Exception:
                self._last_failure_at = self._clock()
                raise
            fetched_at = self._clock()
            left = session.expiration.timestamp() - fetched_at
            if left <= MANDATORY_REFRESH_SECONDS:
                self._last_failure_at = fetched_at
                raise BedrockHubError(
                    "sts",
                    f"STS issued credentials that expire in {left / 60:.1f} min by this machine's clock "
                    f"(at {session.expiration.isoformat()}), which is inside the last {MANDATORY_REFRESH_SECONDS // 60} minutes "
                    "the shim never signs with.",
                    "The machine's clock is probably off by several minutes; otherwise request a longer DurationSeconds.",
                )
            self._session = session
            self._last_failure_at = None
            return _metadata(session)


def _metadata(session: AssumedSession) -> Dict[str, Any]:
    return {
        "access_key": session.access_key,
        "secret_key": session.secret_key,
        "token": session.token,
        "expiry_time": session.expiration.isoformat(),
    }


class HubCredentialProvider(CredentialProvider):
    """A botocore credential provider that always answers with one :class:`HubCredentials`.

    For libraries that take a provider (``CredentialResolver([provider])``) rather than credentials.
    """

    METHOD = METHOD
    CANONICAL_NAME = "BedrockHubAccess"

    def __init__(self, credentials: HubCredentials) -> None:
        super().__init__()
        self.credentials = credentials

    def load(self) -> HubCredentials:
        return self.credentials
