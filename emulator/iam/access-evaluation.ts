/**
 * Stateless questions to the IAM policy engine: one request (a role session calling an action on a
 * resource, with identity policies, an optional resource policy such as a role's trust policy, and
 * context keys) → allowed or denied, and why. No accounts, clocks or sessions to set up: the
 * template tests ask "may this role of that template do this?" with the policies of
 * {@link rolesIn} (template-roles.ts). The engine is called through {@link simulate}, as the
 * emulator's own authorization is.
 */
// eslint-disable-next-line import/no-unresolved -- the package only declares "exports", which eslint's node resolver does not read
import { getDenialReasons, getGrantReasons } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy, PolicyDocument } from './identities';
import { simulate } from './policy-engine';


/** Who makes the request: a session of an IAM role (which is what a Lambda function runs as). */
export interface AccessCaller {
  /** The role's ARN, with its path: this is `aws:PrincipalArn`. */
  readonly roleArn: string;
  /** The session name. @default 'session' */
  readonly sessionName?: string;
  /** The caller's AWS Organizations id (`aws:PrincipalOrgID`). @default - none */
  readonly organizationId?: string;
}

/** One request to evaluate. */
export interface AccessRequest {
  readonly caller: AccessCaller;
  readonly action: string;
  /** The resource ARN (`*` for actions without resource-level permissions). */
  readonly resource: string;
  /** The account that owns the resource. @default - the ARN's account, or the caller's when the ARN has none */
  readonly resourceAccount?: string;
  /** The caller's identity policies. */
  readonly identityPolicies: readonly NamedPolicy[];
  /** The resource's policy, e.g. the trust policy of a role being assumed. @default - none */
  readonly resourcePolicy?: PolicyDocument;
  /** The caller's permissions boundaries. @default - none */
  readonly permissionsBoundaries?: readonly NamedPolicy[];
  /**
   * Request context keys (`sts:ExternalId`, `bedrock:InferenceProfileArn`, …). `aws:PrincipalArn`,
   * `aws:PrincipalAccount` and `aws:PrincipalOrgID` are derived from `caller` unless given here.
   */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /**
   * Evaluate without the engine's input validation, for resources its catalogue does not describe
   * (e.g. the region-less foundation-model ARN Bedrock authorizes global inference profiles against).
   * The decision is still the engine's; only the reasons are unavailable.
   * @default false
   */
  readonly unvalidatedResource?: boolean;
}

/** The engine's answer. */
export interface AccessDecision {
  readonly decision: 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
  readonly allowed: boolean;
  /** Which policies allowed or denied the request, e.g. `identity policy 'X' statement 2 (Sid)`. */
  readonly reasons: string[];
}

/** The session ARN of a role session: `arn:<partition>:sts::<account>:assumed-role/<name>/<session>`. */
export function sessionArn(caller: AccessCaller): string {
  const [, partition, , , account, resource] = splitArn(caller.roleArn);
  const roleName = resource.split('/').pop();
  return `arn:${partition}:sts::${account}:assumed-role/${roleName}/${caller.sessionName ?? 'session'}`;
}

/** Asks the engine whether `request` is allowed. Throws when the engine rejects the input. */
export async function evaluateAccess(request: AccessRequest): Promise<AccessDecision> {
  const [, , , , callerAccount] = splitArn(request.caller.roleArn);
  const context: Record<string, string | string[]> = {
    'aws:PrincipalArn': request.caller.roleArn,
    'aws:PrincipalAccount': callerAccount,
    ...(request.caller.organizationId ? { 'aws:PrincipalOrgID': request.caller.organizationId } : {}),
    ...request.context,
  };
  const resourceAccount = request.resourceAccount ?? (request.resource === '*' ? callerAccount : splitArn(request.resource)[4] || callerAccount);
  const simulation = {
    request: {
      principal: sessionArn(request.caller),
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables: context,
    },
    identityPolicies: request.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
    permissionBoundaryPolicies: request.permissionsBoundaries?.map((p) => ({ name: p.name, policy: p.document })),
  };

  if (request.unvalidatedResource) {
    const decision = await simulate(simulation, { validate: false });
    return { decision, allowed: decision === 'Allowed', reasons: ['(evaluated without input validation: no reasons available)'] };
  }

  const result = await simulate(simulation);
  if (result.resultType === 'error') {
    throw new Error(`the IAM policy engine rejected the request ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType !== 'single') {
    throw new Error(`the resource '${request.resource}' contains a wildcard; evaluate a concrete resource.`);
  }
  const ignored = (result.result.ignoredContextKeys ?? []).filter((key) => request.context && key in request.context);
  if (ignored.length) {
    throw new Error(`the IAM policy engine ignored the context keys ${ignored.join(', ')} for ${request.action}: they do not apply to it, so the evaluation would not represent the request.`);
  }
  const analysis = result.result.analysis;
  const decision = result.overallResult;
  const reasons = decision === 'Allowed'
    ? getGrantReasons(analysis).map((g) => `${describePolicyType(g.policyType)}${'policyIdentifier' in g ? ` '${g.policyIdentifier}'` : ''} statement ${g.statementIndex}${g.statementId ? ` (${g.statementId})` : ''}`)
    : getDenialReasons(analysis).map((d) => d.denialType === 'Explicit'
      ? `explicit deny in ${describePolicyType(d.policyType)}${d.policyIdentifier ? ` '${d.policyIdentifier}'` : ''} statement ${d.statementIndex}${d.statementId ? ` (${d.statementId})` : ''}`
      : `no statement of the ${describePolicyType(d.policyType)} allows it`);
  return { decision, allowed: decision === 'Allowed', reasons };
}

function describePolicyType(type: string): string {
  switch (type) {
    case 'identity': return 'identity policy';
    case 'resource': return 'resource policy';
    case 'pb': return 'permissions boundary';
    case 'scp': return 'service control policy';
    case 'rcp': return 'resource control policy';
    case 'vpce': return 'VPC endpoint policy';
    default: return type;
  }
}

function splitArn(arn: string): string[] {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw new Error(`'${arn}' is not an ARN`);
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
