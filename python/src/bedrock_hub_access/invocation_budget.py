"""How long the shim may keep retrying a throttled AssumeRole: until shortly before the current
invocation times out, once the handler has handed over its Lambda context
(``session.with_context(context)``); a bounded default otherwise (the Node shim's
``lambda-shim/invocation-budget.ts``).

One Lambda execution environment runs one function, so the deadline is process-wide, and a handler
hands its context over at the start of every invocation, so the recorded deadline is the current one.
The latest deadline handed over counts: a throttled AssumeRole started before it (the INIT prefetch, or another
thread's refresh) is read its budget again before each retry, so the invocation waiting for it lends
it its own time, and no second round of retries starts beside it.
"""

import math
import threading
from typing import Any, Optional

from .clock import Clock
from .sts_backoff import throttle_budget_ms_from

_lock = threading.Condition()
_latest_deadline: Optional[float] = None
"""The latest invocation deadline handed over, in seconds since the epoch by the recording clock."""


def record_invocation_deadline(context: Any, clock: Clock) -> None:
    """Records the deadline of an invocation: now plus ``context.get_remaining_time_in_millis()``.
    A context without that method (or with a value that is not a number) is ignored."""
    global _latest_deadline
    method = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(method):
        return
    remaining = method()
    if not isinstance(remaining, (int, float)) or isinstance(remaining, bool) or not math.isfinite(remaining):
        return
    now = clock()
    deadline = now + remaining / 1000
    with _lock:
        if _latest_deadline is None or deadline > _latest_deadline or _latest_deadline <= now:
            _latest_deadline = deadline
            _lock.notify_all()


def invocation_remaining_ms(clock: Clock) -> Optional[float]:
    """Milliseconds until the latest recorded invocation deadline (negative once it has passed), or
    ``None`` when no invocation has handed over its context."""
    with _lock:
        deadline = _latest_deadline
    return None if deadline is None else (deadline - clock()) * 1000


def throttle_retry_budget_ms(clock: Clock, started: float, default_spent_ms: float = 0) -> float:
    """The budget of a throttled AssumeRole that started at ``started`` (by ``clock``), in ms from then:
    up to the safety margin before the latest invocation deadline (nothing more once it has passed: the
    invocation is about to time out), or, when no invocation has handed over its context, the default
    budget less ``default_spent_ms`` (what a run of throttles going on has already spent of it)."""
    remaining = invocation_remaining_ms(clock)
    if remaining is None:
        return max(0.0, throttle_budget_ms_from(None) - default_spent_ms)
    return (clock() - started) * 1000 + throttle_budget_ms_from(remaining)


def reset_invocation_deadline() -> None:
    """Forgets the recorded deadline (with the other process-wide state, for tests)."""
    global _latest_deadline
    with _lock:
        _latest_deadline = None


def sleep_unless_deadline_changes(seconds: float) -> None:
    """Waits ``seconds``, or less when an invocation hands over a new deadline meanwhile (a refresh
    waiting between throttled attempts then decides again against it, instead of sleeping past it)."""
    with _lock:
        _lock.wait(timeout=seconds)
