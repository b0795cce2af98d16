"""Throttled AssumeRole retries: full jitter within the budget, the same numbers as the Node shim's
``sts-backoff.ts`` (the contract's ``STS_RETRY``)."""

from typing import List

import pytest

from bedrock_hub_access._contract import STS_RETRY
from bedrock_hub_access.sts_backoff import (
    MIN_ATTEMPT_MS,
    THROTTLE_BASE_DELAY_MS,
    THROTTLE_MAX_DELAY_MS,
    RetryDecision,
    backoff_ceiling_ms,
    retry_throttled,
    throttle_budget_ms_from,
    throttle_retry_decision,
)


class Throttled(Exception):
    pass


class FakeTime:
    """A monotonic clock that only the fake sleep moves, recording each wait."""

    def __init__(self) -> None:
        self.now = 100.0
        self.waits_ms: List[int] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits_ms.append(round(seconds * 1000))
        self.now += seconds


def is_throttled(error: BaseException) -> bool:
    return isinstance(error, Throttled)


def test_the_numbers_are_the_contracts() -> None:
    assert (THROTTLE_BASE_DELAY_MS, THROTTLE_MAX_DELAY_MS, MIN_ATTEMPT_MS) == (4_000, 8_000, 250)
    assert STS_RETRY["defaultThrottleBudgetMs"] == 10_000 and STS_RETRY["lambdaSafetyMarginMs"] == 1_000


def test_the_ceiling_doubles_from_the_base_up_to_the_cap() -> None:
    assert [backoff_ceiling_ms(n) for n in (1, 2, 3, 10)] == [4_000, 8_000, 8_000, 8_000]


def test_full_jitter_draws_from_zero_up_to_the_ceiling() -> None:
    assert throttle_retry_decision(2, 0, 60_000, lambda: 0) == RetryDecision(True, 0, last=False)
    assert throttle_retry_decision(2, 0, 60_000, lambda: 0.5) == RetryDecision(True, 4_000, last=False)
    assert throttle_retry_decision(2, 0, 60_000, lambda: 0.999) == RetryDecision(True, 7_992, last=False)


def test_near_the_end_of_the_budget_the_draw_is_from_what_is_left_not_cut_to_its_end_and_is_the_last() -> None:
    # 1 s left: the window is 750 ms, and the draws still differ
    assert throttle_retry_decision(6, 9_000, 10_000, lambda: 0.9) == RetryDecision(True, 675, last=True)

    def draw(r: float) -> int:
        return int(throttle_retry_decision(6, 9_000, 10_000, lambda: r).delay_ms)

    assert len({draw(r) for r in (0.1, 0.3, 0.5, 0.7, 0.9)}) == 5


def test_no_retry_with_less_than_two_attempts_time_left() -> None:
    assert throttle_retry_decision(2, 10_000 - 2 * MIN_ATTEMPT_MS + 1, 10_000, lambda: 0) == RetryDecision(False)
    assert throttle_retry_decision(2, 10_000 - 2 * MIN_ATTEMPT_MS, 10_000, lambda: 0) == RetryDecision(True, 0, last=True)


def test_the_budget_from_an_invocations_remaining_time() -> None:
    assert throttle_budget_ms_from(30_000) == 29_000
    assert throttle_budget_ms_from(400) == 0
    assert throttle_budget_ms_from(None) == 10_000


def test_throttles_are_retried_until_the_call_answers() -> None:
    fake = FakeTime()
    calls = []

    def call() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise Throttled()
        return "credentials"

    assert retry_throttled(call, is_throttled, 30_000, fake.monotonic, fake.sleep, lambda: 0.5) == "credentials"
    assert fake.waits_ms == [2_000, 4_000]


def test_the_last_throttle_is_raised_once_the_budget_is_spent() -> None:
    fake = FakeTime()

    def call() -> str:
        raise Throttled()

    with pytest.raises(Throttled):
        retry_throttled(call, is_throttled, 10_000, fake.monotonic, fake.sleep, lambda: 0.999)
    # 4 s ceiling, then what is left of the 10 s but 250 ms: that retry is the last
    assert fake.waits_ms == [3_996, 5_748]


def test_after_the_last_retry_the_budget_allowed_a_throttle_is_raised_even_with_budget_left() -> None:
    fake = FakeTime()

    def call() -> str:
        raise Throttled()

    with pytest.raises(Throttled):
        retry_throttled(call, is_throttled, 10_000, fake.monotonic, fake.sleep, lambda: 0.5)
    # 2 s; then 8 s ceiling but 7.75 s of room: 3,875 ms, the last; 4,125 ms of the budget stay unspent
    assert fake.waits_ms == [2_000, 3_875]


def test_a_budget_given_as_a_callable_is_asked_again_before_each_retry() -> None:
    fake = FakeTime()
    budget = [1_000.0]
    calls = []

    def call() -> str:
        calls.append(1)
        budget[0] = 30_000  # an invocation handed over its deadline during the first attempt
        if len(calls) < 3:
            raise Throttled()
        return "credentials"

    assert retry_throttled(call, is_throttled, lambda: budget[0], fake.monotonic, fake.sleep, lambda: 0.5) == "credentials"
    assert fake.waits_ms == [2_000, 4_000]  # under the 1 s budget the first could have been 375 ms at most


def test_a_budget_that_shrank_during_the_wait_ends_the_retries_without_another_attempt() -> None:
    budget = [30_000.0]
    calls: List[int] = []

    class ShrinkingTime(FakeTime):
        def sleep(self, seconds: float) -> None:
            super().sleep(seconds)
            budget[0] = 1_000  # an invocation with little time left handed over its deadline meanwhile

    fake = ShrinkingTime()

    def call() -> str:
        calls.append(1)
        raise Throttled()

    with pytest.raises(Throttled):
        retry_throttled(call, is_throttled, lambda: budget[0], fake.monotonic, fake.sleep, lambda: 0.5)
    assert (len(calls), fake.waits_ms) == (1, [2_000])


def test_other_errors_are_raised_at_once() -> None:
    fake = FakeTime()

    def call() -> str:
        raise ValueError("AccessDenied")

    with pytest.raises(ValueError):
        retry_throttled(call, is_throttled, 30_000, fake.monotonic, fake.sleep)
    assert fake.waits_ms == []
