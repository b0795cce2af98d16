/**
 * The STS regions of `BEDROCK_ASSUME_ROLE_STS_REGIONS`: an ordered list of region codes, tried in
 * order when one answers 5xx or cannot be reached.
 *
 * Every region's STS endpoint (`sts.<region>.amazonaws.com`) issues credentials valid in every region
 * enabled for the account, so any enabled region can stand in for another.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html
 */

import { REGION_PATTERN } from './account';

/** At most this many STS regions: each one that does not answer can cost a connection timeout. */
export const MAX_STS_REGIONS = 5;

/**
 * Why a list of STS regions is unusable, or `undefined` when it is usable: each entry a region code,
 * none twice, at most {@link MAX_STS_REGIONS}. An empty list is usable (no failover).
 */
export function describeStsRegionListProblem(regions: readonly string[]): string | undefined {
  const bad = regions.find((entry) => !REGION_PATTERN.test(entry));
  if (bad !== undefined) {
    return bad === '' ? 'has an empty entry (two commas in a row, or a trailing comma)' : `has ${JSON.stringify(bad)}, which is not a region code (e.g. us-east-1)`;
  }
  const duplicate = regions.find((entry, i) => regions.indexOf(entry) !== i);
  if (duplicate !== undefined) return `names ${duplicate} twice`;
  if (regions.length > MAX_STS_REGIONS) return `names ${regions.length} regions; at most ${MAX_STS_REGIONS} are allowed`;
  return undefined;
}

/** The entries of a `BEDROCK_ASSUME_ROLE_STS_REGIONS` value (comma-separated, spaces around entries ignored); `[]` when empty. */
export function splitStsRegions(value: string): string[] {
  return value === '' ? [] : value.split(',').map((entry) => entry.trim());
}

/** Why a `BEDROCK_ASSUME_ROLE_STS_REGIONS` value is unusable, or `undefined` when it is usable (empty included). */
export function describeStsRegionsProblem(value: string): string | undefined {
  return describeStsRegionListProblem(splitStsRegions(value));
}
