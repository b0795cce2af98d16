/**
 * ARN parsing and the deterministic identifiers the emulator hands out (role IDs, physical names,
 * Bedrock resource IDs). Identifiers derive from a hash of what they name, so two runs of the same
 * test produce the same names and the same CloudTrail.
 */
import { createHash } from 'crypto';

/** The parts of an ARN. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the fifth colon, e.g. `role/path/Name` or `foundation-model/anthropic.x:0`. */
  readonly resource: string;
}

/** Parses an ARN, or returns `undefined` if `text` is not one. */
export function parseArn(text: string): Arn | undefined {
  const match = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/s.exec(text);
  if (!match) {
    return undefined;
  }
  const [, partition, service, region, account, resource] = match;
  return { partition, service, region, account, resource };
}

/** Role ARNs STS accepts: `arn:<partition>:iam::<12 digits>:role/<path/name>`. */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):role\/(.+)$/s;

/** A parsed role ARN. */
export interface RoleArnParts {
  readonly partition: string;
  readonly account: string;
  /** The path, with leading and trailing slash (`/` when none). */
  readonly path: string;
  readonly roleName: string;
}

/** Parses a role ARN; the name is everything after the last `/`. */
export function parseRoleArn(text: string): RoleArnParts | undefined {
  const match = ROLE_ARN.exec(text);
  if (!match) {
    return undefined;
  }
  const [, partition, account, pathAndName] = match;
  const slash = pathAndName.lastIndexOf('/');
  return {
    partition,
    account,
    path: slash < 0 ? '/' : `/${pathAndName.slice(0, slash + 1)}`,
    roleName: slash < 0 ? pathAndName : pathAndName.slice(slash + 1),
  };
}

/** `arn:<partition>:iam::<account>:role<path><name>`. */
export function roleArn(account: string, roleName: string, path = '/', partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role${path}${roleName}`;
}

/** `arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>` (the path is never part of it). */
export function assumedRoleArn(account: string, roleName: string, sessionName: string, partition = 'aws'): string {
  return `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `length` characters of `alphabet`, derived from a hash of `seed`. */
export function stableId(seed: string, length: number, alphabet = BASE32): string {
  let out = '';
  let counter = 0;
  while (out.length < length) {
    const digest = createHash('sha256').update(`${seed}#${counter++}`).digest();
    for (const byte of digest) {
      if (out.length >= length) {
        break;
      }
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** Upper-case letters and digits, as in CloudFormation's generated name suffixes. */
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Lower-case letters and digits (Bedrock guardrail and inference-profile IDs). */
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Mixed-case letters and digits (Lambda function name suffixes). */
export const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
