// The checks of BedrockHubAccess's settings: hub role ARN, ExternalId, session name, duration,
// session tags, source identity and target roles, each against the contract and the stack.
// Messages read on from the construct (`BedrockHubAccess '<path>': …`). Not part of the jsii surface.
import { Duration, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BedrockHubRole } from '../bedrock-hub-role';
import {
  describeAccountIdProblem,
  describeDurationProblem,
  describeExternalIdProblem,
  describeRoleArnProblem,
  describeSessionNameProblem,
  describeSessionTagsProblem,
  describeSourceIdentityProblem,
  describeStsRegionListProblem,
  describeTagKeyProblem,
  ENV,
  MAX_STS_REGIONS,
  parseRoleArn,
  parseTargets,
  TargetRole,
} from '../contract';
import { describeConstruct } from './errors';
import { partitionMismatch } from './partition';
import { warn } from './warnings';

/** A target role, as given. */
export interface Target {
  readonly roleArn: string;
  readonly externalId?: string;
  /** The BedrockHubRole it is (addTargetRole), to check both sides against each other. */
  readonly role?: BedrockHubRole;
  /** How errors name it: `targets[1]`. */
  readonly label: string;
}

/** A target as `BEDROCK_ASSUME_ROLE_TARGETS` holds it: no `externalId` key when there is none. */
export function asTargetRole({ roleArn, externalId }: TargetRole): TargetRole {
  return externalId === undefined ? { roleArn } : { roleArn, externalId };
}

/** The ExternalId sent to a role: the contract's rule, the value never shown. */
export function checkExternalId(scope: IConstruct, externalId: string | undefined): void {
  if (externalId === undefined || Token.isUnresolved(externalId)) return;
  const problem = describeExternalIdProblem(externalId);
  if (problem) {
    throw new Error(`${describeConstruct(scope)}: externalId ${problem} Fix the value, or leave externalId out if the hub role's trust policy requires none.`);
  }
}

/** sessionName, sessionDuration and sourceIdentity: the contract's rules. */
export function checkSessionSettings(scope: IConstruct, props: { sessionName?: string; sessionDuration?: Duration; sourceIdentity?: string }): void {
  const where = describeConstruct(scope);
  if (props.sessionName !== undefined && !Token.isUnresolved(props.sessionName)) {
    const problem = describeSessionNameProblem(props.sessionName);
    if (problem) throw new Error(`${where}: sessionName ${problem} Fix the value, or leave sessionName out to use each function's name.`);
  }
  if (props.sessionDuration !== undefined) {
    const seconds = props.sessionDuration.toSeconds({ integral: false });
    const problem = Token.isUnresolved(seconds) ? undefined : describeDurationProblem(seconds);
    if (problem) throw new Error(`${where}: sessionDuration ${problem} Use a Duration between Duration.minutes(15) and Duration.hours(1).`);
  }
  if (props.sourceIdentity !== undefined && !Token.isUnresolved(props.sourceIdentity)) {
    const problem = describeSourceIdentityProblem(props.sourceIdentity);
    if (problem) throw new Error(`${where}: sourceIdentity ${problem} Use 2 to 64 letters, digits and + = , . @ _ -, e.g. 'orders-service'.`);
  }
}

/** stsRegions: region codes, none twice, at most MAX_STS_REGIONS (the contract's rule); tokens are not allowed. */
export function checkStsRegions(scope: IConstruct, regions: readonly string[] | undefined): void {
  if (regions === undefined) return;
  const fix = `Give 1 to ${MAX_STS_REGIONS} region codes, most preferred first, e.g. ['us-east-1', 'us-west-2'], or leave stsRegions out to call STS in each function's region.`;
  if (regions.some((region) => Token.isUnresolved(region))) {
    throw new Error(`${describeConstruct(scope)}: stsRegions holds a token; the list is validated and written at synth, so give region codes literally. ${fix}`);
  }
  const problem = describeStsRegionListProblem(regions);
  if (problem) throw new Error(`${describeConstruct(scope)}: stsRegions ${problem}. ${fix}`);
}

/** Checks static tags and the function-name key together: keys, values, count, case clashes. */
export function checkSessionTags(scope: IConstruct, tags: { [key: string]: string }, functionNameTagKey: string | undefined): void {
  const where = describeConstruct(scope);
  const checked: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (Token.isUnresolved(key)) {
      throw new Error(`${where}: sessionTags has a token as a key; give tag keys literally (values may be tokens).`);
    }
    // A token value is checked by STS at run time; the shim reports it.
    checked[key] = Token.isUnresolved(value) ? '' : value;
  }
  if (functionNameTagKey !== undefined) {
    if (Token.isUnresolved(functionNameTagKey)) {
      throw new Error(`${where}: functionNameTagKey is a token; give the tag key literally, e.g. 'lambda-function'.`);
    }
    const problem = describeTagKeyProblem(functionNameTagKey);
    if (problem) throw new Error(`${where}: functionNameTagKey: ${problem} Use a key such as 'lambda-function'.`);
    const clash = Object.keys(checked).find((key) => key.toLowerCase() === functionNameTagKey.toLowerCase());
    if (clash !== undefined) {
      throw new Error(
        `${where}: functionNameTagKey '${functionNameTagKey}' is also a key of sessionTags ('${clash}'); STS treats tag keys case-insensitively, so a session would carry it twice. ` +
        'Use another key for the function name, or remove it from sessionTags.',
      );
    }
    // Function names are 1–64 of [A-Za-z0-9_-]: always a valid tag value.
    checked[functionNameTagKey] = 'function-name';
  }
  const problem = describeSessionTagsProblem(checked);
  if (problem) {
    const counted = functionNameTagKey !== undefined && /^has \d+ tags/.test(problem) ? ' (counting the functionNameTagKey tag)' : '';
    throw new Error(`${where}: sessionTags${/^has /.test(problem) ? ' ' : ': '}${problem}${counted} Fix the tags; the same rules apply at run time.`);
  }
}

/** The hub role ARN: the contract's ladder for a literal, whitespace in the literal parts of a token, the partition, the account. */
export function checkHubRoleArn(scope: IConstruct, arn: string): void {
  const where = describeConstruct(scope);
  if (Token.isUnresolved(arn)) {
    // Only the literal parts can be checked; whitespace there is always wrong.
    const literal = Tokenization.reverseString(arn).mapTokens({ mapToken: () => '' }).join({ join: (l, r) => `${l}${r}` });
    if (/\s/.test(String(literal))) {
      throw new Error(`${where}: hubRoleArn contains whitespace, so it is not a role ARN. Pass the ARN alone, and an ExternalId in externalId.`);
    }
    return;
  }
  const problem = describeRoleArnProblem(arn);
  if (problem) throw new Error(`${where}: hubRoleArn ${problem}`);

  const parts = parseRoleArn(arn)!;
  const stack = Stack.of(scope);
  const mismatch = partitionMismatch(parts.partition, stack.partition, 'this stack deploys to');
  if (mismatch) {
    throw new Error(`${where}: hubRoleArn ${mismatch}, and roles cannot be assumed across partitions. Use a hub role in '${stack.partition}'.`);
  }
  if (!Token.isUnresolved(stack.account) && stack.account === parts.account) {
    warn(scope, 'HUB_ROLE_IN_SAME_ACCOUNT',
      `hubRoleArn is in this stack's own account (${parts.account}): the functions will assume a role in their own account. ` +
      'That works, but it is no hub; use the hub account\'s role ARN, or acknowledge this warning if a same-account role is intended.');
  }
}

/**
 * A target against the contract, the stack's partition, its expected account, the hub role and
 * the targets before it; and the whole list as the runtime shim would parse it.
 */
export function checkTarget(
  scope: IConstruct, target: Target, account: string | undefined, hubRoleArn: string, earlierTargets: readonly Target[],
): void {
  const where = `${describeConstruct(scope)}: ${target.label}`;
  const { roleArn, externalId } = target;
  if (!Token.isUnresolved(roleArn)) {
    const problem = describeRoleArnProblem(roleArn);
    if (problem) throw new Error(`${where} roleArn ${problem}`);
    const parts = parseRoleArn(roleArn)!;
    const stack = Stack.of(scope);
    const mismatch = partitionMismatch(parts.partition, stack.partition, 'this stack deploys to');
    if (mismatch) {
      throw new Error(`${where} roleArn ${mismatch}, and roles cannot be assumed across partitions.`);
    }
    if (account !== undefined && !Token.isUnresolved(account)) {
      const accountProblem = describeAccountIdProblem(account);
      if (accountProblem) throw new Error(`${where} account ${accountProblem}`);
      if (account !== parts.account) {
        throw new Error(
          `${where} roleArn '${roleArn}' is in account ${parts.account}, but account says ${account}: the ARN was probably copied from another account's role. ` +
          `Use the role of account ${account}, or correct account.`,
        );
      }
    }
    const hub = Token.isUnresolved(hubRoleArn) ? undefined : parseRoleArn(hubRoleArn);
    if (hub && hub.account === parts.account) {
      throw new Error(
        `${where} roleArn '${roleArn}' is in the hub role's account ${hub.account}, which the hub role (${hubRoleArn}) serves: a target is for resources of another account. ` +
        'Grant the hub role access to those resources instead, and remove the target.',
      );
    }
    const earlier = earlierTargets.find((t) => !Token.isUnresolved(t.roleArn) && parseRoleArn(t.roleArn)!.account === parts.account);
    if (earlier) {
      throw new Error(
        `${where} roleArn '${roleArn}' is in account ${parts.account}, like ${earlier.label} ('${earlier.roleArn}'): the runtime shim picks the role by account, so give one role per account.`,
      );
    }
  }
  if (externalId !== undefined && !Token.isUnresolved(externalId)) {
    const problem = describeExternalIdProblem(externalId);
    if (problem) throw new Error(`${where} externalId ${problem}`);
  }
  const literal = [...earlierTargets, target].filter((t) => !Token.isUnresolved(JSON.stringify(asTargetRole(t))));
  const parsed = parseTargets(JSON.stringify(literal.map(asTargetRole)));
  if ('problem' in parsed) throw new Error(`${where}: ${ENV.TARGETS} would be refused by the runtime shim: ${parsed.problem}`);
}

/** The ARN of a BedrockHubRole and the ExternalId to send it (`externalId` if given, else the role's). */
export function hubRoleSettings(
  scope: IConstruct, role: BedrockHubRole, externalId: string | undefined, prop: string, externalIdProp: string,
): TargetRole {
  const given: unknown = role;
  if (!(given instanceof BedrockHubRole)) {
    throw new Error(`${describeConstruct(scope)}: ${prop} must be a BedrockHubRole defined in this app; for any other role, give its ARN.`);
  }
  const where = `${prop}: BedrockHubRole '${role.node.path}'`;
  if (Token.isUnresolved(role.roleArn)) {
    throw new Error(
      `${describeConstruct(scope)}: ${where} has no concrete ARN, because its stack has no concrete account (env), so the workload side cannot name it. ` +
      'Give the hub stack an environment (new Stack(app, \'Hub\', { env: { account: \'111122223333\', region: \'us-east-1\' } })), or give the role ARN instead.',
    );
  }
  const trust = role._trust;
  if (externalId !== undefined || !trust.externalIdRequired || trust.externalId === undefined) return { roleArn: role.roleArn, externalId };
  if (Token.isUnresolved(role._trust.externalId)) {
    throw new Error(
      `${describeConstruct(scope)}: ${where} requires an ExternalId that is a token (such as a NoEcho parameter of the hub stack), whose value cannot be passed to the workload stack. ` +
      `Pass the same value as ${externalIdProp} (for instance from a NoEcho CfnParameter of the workload stack).`,
    );
  }
  return { roleArn: role.roleArn, externalId: role._trust.externalId };
}

/** The hub role's ARN and the ExternalId sent to it, from `hubRoleArn` or `hubRole`. */
export function hubRoleOf(scope: IConstruct, props: { hubRole?: BedrockHubRole; hubRoleArn?: string; externalId?: string }): TargetRole {
  if (props.hubRole !== undefined && props.hubRoleArn !== undefined) {
    throw new Error(
      `${describeConstruct(scope)}: both hubRole and hubRoleArn are given. Give one: hubRole (BedrockHubAccess.fromHubRole) when the BedrockHubRole is in this app ` +
      '(its ARN and ExternalId are then taken from it, and both sides are checked against each other), hubRoleArn otherwise.',
    );
  }
  if (props.hubRole !== undefined) return hubRoleSettings(scope, props.hubRole, props.externalId, 'hubRole', 'externalId');
  if (props.hubRoleArn === undefined) {
    throw new Error(
      `${describeConstruct(scope)}: no hub role is given. Give hubRoleArn (e.g. 'arn:aws:iam::111122223333:role/BedrockHubRole'), ` +
      'or hubRole when the BedrockHubRole is in this app (BedrockHubAccess.fromHubRole), or use BedrockHubAccess.fromParameters to decide at deploy time.',
    );
  }
  return { roleArn: props.hubRoleArn, externalId: props.externalId };
}
