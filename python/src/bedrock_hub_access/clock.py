"""The one source of time for the shim's expiry decisions, injectable so tests move time instead of waiting."""

import datetime
import time
from typing import Callable

Clock = Callable[[], float]
"""Seconds since the Unix epoch, like ``time.time()``."""

system_clock: Clock = time.time
"""The wall clock."""


def datetime_fetcher(clock: Clock) -> Callable[[], datetime.datetime]:
    """A botocore ``time_fetcher`` (an aware UTC ``datetime``) reading ``clock``."""
    return lambda: datetime.datetime.fromtimestamp(clock(), datetime.timezone.utc)
