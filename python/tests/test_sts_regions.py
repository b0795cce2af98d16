"""STS region failover's memory: the Node shim's ``sts-regions.ts`` rules."""

from bedrock_hub_access.sts_regions import REGION_FAILURE_MEMORY_SECONDS, StsRegionFailover


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_failed_region_goes_last_for_a_minute_then_back_to_its_place() -> None:
    clock = Clock()
    failover = StsRegionFailover(["us-east-1", "us-west-2", "eu-west-1"], clock)
    assert failover.order() == ["us-east-1", "us-west-2", "eu-west-1"]

    failover.mark_failed("us-east-1")
    clock.now += 10
    failover.mark_failed("us-west-2")
    assert failover.order() == ["eu-west-1", "us-east-1", "us-west-2"]  # failed ones last, longest ago first

    clock.now += REGION_FAILURE_MEMORY_SECONDS - 10
    assert failover.order() == ["us-east-1", "eu-west-1", "us-west-2"]
    failover.mark_healthy("us-west-2")
    assert failover.order() == ["us-east-1", "us-west-2", "eu-west-1"]
    assert REGION_FAILURE_MEMORY_SECONDS == 60
