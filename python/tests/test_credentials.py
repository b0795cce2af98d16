"""The refresh windows, the keyed cache and the single flight of hub credentials, against the emulator.

Time is the emulator's standing clock, moved by the tests; a hub session lasts 60 minutes.
"""

import threading
from typing import Any, List

import pytest

from bedrock_hub_access import BedrockHubError, get_bedrock_hub_session
from bedrock_hub_access.credentials import HubCredentials, advisory_window_seconds
from conftest import HUB, MINUTE, MovableClock, Trail, converse


def hub_assume_roles(trail: Trail) -> List[Any]:
    return [e for e in trail.assume_role() if e["recipientAccountId"] == HUB]


def signing_keys(trail: Trail) -> List[str]:
    return [e["accessKeyId"] for e in trail.converse()]


def test_hub_credentials_are_botocore_refreshable_credentials_with_its_windows(lambda_env: Any, clock: MovableClock) -> None:
    from botocore.credentials import RefreshableCredentials

    credentials = get_bedrock_hub_session(clock=clock).credentials

    assert isinstance(credentials, RefreshableCredentials) and isinstance(credentials, HubCredentials)
    assert (credentials._advisory_refresh_timeout, credentials._mandatory_refresh_timeout) == (15 * 60, 10 * 60)


@pytest.mark.parametrize("duration, advisory", [(3600, 900), (1200, 900), (1000, 800), (900, 750)])
def test_short_sessions_start_their_advisory_window_halfway(duration: int, advisory: float) -> None:
    assert advisory_window_seconds(duration) == advisory


@pytest.mark.parametrize(
    "minutes_later, sts_fails, assume_roles, outcome",
    [
        (44, False, 1, "cached"),  # 16 min left: cached
        (46, False, 2, "refreshed"),  # 14 min left (advisory): refreshed
        (46, True, 1, "cached"),  # advisory and STS failing: the current credentials, no error
        (51, False, 2, "refreshed"),  # 9 min left (mandatory): refreshed
        (51, True, 1, "error"),  # mandatory and STS failing: an error, never the old credentials
    ],
    ids=["16 min left: cached", "14 min left: refreshed", "14 min left, STS failing: cached",
         "9 min left: refreshed", "9 min left, STS failing: error"],
)
def test_refresh_windows(lambda_env: Any, clock: MovableClock, trail: Trail, emulator: Any,
                         minutes_later: int, sts_fails: bool, assume_roles: int, outcome: str) -> None:
    # GIVEN a hub client that has called Bedrock once
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    converse(runtime)
    first_key = signing_keys(trail)[0]
    clock.advance(minutes_later * MINUTE)
    if sts_fails:
        emulator.command("fault", rule={"service": "sts", "operation": "AssumeRole", "kind": "server-error", "status": 503})

    # WHEN
    try:
        if outcome == "error":
            with pytest.raises(BedrockHubError) as raised:
                converse(runtime)
            assert raised.value.layer == "sts"
        else:
            converse(runtime)
    finally:
        hits = emulator.command("clearFaults")

    # THEN
    assert len(hub_assume_roles(trail)) == assume_roles
    keys = signing_keys(trail)
    if outcome == "cached":
        assert keys == [first_key, first_key]
    elif outcome == "refreshed":
        assert len(keys) == 2 and keys[1] != first_key
    else:
        assert keys == [first_key]  # nothing signed with credentials in their last 10 minutes
    if sts_fails:
        assert hits == [2]  # one try and one retry


def test_after_a_failed_advisory_refresh_sts_is_asked_again_after_30_seconds_not_on_every_call(
    lambda_env: Any, clock: MovableClock, trail: Trail, emulator: Any
) -> None:
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    converse(runtime)
    clock.advance(46 * MINUTE)
    emulator.command("fault", rule={"service": "sts", "operation": "AssumeRole", "kind": "server-error", "status": 503})

    converse(runtime)  # fails to refresh: 2 attempts
    clock.advance(10)
    converse(runtime)  # within 30 s: no attempt
    clock.advance(25)
    converse(runtime)  # 35 s later: asks again
    hits = emulator.command("clearFaults")

    assert hits == [4]
    assert len(set(signing_keys(trail))) == 1


def test_two_regions_have_two_caches_and_do_not_evict_each_other(lambda_env: Any, clock: MovableClock, trail: Trail) -> None:
    # GIVEN the same configuration in two regions (the IDP factory kept one slot for both)
    east = get_bedrock_hub_session("us-east-1", clock=clock).client("bedrock-runtime")
    west = get_bedrock_hub_session("eu-west-1", clock=clock).client("bedrock-runtime")

    # WHEN they alternate
    for _ in range(3):
        converse(east)
        converse(west)

    # THEN one AssumeRole per region, each on that region's STS
    assert sorted(e["awsRegion"] for e in hub_assume_roles(trail)) == ["eu-west-1", "us-east-1"]
    assert sorted({e["awsRegion"] for e in trail.converse()}) == ["eu-west-1", "us-east-1"]


def test_fifty_threads_share_one_assume_role(lambda_env: Any, clock: MovableClock, trail: Trail) -> None:
    # GIVEN 50 threads, each with its own client of one hub session, started together
    hub = get_bedrock_hub_session(clock=clock)
    clients = [hub.client("bedrock-runtime") for _ in range(50)]
    barrier = threading.Barrier(50)
    errors: List[BaseException] = []

    def call(client: Any) -> None:
        try:
            barrier.wait()
            converse(client)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=call, args=(c,)) for c in clients]

    # WHEN
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # THEN
    assert errors == []
    assert len(hub_assume_roles(trail)) == 1
    assert len(trail.converse()) == 50 and len(set(signing_keys(trail))) == 1


def test_a_warm_function_over_three_hours_assumes_the_role_once_per_credential_lifetime(
    lambda_env: Any, clock: MovableClock, trail: Trail
) -> None:
    runtime = get_bedrock_hub_session(clock=clock).client("bedrock-runtime")
    for _ in range(36):  # every 5 minutes for 3 hours
        converse(runtime)
        clock.advance(5 * MINUTE)

    # 60-minute sessions refreshed with 15 minutes left: every 45 minutes
    assert len(hub_assume_roles(trail)) == 4
    assert len(trail.converse()) == 36
