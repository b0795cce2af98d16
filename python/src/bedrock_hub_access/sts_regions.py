"""STS region failover: an ordered list of STS regions (``BEDROCK_ASSUME_ROLE_STS_REGIONS``), tried in
order; a region that answered 5xx or could not be reached is skipped for
``STS_RETRY["regionFailureMemoryMs"]``, so every call does not pay its timeout again (the Node shim's
``lambda-shim/sts-regions.ts``).

Every region's STS endpoint issues credentials valid in every region enabled for the account (IAM User
Guide, "Managing AWS STS in an AWS Region"), so any enabled region can stand in for another.
"""

import threading
from typing import Dict, List, Sequence

from ._contract import STS_RETRY
from .clock import Clock

REGION_FAILURE_MEMORY_SECONDS = STS_RETRY["regionFailureMemoryMs"] / 1000
"""How long a failed region is skipped."""


class StsRegionFailover:
    """Remembers which STS regions failed recently and picks the order to try them in (thread-safe)."""

    def __init__(self, regions: Sequence[str], clock: Clock) -> None:
        if not regions:
            raise ValueError("StsRegionFailover: at least one region is needed")
        self._regions = list(regions)
        self._clock = clock
        self._failed_at: Dict[str, float] = {}
        self._lock = threading.Lock()

    def order(self) -> List[str]:
        """The configured order, skipping regions that failed within the memory; those come last, the
        longest-ago failure first, so a call is never refused."""
        now = self._clock()
        with self._lock:
            failed = dict(self._failed_at)

        def recent(region: str) -> bool:
            return region in failed and now - failed[region] < REGION_FAILURE_MEMORY_SECONDS

        healthy = [r for r in self._regions if not recent(r)]
        return healthy + sorted((r for r in self._regions if recent(r)), key=lambda r: failed[r])

    def mark_failed(self, region: str) -> None:
        """Records that ``region`` answered 5xx or could not be reached."""
        with self._lock:
            self._failed_at[region] = self._clock()

    def mark_healthy(self, region: str) -> None:
        """Records that ``region`` answered."""
        with self._lock:
            self._failed_at.pop(region, None)
