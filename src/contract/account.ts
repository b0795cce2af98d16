/**
 * Partitions, accounts, regions and organizations: the parts every ARN of the contract is built of.
 */
import { describeStrayCharacter, showValue } from './values';

/**
 * Partitions whose ARNs are accepted.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export const PARTITIONS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;

/** True for one of {@link PARTITIONS}. */
export function isPartition(value: string): boolean {
  return (PARTITIONS as readonly string[]).includes(value);
}

/**
 * A 12-digit AWS account id, leading zeros included.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html (`Id`: `^\d{12}$`)
 */
export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;

/** Why `value` is not a 12-digit account id (quotes and whitespace named); `undefined` when it is one. */
export function describeAccountIdProblem(value: string): string | undefined {
  if (ACCOUNT_ID_PATTERN.test(value)) return undefined;
  const stray = describeStrayCharacter(value);
  if (stray) return `${stray}; an account id is 12 digits.`;
  return `${showValue(value)} is not 12 digits; an account id is 12 digits, leading zeros included.`;
}

/**
 * An AWS region code: a 2–4 letter area, one or more words, and a number (`us-east-1`,
 * `us-gov-west-1`, `eusc-de-east-1`, `cn-north-1`).
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$/;

/** Why `value` is not a region code; `undefined` when it is one. */
export function describeRegionProblem(value: string): string | undefined {
  if (REGION_PATTERN.test(value)) return undefined;
  return `'${value}' is not an AWS region code (e.g. 'us-east-1', 'eu-central-1').`;
}

/**
 * An AWS Organizations id: `o-` and 10 to 32 lower-case letters or digits.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (`Id`: `^o-[a-z0-9]{10,32}$`)
 */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;
