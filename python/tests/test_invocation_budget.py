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


def test_the_latest_deadline_counts_and_a_passed_one_is_forgotten() -> None:
    clock = Clock()
    record_invocation_deadline(Context(30_000), clock)
    record_invocation_deadline(Context(5_000), clock)  # an earlier deadline does not shorten it
    assert invocation_remaining_ms(clock) == 30_000
    clock.now += 31
    assert invocation_remaining_ms(clock) is None
    record_invocation_deadline(Context(5_000), clock)
    assert invocation_remaining_ms(clock) == 5_000


@pytest.mark.parametrize("context", [object(), Context("soon"), Context(float("nan")), Context(True), None])
def test_a_context_without_a_usable_remaining_time_is_ignored(context: Any) -> None:
    clock = Clock()
    record_invocation_deadline(context, clock)
    assert invocation_remaining_ms(clock) is None
