"""Retrying throttled AssumeRole calls: exponential backoff with full jitter, within a time budget
(the Node shim's ``lambda-shim/sts-backoff.ts``; the numbers are the contract's ``STS_RETRY``).

When hundreds of environments cold-start at once, their AssumeRole calls exceed the account's STS
request quota and STS answers ``Throttling: Rate exceeded``. The wait before retry ``n`` is uniformly
random in ``[0, min(cap, base × 2^(n-1), left − min_attempt))`` ("Exponential Backoff And Jitter", AWS
Architecture Blog), where ``left`` is the budget not yet spent; a retry drawn from the rest of the
budget is the last, and with less than two attempts' time left there is none. Why the base (4 s)
and cap (8 s) are not botocore's: see ``sts-backoff.ts``.

The budget is the time the caller can spend: until ``lambdaSafetyMarginMs`` before the invocation's
deadline when the handler has handed over its Lambda context (``session.with_context(context)``),
else ``defaultThrottleBudgetMs`` (see :mod:`bedrock_hub_access.invocation_budget`).

Everything here is pure but :func:`retry_throttled`, whose clock, sleep and random source are injectable.
"""

import random as _random
import time
from typing import Callable, NamedTuple, Optional, TypeVar, Union

from ._contract import STS_RETRY

T = TypeVar("T")

THROTTLE_BASE_DELAY_MS = STS_RETRY["throttleBaseDelayMs"]
"""The first retry waits up to this long."""
THROTTLE_MAX_DELAY_MS = STS_RETRY["throttleMaxDelayMs"]
"""No single wait is longer than this."""
MIN_ATTEMPT_MS = STS_RETRY["minAttemptMs"]
"""A retry needs at least this much budget left after its wait, and a wait window at least this wide."""


class RetryDecision(NamedTuple):
    """What to do after a throttled attempt: ``retry`` after ``delay_ms`` (``last`` when the budget, not the
    ladder, bounded the wait: no retry follows that one), or give up (the budget is spent)."""

    retry: bool
    delay_ms: int = 0
    last: bool = False


def backoff_ceiling_ms(attempt: int) -> int:
    """The upper bound of the wait before retry number ``attempt`` (1-based): ``min(cap, base × 2^(attempt-1))``."""
    return int(min(THROTTLE_MAX_DELAY_MS, THROTTLE_BASE_DELAY_MS * 2 ** max(0, attempt - 1)))


def throttle_retry_decision(attempt: int, elapsed_ms: float, budget_ms: float, random: Callable[[], float] = _random.random) -> RetryDecision:
    """Whether to retry after ``attempt`` throttled attempts, and after how long (full jitter within what is
    left; when that is less than the ceiling, the retry is the last)."""
    room = budget_ms - elapsed_ms - MIN_ATTEMPT_MS
    if room < MIN_ATTEMPT_MS:
        return RetryDecision(retry=False)
    ceiling = backoff_ceiling_ms(attempt)
    return RetryDecision(retry=True, delay_ms=int(random() * min(ceiling, room)), last=room <= ceiling)


def retry_throttled(
    call: Callable[[], T],
    is_throttled: Callable[[BaseException], bool],
    budget_ms: Union[float, Callable[[], float]],
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    random: Callable[[], float] = _random.random,
) -> T:
    """Calls ``call`` until it returns, raises something that is not a throttle, or the budget is spent
    (then the last throttling error is raised as it came). The first attempt is always made.

    :param budget_ms: the time retries may take, in ms from the first attempt; a callable is asked
        again before each retry (the budget grows when an invocation hands over a later deadline)
    :param monotonic: seconds, for the time spent (moved by ``sleep``)
    :param sleep: waits the given seconds (or less: after a wait the budget is checked again)
    """
    fixed = budget_ms
    budget: Callable[[], float] = fixed if callable(fixed) else (lambda: float(fixed))
    started = monotonic()
    attempt = 0
    last = False
    while True:
        attempt += 1
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - only throttles are retried; the rest is raised as it came
            if not is_throttled(error) or last:
                raise
            decision = throttle_retry_decision(attempt, (monotonic() - started) * 1000, budget(), random)
            if not decision.retry:
                raise
            last = decision.last
            sleep(decision.delay_ms / 1000)
            if budget() - (monotonic() - started) * 1000 < MIN_ATTEMPT_MS:
                raise  # the budget shrank during the wait (an invocation with less time handed over its deadline)


def throttle_budget_ms_from(remaining_ms: Optional[float]) -> float:
    """The throttling budget from an invocation's remaining time: that minus the safety margin (never below 0),
    or the default budget when there is none."""
    if remaining_ms is None:
        return float(STS_RETRY["defaultThrottleBudgetMs"])
    return max(0.0, remaining_ms - STS_RETRY["lambdaSafetyMarginMs"])
