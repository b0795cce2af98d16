"""AssumeRole: a regional STS client that fails fast, the free identity check, errors naming the layer
and never a secret, and never a fallback to the function's own credentials."""

import http.server
import logging
import threading
import time
from typing import Any, Dict, Iterator, List, Optional

import pytest

from bedrock_hub_access import BedrockHubError, get_bedrock_hub_session
from bedrock_hub_access.assume_role import STS_CONNECT_TIMEOUT_SECONDS, STS_MAX_ATTEMPTS, STS_READ_TIMEOUT_SECONDS, sts_client_config
from conftest import HUB, MovableClock, Trail, converse, refused_endpoint


def error_of(call: Any) -> BedrockHubError:
    with pytest.raises(BedrockHubError) as raised:
        call()
    return raised.value


def test_the_sts_client_is_quick_to_give_up_and_leaves_retries_to_the_shim() -> None:
    config = sts_client_config()
    assert (config.connect_timeout, config.read_timeout) == (STS_CONNECT_TIMEOUT_SECONDS, STS_READ_TIMEOUT_SECONDS) == (1, 3)
    # botocore's retries off: the shim retries a region failure STS_MAX_ATTEMPTS times and throttles within a budget
    assert config.retries == {"total_max_attempts": 1, "mode": "standard"}
    assert STS_MAX_ATTEMPTS == 2


def test_sts_unreachable_fails_fast_with_layer_sts_unreachable_and_bedrock_is_never_called(
    lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    # GIVEN a VPC without an STS endpoint: connections to STS are refused
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", refused_endpoint())
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    started = time.monotonic()

    # WHEN
    error = error_of(lambda: converse(runtime))

    # THEN
    assert error.layer == "sts-unreachable"
    assert "STS interface VPC endpoint" in error.hint
    assert trail.converse() == []
    with capsys.disabled():
        print(f"\nBedrock call with STS refusing connections failed after {(time.monotonic() - started) * 1000:.0f} ms")


def test_a_wrong_external_id_leads_with_what_the_shim_sent_and_never_shows_the_value(
    lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    # GIVEN
    monkeypatch.setenv("BEDROCK_ASSUME_ROLE_EXTERNAL_ID", "wrong-external-id-s3cr3t")
    caplog.set_level(logging.DEBUG, logger="bedrock_hub_access")
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")

    # WHEN
    error = error_of(lambda: converse(runtime))

    # THEN
    # STS's bare sentence (no reason clause): the hint leads with what the shim knows, an ExternalId was sent.
    assert error.layer == "assume-role-denied"
    assert error.hint.startswith(
        "What the shim knows: an ExternalId was sent (BEDROCK_ASSUME_ROLE_EXTERNAL_ID): the trust policy's sts:ExternalId condition must equal that value."
    )
    assert f"(1) the role trust policy of {lambda_env['BEDROCK_ASSUME_ROLE_ARN']} in the hub account {HUB}" in error.hint
    for text in (str(error), repr(error), str(error.to_dict()), caplog.text):
        for secret in ("wrong-external-id-s3cr3t", lambda_env["AWS_SECRET_ACCESS_KEY"], lambda_env["AWS_SESSION_TOKEN"]):
            assert secret not in text
    assert trail.converse() == []


def test_a_role_the_function_may_not_assume_names_both_sides_and_that_the_role_may_not_exist(
    lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEDROCK_ASSUME_ROLE_ARN", f"arn:aws:iam::{HUB}:role/SomeOtherRole")

    error = error_of(lambda: converse(get_bedrock_hub_session(clock=clock).client("bedrock-runtime")))

    assert error.layer == "assume-role-denied"
    assert "(2) The role exists" in error.hint
    assert f"(3) The execution role's identity-based policy allows sts:AssumeRole on exactly arn:aws:iam::{HUB}:role/SomeOtherRole" in error.hint
    assert trail.converse() == []


def test_without_the_functions_own_credentials_there_is_no_fallback(
    lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    error = error_of(lambda: converse(get_bedrock_hub_session(clock=clock).client("bedrock-runtime")))

    assert error.layer == "local-credentials"
    assert trail.converse() == []


class _OtherAccountSts(http.server.BaseHTTPRequestHandler):
    """An endpoint that answers AssumeRole like STS, but with a session in another account."""

    requests: List[str] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.requests.append(self.path)
        body = (
            '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
            "<Credentials><AccessKeyId>ASIAOTHERACCOUNT0001</AccessKeyId><SecretAccessKey>other-secret</SecretAccessKey>"
            "<SessionToken>other-token</SessionToken><Expiration>2100-01-01T00:00:00Z</Expiration></Credentials>"
            "<AssumedRoleUser><AssumedRoleId>AROAOTHER:python-function</AssumedRoleId>"
            "<Arn>arn:aws:sts::999988887777:assumed-role/BedrockHubRole/python-function</Arn></AssumedRoleUser>"
            "</AssumeRoleResult><ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata>"
            "</AssumeRoleResponse>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def other_account_sts() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OtherAccountSts)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_session_in_another_account_than_the_roles_is_refused_and_bedrock_never_called(
    lambda_env: Any, clock: MovableClock, trail: Trail, monkeypatch: pytest.MonkeyPatch, other_account_sts: str
) -> None:
    # GIVEN an STS endpoint whose answer is a session in account 999988887777, not the hub's
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", other_account_sts)

    error = error_of(lambda: converse(get_bedrock_hub_session(clock=clock).client("bedrock-runtime")))

    assert error.layer == "identity-mismatch"
    assert "999988887777" in str(error) and "other-secret" not in str(error) and "other-token" not in str(error)
    assert trail.converse() == []


@pytest.mark.parametrize("setting", ["legacy", "regional", None])
def test_sts_is_always_called_on_its_regional_endpoint(monkeypatch: pytest.MonkeyPatch, setting: Any) -> None:
    # GIVEN no configured endpoint, and whatever AWS_STS_REGIONAL_ENDPOINTS says (older botocore defaults to legacy,
    # which sends us-east-1 and 15 other regions to the global sts.amazonaws.com)
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_STS_REGIONAL_ENDPOINTS"):
        monkeypatch.delenv(name, raising=False)
    if setting:
        monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", setting)
    from bedrock_hub_access.assume_role import RoleAssumer
    from bedrock_hub_access.config import read_hub_config

    target = read_hub_config({"BEDROCK_ASSUME_ROLE_ARN": f"arn:aws:iam::{HUB}:role/BedrockHubRole", "AWS_REGION": "us-east-1"}).target
    assert target is not None

    # WHEN / THEN
    assert RoleAssumer(target)._sts(target.sts_region).meta.endpoint_url == "https://sts.us-east-1.amazonaws.com"


class _FakeTime:
    """A monotonic clock that only the fake sleep moves; ``on_sleep`` runs before each wait."""

    def __init__(self, on_sleep: Any = None) -> None:
        self.now = 0.0
        self.waits_ms: List[int] = []
        self._on_sleep = on_sleep

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        if self._on_sleep is not None:
            self._on_sleep(len(self.waits_ms))
        self.waits_ms.append(round(seconds * 1000))
        self.now += seconds


class _Context:
    def __init__(self, remaining_ms: int) -> None:
        self._remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining_ms


def _assumer(env: Dict[str, str], clock: MovableClock, fake: "_FakeTime", **extra: str) -> Any:
    """A RoleAssumer for the hub role of ``env`` (plus ``extra`` variables), signing with the workload's credentials."""
    from botocore.credentials import Credentials

    from bedrock_hub_access.assume_role import RoleAssumer
    from bedrock_hub_access.config import read_hub_config

    target = read_hub_config({**env, **extra}).target
    assert target is not None
    master = Credentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"])
    return RoleAssumer(target, master, clock=clock, sleep=fake.sleep, monotonic=fake.monotonic, random=lambda: 0.999)


@pytest.fixture
def no_deadline() -> Iterator[None]:
    from bedrock_hub_access.invocation_budget import reset_invocation_deadline

    reset_invocation_deadline()
    yield
    reset_invocation_deadline()


def _throttle(emulator: Any, times: Optional[int] = None) -> None:
    rule: Dict[str, Any] = {"service": "sts", "operation": "AssumeRole", "kind": "throttle"}
    if times is not None:
        rule["times"] = times
    emulator.command("fault", rule=rule)


def test_throttled_twice_then_answered_the_role_is_assumed_after_two_jittered_waits(
    lambda_env: Any, clock: MovableClock, emulator: Any, no_deadline: None
) -> None:
    fake = _FakeTime()
    assumer = _assumer(lambda_env, clock, fake)
    _throttle(emulator, times=2)
    try:
        session = assumer.assume()
    finally:
        hits = emulator.command("clearFaults")
        assumer.close()
    assert session.account == HUB
    assert hits == [2]  # botocore's own retries are off: one request per attempt
    assert fake.waits_ms == [3_996, 5_748]  # 4 s ceiling; then what is left of the 10 s default budget but 250 ms


def test_throttled_until_the_budget_is_spent_sts_throttled_within_the_invocations_time(
    lambda_env: Any, clock: MovableClock, emulator: Any, no_deadline: None
) -> None:
    # GIVEN an invocation with 6 s left, handed over as the handler does
    get_bedrock_hub_session(clock=clock, prefetch=False).with_context(_Context(6_000))
    fake = _FakeTime()
    assumer = _assumer(lambda_env, clock, fake)
    _throttle(emulator)
    try:
        error = error_of(assumer.assume)
    finally:
        hits = emulator.command("clearFaults")
        assumer.close()
    assert error.layer == "sts-throttled"
    assert fake.waits_ms == [3_996, 753]  # within 6 s − 1 s: 4 s ceiling, then what is left but 250 ms
    assert hits == [3]


def test_a_call_that_starts_while_a_run_of_throttles_goes_on_shares_its_default_budget(
    lambda_env: Any, clock: MovableClock, emulator: Any, no_deadline: None
) -> None:
    # GIVEN a first call (the prefetch) that spent the 10 s default budget on throttles
    fake = _FakeTime()
    assumer = _assumer(lambda_env, clock, fake)
    _throttle(emulator)
    try:
        assert error_of(assumer.assume).layer == "sts-throttled"
        first_waited = sum(fake.waits_ms)
        assert first_waited > 9_000

        # WHEN the first invocation's call starts right after it
        second = error_of(assumer.assume)
    finally:
        hits = emulator.command("clearFaults")
        assumer.close()

    # THEN it made its one attempt and waited no more: one round of 10 s per environment, not two
    assert second.layer == "sts-throttled"
    assert sum(fake.waits_ms) == first_waited
    assert hits == [len(fake.waits_ms) + 2]


def test_an_invocation_that_hands_over_its_deadline_while_a_refresh_retries_lends_it_its_time(
    lambda_env: Any, clock: MovableClock, emulator: Any, no_deadline: None
) -> None:
    # GIVEN a refresh retrying throttles on the 10 s default (the INIT prefetch), and an invocation with
    # 30 s that hands over its context during the first wait
    def invocation_starts(wait: int) -> None:
        if wait == 0:
            get_bedrock_hub_session(clock=clock, prefetch=False).with_context(_Context(30_000))

    fake = _FakeTime(invocation_starts)
    assumer = _assumer(lambda_env, clock, fake)
    _throttle(emulator, times=3)
    try:
        session = assumer.assume()
    finally:
        emulator.command("clearFaults")
        assumer.close()
    # THEN the same round goes on within the invocation's 29 s (on 10 s the second wait could not pass 5.75 s)
    assert session.account == HUB
    assert fake.waits_ms == [3_996, 7_992, 7_992]


def test_the_primary_sts_region_down_assume_role_fails_over_in_order_and_skips_it_for_a_minute(
    lambda_env: Any, clock: MovableClock, emulator: Any, trail: Trail, no_deadline: None
) -> None:
    # GIVEN STS in the function's region answering 503, and a fallback region
    emulator.command("fault", rule={"service": "sts", "operation": "AssumeRole", "kind": "server-error", "status": 503, "region": "us-east-1"})
    fake = _FakeTime()
    assumer = _assumer(lambda_env, clock, fake, BEDROCK_ASSUME_ROLE_STS_REGIONS="us-east-1,us-west-2")
    try:
        # WHEN
        first = assumer.assume()
        second = assumer.assume()  # within the minute: the failed region is not asked again
        clock.advance(61)
        third = assumer.assume()  # a minute on it is asked first again, fails, and the fallback answers
    finally:
        hits = emulator.command("clearFaults")
        assumer.close()

    # THEN
    assert first.account == second.account == third.account == HUB
    answered = [e["awsRegion"] for e in trail.assume_role() if e["recipientAccountId"] == HUB and not e.get("errorCode")]
    assert answered == ["us-west-2", "us-west-2", "us-west-2"]
    assert hits == [2]  # us-east-1 asked for the first and the third, not the second
    assert fake.waits_ms == []


def test_the_sts_regions_variable_orders_the_regions_and_the_first_is_called_first() -> None:
    from bedrock_hub_access.config import read_hub_config

    target = read_hub_config({
        "BEDROCK_ASSUME_ROLE_ARN": f"arn:aws:iam::{HUB}:role/BedrockHubRole",
        "AWS_REGION": "eu-west-1",
        "BEDROCK_ASSUME_ROLE_STS_REGIONS": " us-east-1 , us-west-2",
    }).target
    assert target is not None
    assert (target.sts_region, target.sts_regions) == ("us-east-1", ("us-east-1", "us-west-2"))
