"""Makes a Python Lambda child process tell the emulator's time, as ``clock/child-clock.ts`` does for
``node``: ``time.time()``, ``time.time_ns()`` and ``datetime.datetime.now()`` / ``utcnow()`` /
``today()`` answer from the clock file the emulator rewrites whenever its clock moves
(``clock/clock-bridge.ts``), read on every call, so a clock moved by a test is seen by the very next
call. The shim's default clock (``time.time``) and botocore's SigV4 timestamps both follow it.

Monotonic time (``time.monotonic``, ``time.perf_counter``), which timeouts and retries measure, is
left alone, as the Node preload leaves timers alone.

The record format (``v1 <anchor ms> <real anchor ms> <0|1 ticking> <checksum>``, 64 bytes) is the
one ``clock/clock-file.ts`` writes; a read that races a write fails the checksum and is retried,
falling back to the last good reading. Standard library only: this file runs before the handler.
"""

import datetime as _datetime_module
import os
import time
from typing import Any, Optional, Tuple

RECORD_BYTES = 64
_MODULUS = 1_000_000_007

_real_time = time.time
_RealDatetime = _datetime_module.datetime


def _parse(record: bytes) -> Optional[Tuple[int, int, bool]]:
    parts = record.decode("latin-1").split()
    if len(parts) != 5 or parts[0] != "v1":
        return None
    try:
        anchor, real_anchor, ticking, checksum = (int(p) for p in parts[1:])
    except ValueError:
        return None
    if ticking not in (0, 1) or (anchor % _MODULUS + real_anchor % _MODULUS + ticking) % _MODULUS != checksum:
        return None
    return anchor, real_anchor, ticking == 1


class _ClockFile:
    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        now = round(_real_time() * 1000)
        self._last: Tuple[int, int, bool] = (now, now, True)

    def now_ms(self) -> float:
        for _ in range(3):
            record = _parse(os.pread(self._fd, RECORD_BYTES, 0))
            if record is not None:
                self._last = record
                break
        anchor, real_anchor, ticking = self._last
        return anchor + (_real_time() * 1000 - real_anchor) if ticking else float(anchor)


class _FollowsClock(type):
    # Datetimes made before the patch, or by C code, are still datetimes.
    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, _RealDatetime)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, _RealDatetime)


def install(path: str) -> None:
    """Makes this process's "now" come from the clock file at ``path``."""
    clock = _ClockFile(path)

    def seconds() -> float:
        return clock.now_ms() / 1000

    class datetime(_RealDatetime, metaclass=_FollowsClock):  # noqa: N801 - it stands in for datetime.datetime
        @classmethod
        def now(cls, tz: Optional[_datetime_module.tzinfo] = None) -> "datetime":
            return cls.fromtimestamp(seconds(), tz)

        @classmethod
        def utcnow(cls) -> "datetime":
            return cls.fromtimestamp(seconds(), _datetime_module.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls) -> "datetime":
            return cls.fromtimestamp(seconds())

    time.time = seconds
    time.time_ns = lambda: int(clock.now_ms() * 1_000_000)
    _datetime_module.datetime = datetime  # type: ignore[misc]
