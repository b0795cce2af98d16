"""The throttling budget follows the latest invocation deadline handed over (``with_context``)."""

from typing import Any, Iterator

import pytest

from bedrock_hub_access.invocation_budget import (
    invocation_remaining_ms,
    record_invocation_deadline,
    reset_invocation_deadline,
    throttle_retry_budget_ms,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Context:
    def __init__(self, remaining_ms: Any) -> None:
        self._remaining = remaining_ms

    def get_remaining_time_in_millis(self) -> Any:
        return self._remaining


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    reset_invocation_deadline()
    yield
    reset_invocation_deadline()


def test_without_a_deadline_the_default_budget() -> None:
    clock = Clock()
    assert invocation_remaining_ms(clock) is None
    assert throttle_retry_budget_ms(clock, clock.now) == 10_000


def test_the_budget_runs_to_a_second_before_the_deadline_counted_from_the_start_of_retrying() -> None:
    clock = Clock()
    started = clock.now
    clock.now += 2  # retrying for 2 s (a prefetch) when the invocation hands over its context
    record_invocation_deadline(Context(30_000), clock)
    assert throttle_retry_budget_ms(clock, started) == 2_000 + 29_000
    clock.now += 5
    assert throttle_retry_budget_ms(clock, started) == 2_000 + 29_000  # the deadline does not move


def test_the_latest_deadline_counts_and_the_next_invocations_replaces_a_passed_one() -> None:
    clock = Clock()
    record_invocation_deadline(Context(30_000), clock)
    record_invocation_deadline(Context(5_000), clock)  # an earlier deadline does not shorten it
    assert invocation_remaining_ms(clock) == 30_000
    clock.now += 31
    record_invocation_deadline(Context(5_000), clock)
    assert invocation_remaining_ms(clock) == 5_000


def test_a_passed_deadline_leaves_nothing_to_retry_in_not_a_fresh_default_that_would_outlive_the_invocation() -> None:
    clock = Clock()
    started = clock.now
    record_invocation_deadline(Context(3_000), clock)
    clock.now += 4
    assert throttle_retry_budget_ms(clock, started) == 4_000  # what has been spent: no more


def test_without_a_deadline_a_run_of_throttles_going_on_shares_the_default() -> None:
    clock = Clock()
    assert throttle_retry_budget_ms(clock, clock.now, default_spent_ms=9_500) == 500
    assert throttle_retry_budget_ms(clock, clock.now, default_spent_ms=12_000) == 0


@pytest.mark.parametrize(
    "context", [object(), Context("soon"), Context(float("nan")), Context(float("inf")), Context(True), None]
)
def test_a_context_without_a_usable_remaining_time_is_ignored(context: Any) -> None:
    clock = Clock()
    record_invocation_deadline(context, clock)
    assert invocation_remaining_ms(clock) is None


def test_a_wait_between_throttled_attempts_ends_when_an_invocation_hands_over_a_deadline() -> None:
    import threading

    from bedrock_hub_access.invocation_budget import sleep_unless_deadline_changes

    waiting = threading.Thread(target=sleep_unless_deadline_changes, args=(600,), daemon=True)
    waiting.start()
    record_invocation_deadline(Context(2_000), Clock())
    waiting.join(timeout=30)
    assert not waiting.is_alive()
