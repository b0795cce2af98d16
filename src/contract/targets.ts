/**
 * The value of `BEDROCK_ASSUME_ROLE_TARGETS`: roles in further accounts, one per account.
 */
import { describeRoleArnProblem, parseRoleArn } from './role-arn';
import { describeExternalIdProblem } from './session-attributes';

/** One target role in `ENV.TARGETS`. */
export interface TargetRole {
  readonly roleArn: string;
  readonly externalId?: string;
}

/**
 * Parses and validates the `ENV.TARGETS` value. Returns the targets, or the problem (which never
 * repeats an external ID value).
 */
export function parseTargets(json: string): { targets: TargetRole[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { problem: 'is not valid JSON: expected an array like [{"roleArn":"arn:aws:iam::333333333333:role/AgentRole","externalId":"..."}].' };
  }
  if (!Array.isArray(value)) {
    return { problem: 'must be a JSON array of {"roleArn", "externalId"?} objects.' };
  }
  const seen = new Map<string, string>();
  const targets: TargetRole[] = [];
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'object' || item === null || typeof item.roleArn !== 'string') {
      return { problem: `entry ${i} must be an object with a string "roleArn".` };
    }
    const unknown = Object.keys(item).filter((k) => k !== 'roleArn' && k !== 'externalId');
    if (unknown.length > 0) {
      return { problem: `entry ${i} has unknown field(s) ${unknown.join(', ')}; only "roleArn" and "externalId" are allowed.` };
    }
    const arnProblem = describeRoleArnProblem(item.roleArn);
    if (arnProblem) return { problem: `entry ${i} "roleArn": ${arnProblem}` };
    if (item.externalId !== undefined) {
      const idProblem = typeof item.externalId === 'string' ? describeExternalIdProblem(item.externalId) : 'must be a string.';
      if (idProblem) return { problem: `entry ${i} "externalId" ${idProblem}` };
    }
    const account = parseRoleArn(item.roleArn)!.account;
    const previous = seen.get(account);
    if (previous !== undefined) {
      return { problem: `entries ${previous} and ${i} both target account ${account}; give one role per account.` };
    }
    seen.set(account, String(i));
    targets.push(item.externalId === undefined ? { roleArn: item.roleArn } : { roleArn: item.roleArn, externalId: item.externalId });
  }
  return { targets };
}
