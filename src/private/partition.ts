// Partitions and regions as the constructs meet them: the stack's partition, a region's
// partition, and the one cross-partition check. Not part of the jsii surface.
import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { describeRegionProblem } from '../contract';

/** The stack's partition: a literal whenever the region is known, a token otherwise. */
export function partitionOf(stack: Stack): string {
  if (!Token.isUnresolved(stack.partition)) return stack.partition;
  if (!Token.isUnresolved(stack.region)) {
    const partition = RegionInfo.get(stack.region).partition;
    if (partition) return partition;
  }
  return stack.partition;
}

/**
 * The one cross-partition check: `is in the partition 'X', but <but> 'Y'` when both are literal and
 * differ (roles cannot be assumed across partitions); `undefined` when they agree or either is unknown.
 *
 * @param but what the other side is, e.g. `the hub role is in`, `this stack deploys to`
 */
export function partitionMismatch(partition: string | undefined, expected: string, but: string): string | undefined {
  if (partition === undefined || Token.isUnresolved(partition) || Token.isUnresolved(expected) || partition === expected) return undefined;
  return `is in the partition '${partition}', but ${but} '${expected}'`;
}

/** Throws `<label>: '<region>' is not an AWS region code …` for a literal that is not a region code. */
export function checkRegion(label: string, region: string): void {
  if (Token.isUnresolved(region)) return;
  const problem = describeRegionProblem(region);
  if (problem) throw new Error(`${label}: ${problem}`);
}

/** {@link checkRegion} on each of `regions`, as `<where>: <prop>[i]`. */
export function checkRegionList(where: string, prop: string, regions: string[] | undefined): void {
  (regions ?? []).forEach((region, i) => checkRegion(`${where}: ${prop}[${i}]`, region));
}

/** Throws when a literal region is in another partition than the hub role. */
export function checkRegionPartition(label: string, region: string, hubPartition: string): void {
  if (Token.isUnresolved(region)) return;
  const mismatch = partitionMismatch(RegionInfo.get(region).partition, hubPartition, 'the hub role is in');
  if (mismatch) {
    throw new Error(`${label}: the region '${region}' ${mismatch}; a role cannot be used across partitions. Use a region of '${hubPartition}'.`);
  }
}
