import { ManualClock } from '../../emulator';
import {
  REGION_FAILURE_MEMORY_MS,
  StsRegionFailover,
  isServerFault,
} from '../../lambda-shim/sts-regions';

describe('StsRegionFailover', () => {
  const down = Object.assign(new Error('Service Unavailable'), { $metadata: { httpStatusCode: 503 } });
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  const isRegionFailure = (error: unknown): boolean => isServerFault(error) || (error as { code?: string }).code === 'ECONNREFUSED';

  test('uses the next region when the first answers 5xx or cannot be reached, and remembers it for a while', async () => {
    // GIVEN
    const clock = new ManualClock();
    const failover = new StsRegionFailover(['us-east-1', 'us-west-2', 'eu-west-1'], { clock: clock.now });
    const broken = new Map<string, Error>([['us-east-1', refused], ['us-west-2', down]]);
    const tried: string[] = [];
    const call = async (region: string): Promise<string> => {
      tried.push(region);
      const error = broken.get(region);
      if (error) throw error;
      return `credentials from ${region}`;
    };

    // WHEN / THEN: the first call pays for both broken regions
    await expect(failover.call(call, isRegionFailure)).resolves.toBe('credentials from eu-west-1');
    expect(tried).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);

    // the next ones, within the memory, go straight to the region that answered
    tried.length = 0;
    clock.advance(REGION_FAILURE_MEMORY_MS - 1);
    await expect(failover.call(call, isRegionFailure)).resolves.toBe('credentials from eu-west-1');
    expect(tried).toEqual(['eu-west-1']);

    // after it, the preferred region is tried again, and once it answers it stays first
    clock.advance(1);
    broken.delete('us-east-1');
    tried.length = 0;
    await expect(failover.call(call, isRegionFailure)).resolves.toBe('credentials from us-east-1');
    expect(tried).toEqual(['us-east-1']);
    expect(failover.order()).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
  });

  test('an error that is not a region failure is thrown at once, and the region is not marked', async () => {
    const failover = new StsRegionFailover(['us-east-1', 'us-west-2'], { clock: new ManualClock().now });
    const tried: string[] = [];
    await expect(failover.call(async (region) => {
      tried.push(region);
      throw denied;
    }, isRegionFailure)).rejects.toBe(denied);
    expect(tried).toEqual(['us-east-1']);
    expect(failover.order()).toEqual(['us-east-1', 'us-west-2']);
  });

  test('when every region failed recently, all are still tried, the longest-ago failure first; the last error is thrown', async () => {
    const clock = new ManualClock();
    const failover = new StsRegionFailover(['us-east-1', 'us-west-2'], { clock: clock.now });
    failover.markFailed('us-west-2');
    clock.advance(1000);
    failover.markFailed('us-east-1');
    expect(failover.order()).toEqual(['us-west-2', 'us-east-1']);
    const tried: string[] = [];
    await expect(failover.call(async (region) => {
      tried.push(region);
      throw region === 'us-east-1' ? refused : down;
    }, isRegionFailure)).rejects.toBe(refused);
    expect(tried).toEqual(['us-west-2', 'us-east-1']);
  });

  test('needs a region', () => {
    expect(() => new StsRegionFailover([])).toThrow('at least one region');
  });
});

describe('isServerFault', () => {
  test.each([[500, true], [503, true], [599, true], [400, false], [403, false], [undefined, false]])('status %p → %p', (status, expected) => {
    expect(isServerFault({ $metadata: { httpStatusCode: status } })).toBe(expected);
  });

  test('anything without $metadata is not', () => {
    expect(isServerFault(new Error('x'))).toBe(false);
    expect(isServerFault(undefined)).toBe(false);
  });
});
