"""The one call that crosses into the hub: ``sts:AssumeRole``, on a regional STS client that fails
fast, with the identity check that costs nothing."""

import random as _random
import re
import threading
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, CredentialResolver, Credentials

from .clock import Clock, system_clock
from .config import RoleTarget
from .assume_role_diagnosis import AssumeRoleErrorContext, assume_role_error, is_sts_region_failure, is_sts_throttling
from .errors import BedrockHubError
from .invocation_budget import sleep_unless_deadline_changes, throttle_retry_budget_ms
from .sts_backoff import THROTTLE_MAX_DELAY_MS, retry_throttled
from .sts_regions import StsRegionFailover

STS_CONNECT_TIMEOUT_SECONDS = 1
"""Give up connecting to STS after this long: a VPC without an STS endpoint drops packets."""
STS_READ_TIMEOUT_SECONDS = 3
"""Give up on an STS answer after this long (AssumeRole normally answers well within a second)."""
STS_FAILOVER_READ_TIMEOUT_SECONDS = 1.5
"""Give up on an STS answer after this long when another STS region is left to try: a region that accepts
connections but does not answer then costs little more than a connection timeout."""
STS_MAX_ATTEMPTS = 2
"""Attempts per AssumeRole when STS cannot be reached or answers 5xx and only one STS region is configured
(one try and one retry, so an unreachable STS costs seconds, not the function's timeout). With several
regions, each is tried once, in order. Throttling is retried separately, with backoff, within a time budget
(:mod:`bedrock_hub_access.sts_backoff`); botocore's own retries are off so no attempt is doubled."""

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


def sts_client_config(read_timeout: float = STS_READ_TIMEOUT_SECONDS) -> Config:
    """The STS client's configuration: quick to give up, botocore's retries off (the shim retries), marked in the user agent."""
    return Config(
        connect_timeout=STS_CONNECT_TIMEOUT_SECONDS,
        read_timeout=read_timeout,
        retries={"total_max_attempts": 1, "mode": "standard"},
        user_agent_extra="bedrock-hub-access",
    )


class RoleAssumer:
    """Assumes one :class:`RoleTarget`: in its STS regions in order (a region that answered 5xx or could
    not be reached is skipped for a while), retrying throttled calls with backoff and full jitter within a
    budget. The STS clients are created on first use, one per region and read timeout (thread-safe).

    :param clock: seconds since the epoch: the invocation deadline's and the region failures' time
    :param sleep: waits between throttled attempts, cut short when an invocation hands over a new deadline
        (tests pass one that moves ``monotonic``)
    :param monotonic: seconds, for the time spent retrying
    :param random: the jitter's source, uniform in [0, 1)
    """

    def __init__(
        self,
        target: RoleTarget,
        master_credentials: Optional[Credentials] = None,
        is_target: bool = False,
        clock: Clock = system_clock,
        sleep: Callable[[float], None] = sleep_unless_deadline_changes,
        monotonic: Callable[[], float] = time.monotonic,
        random: Callable[[], float] = _random.random,
    ) -> None:
        self._target = target
        self._kind = "target" if is_target else "hub"
        self._master = master_credentials
        self._clients: Dict[Tuple[str, float], Any] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._monotonic = monotonic
        self._random = random
        self._failover = StsRegionFailover(target.sts_regions or (target.sts_region,), clock)
        self._throttled: Optional[Tuple[float, float]] = None
        """The run of throttled attempts going on (first, latest; by ``monotonic``), whoever made them: a call
        that starts while it goes on (the first invocation after the prefetch gave up) shares the default
        budget with it instead of getting a fresh one."""

    def _sts(self, region: str, read_timeout: float = STS_READ_TIMEOUT_SECONDS) -> Any:
        with self._lock:
            client = self._clients.get((region, read_timeout))
            if client is None:
                session = botocore.session.Session()
                # Regional, whatever AWS_STS_REGIONAL_ENDPOINTS or an older botocore's default says.
                session.set_config_variable("sts_regional_endpoints", "regional")
                if self._master is not None:
                    session.register_component("credential_provider", CredentialResolver([_GivenCredentials(self._master)]))
                client = session.create_client(
                    "sts", region_name=region, endpoint_url=self._target.sts_endpoint, config=sts_client_config(read_timeout)
                )
                self._clients[(region, read_timeout)] = client
            return client

    def _send_in_regions(self, params: Dict[str, Any], tried: List[str]) -> Dict[str, Any]:
        """One AssumeRole, in the first region that answers: each region once, in the failover's order
        (one region: tried ``STS_MAX_ATTEMPTS`` times). An answer other than 5xx ends the round."""
        order = self._failover.order()
        failover = len(order) > 1
        plan = order if failover else [order[0]] * STS_MAX_ATTEMPTS
        last_error: Optional[BaseException] = None
        for i, region in enumerate(plan):
            tried.append(region)
            last = i == len(plan) - 1
            try:
                output: Dict[str, Any] = self._sts(region, STS_FAILOVER_READ_TIMEOUT_SECONDS if failover and not last else STS_READ_TIMEOUT_SECONDS).assume_role(**params)
            except Exception as error:  # noqa: BLE001 - region failures move on, the rest is raised as it came
                if not is_sts_region_failure(error):
                    raise
                if failover:
                    self._failover.mark_failed(region)
                last_error = error
                continue
            if failover:
                self._failover.mark_healthy(region)
            return output
        assert last_error is not None
        raise last_error

    def assume(self) -> AssumedSession:
        """Calls AssumeRole and checks the identity; every failure is a :class:`BedrockHubError`.

        Throttles are retried until shortly before the latest invocation deadline handed over
        (``with_context``), read again before each retry, or for the default budget without one."""
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
        tried: List[str] = []
        started = self._clock()
        spent_ms = self._default_budget_spent_ms()
        try:
            output = retry_throttled(
                lambda: self._tracked(lambda: self._send_in_regions(params, tried)),
                is_throttled=is_sts_throttling,
                budget_ms=lambda: throttle_retry_budget_ms(self._clock, started, spent_ms),
                monotonic=self._monotonic,
                sleep=self._sleep,
                random=self._random,
            )
        except Exception as error:  # noqa: BLE001 - every failure becomes a BedrockHubError naming the layer
            region = tried[-1] if tried else target.sts_region
            raise assume_role_error(error, context if region == target.sts_region else context._replace(sts_region=region)) from error
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

    def _default_budget_spent_ms(self) -> float:
        """What a run of throttles going on (its latest attempt no longer ago than the longest wait) has spent."""
        with self._lock:
            run = self._throttled
            now = self._monotonic()
            if run is None or (now - run[1]) * 1000 > THROTTLE_MAX_DELAY_MS:
                self._throttled = None
                return 0.0
            return (now - run[0]) * 1000

    def _tracked(self, attempt: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
        """Makes one attempt, keeping the run of throttles up to date with its outcome."""
        try:
            output = attempt()
        except Exception as error:
            now = self._monotonic()
            with self._lock:
                self._throttled = (self._throttled[0] if self._throttled else now, now) if is_sts_throttling(error) else None
            raise
        with self._lock:
            self._throttled = None
        return output

    def close(self) -> None:
        """Closes the STS clients' connections."""
        with self._lock:
            for client in self._clients.values():
                if hasattr(client, "close"):
                    client.close()
            self._clients.clear()


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
