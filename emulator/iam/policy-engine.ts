/**
 * Authorization by a real IAM policy engine.
 *
 * Every request the emulator serves is decided by `@cloud-copilot/iam-simulate` over the principal's
 * identity policies, the resource policy (a role's trust policy for `sts:AssumeRole`), the
 * permissions boundary, the session policy and the organization's SCPs, with the request context a
 * real service would supply (`aws:PrincipalArn`, `sts:ExternalId`, ...). The engine's denial analysis
 * becomes the reason AWS appends to its AccessDenied messages ("because no identity-based policy
 * allows ...", "with an explicit deny in a resource-based policy").
 *
 * {@link simulate} is the one place that calls the engine: the emulator's {@link PolicyEngine} and the
 * stateless questions of the template tests (access-evaluation.ts) both go through it.
 *
 * `@cloud-copilot/iam-simulate` is AGPL-3.0: it is a devDependency of this dev/test-only emulator and
 * is never bundled into or published with the library.
 */
import {
  getDenialReasons, runSimulation, runUnsafeSimulation, type EvaluationResult, type RequestAnalysis, type RunSimulationResults, type Simulation,
// eslint-disable-next-line import/no-unresolved -- the package only declares "exports", which eslint's node resolver does not read
} from '@cloud-copilot/iam-simulate';
import { IdentityStore, PolicyDocument, Principal } from './identities';
import { Clock, isoSeconds } from '../clock/clock';

/** One authorization question. */
export interface AuthorizationRequest {
  readonly principal: Principal;
  /** `service:Action`, e.g. `bedrock:InvokeModel`. */
  readonly action: string;
  /** The resource ARN. */
  readonly resource: string;
  /** The account owning the resource. AWS-owned resources (foundation models) count as the caller's. */
  readonly resourceAccount: string;
  /** The resource policy, e.g. a role's trust policy. */
  readonly resourcePolicy?: PolicyDocument;
  /** Request-specific context keys (`sts:ExternalId`, `aws:RequestTag/...`). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The region the request was sent to (`aws:RequestedRegion`). */
  readonly region?: string;
}

/** Which kind of policy denied a request. */
export type DenyingPolicyType = 'identity' | 'resource' | 'scp' | 'rcp' | 'pb' | 'session' | 'vpce';

/** The engine's answer. */
export type AuthorizationDecision =
  | { readonly allowed: true }
  | {
    readonly allowed: false;
    /** An explicit `Deny` matched (rather than no `Allow`). */
    readonly explicit: boolean;
    readonly policyType: DenyingPolicyType;
    /** The reason as AWS appends it: `because no identity-based policy allows the bedrock:InvokeModel action`. */
    readonly reason: string;
    /** The denying policy's ARN, when an explicit deny came from a policy that has one (a managed policy, an SCP, an RCP). */
    readonly policyArn?: string;
  };

/** A policy the engine could not evaluate (invalid document, unknown action, wrong resource type). */
export class PolicyEvaluationError extends Error {
  constructor(message: string, public readonly details: unknown) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}

const POLICY_TYPE_NAMES: Record<DenyingPolicyType, [article: string, noun: string]> = {
  identity: ['an', 'identity-based policy'],
  resource: ['a', 'resource-based policy'],
  scp: ['a', 'service control policy'],
  rcp: ['a', 'resource control policy'],
  pb: ['a', 'permissions boundary'],
  session: ['a', 'session policy'],
  vpce: ['a', 'VPC endpoint policy'],
};

/** Policy types whose ARN AWS appends to an explicit deny (same account or organization). */
const ARN_APPENDED: ReadonlySet<DenyingPolicyType> = new Set(['identity', 'pb', 'scp', 'rcp']);

/**
 * The reason text AWS appends for a denial by `policyType`: `because no <type> allows the <action>
 * action`, or `with an explicit deny in a <type>`, followed by `: <policy ARN>` when the denying
 * policy has an ARN (a managed policy, an SCP or RCP).
 * Source: IAM User Guide, "Troubleshoot access denied error messages"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 */
export function denialReason(policyType: DenyingPolicyType, explicit: boolean, action: string, policyArn?: string): string {
  const [article, noun] = POLICY_TYPE_NAMES[policyType];
  if (!explicit) return `because no ${noun} allows the ${action} action`;
  return `with an explicit deny in ${article} ${noun}${policyArn && ARN_APPENDED.has(policyType) ? `: ${policyArn}` : ''}`;
}

/** A Bedrock ARN without a region (`arn:aws:bedrock:::foundation-model/<id>`), which the engine's resource catalogue does not describe. */
const REGIONLESS_BEDROCK = /^arn:[\w-]+:bedrock:::/;

/**
 * `User: <principal> is not authorized to perform: <action> on resource: <resource> <reason>`.
 * @param quoteResource S3 writes the resource in double quotes
 */
export function notAuthorizedMessage(principalArn: string, action: string, resource: string, reason?: string, quoteResource = false): string {
  const shownResource = quoteResource ? `"${resource}"` : resource;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${shownResource}${reason ? ` ${reason}` : ''}`;
}

/** One question to the engine: the request and every policy that bears on it. */
export type PolicySimulation = Simulation;

/**
 * Runs the engine on one simulation: the only call into `@cloud-copilot/iam-simulate`.
 * With `validate: false` the engine skips its input validation (for resources its catalogue does
 * not describe) and answers the decision alone.
 */
export async function simulate(simulation: PolicySimulation): Promise<RunSimulationResults>;
export async function simulate(simulation: PolicySimulation, options: { readonly validate: false }): Promise<EvaluationResult>;
export async function simulate(
  simulation: PolicySimulation, options: { readonly validate?: boolean } = {},
): Promise<RunSimulationResults | EvaluationResult> {
  return options.validate === false ? runUnsafeSimulation(simulation, {}) : runSimulation(simulation, {});
}

/** Order in which denials are reported when several policy types deny. */
const IMPLICIT_PRECEDENCE: DenyingPolicyType[] = ['scp', 'rcp', 'identity', 'resource', 'pb', 'session', 'vpce'];

/** The policy-engine wrapper. */
export class PolicyEngine {
  constructor(private readonly identities: IdentityStore, private readonly clock: Clock) {}

  /** The global context keys a real service supplies for `principal`. */
  public principalContext(principal: Principal, region?: string): Record<string, string | string[]> {
    const now = this.clock.now();
    const context: Record<string, string | string[]> = {
      'aws:PrincipalAccount': principal.accountId,
      'aws:userid': principal.principalId,
      'aws:CurrentTime': isoSeconds(now),
      'aws:EpochTime': String(Math.floor(now / 1000)),
      'aws:SecureTransport': 'true',
      'aws:ViaAWSService': 'false',
    };
    if (region) {
      context['aws:RequestedRegion'] = region;
    }
    const organizationId = this.identities.account(principal.accountId).organizationId;
    if (organizationId) {
      context['aws:PrincipalOrgID'] = organizationId;
    }
    let tags: Record<string, string> = {};
    if (principal.type === 'AssumedRole') {
      context['aws:PrincipalArn'] = principal.roleArn;
      context['aws:PrincipalType'] = 'AssumedRole';
      context['aws:TokenIssueTime'] = isoSeconds(principal.issuedAt);
      if (principal.sourceIdentity) {
        context['aws:SourceIdentity'] = principal.sourceIdentity;
      }
      tags = { ...(this.identities.roleOf(principal)?.tags ?? {}), ...principal.tags };
    } else {
      context['aws:PrincipalArn'] = principal.arn;
      context['aws:PrincipalType'] = 'User';
      context['aws:username'] = principal.userName;
    }
    for (const [k, v] of Object.entries(tags)) {
      context[`aws:PrincipalTag/${k}`] = v;
    }
    return context;
  }

  /**
   * Decides one request.
   * @throws PolicyEvaluationError if a policy or the request cannot be evaluated
   */
  public async authorize(request: AuthorizationRequest): Promise<AuthorizationDecision> {
    if (REGIONLESS_BEDROCK.test(request.resource)) return this.authorizeUnvalidated(request);
    const policies = this.identities.policiesFor(request.principal);
    const result = await simulate({
      request: {
        principal: request.principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { ...this.principalContext(request.principal, request.region), ...(request.context ?? {}) },
      },
      identityPolicies: policies.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
      permissionBoundaryPolicies: policies.permissionsBoundary
        ? [{ name: policies.permissionsBoundary.name, policy: policies.permissionsBoundary.document }]
        : undefined,
      sessionPolicy: policies.sessionPolicy,
      serviceControlPolicies: policies.serviceControlPolicies,
      resourceControlPolicies: this.identities.resourceControlPolicies(request.resourceAccount),
      resourcePolicy: request.resourcePolicy,
    });
    if (result.resultType === 'error') {
      throw new PolicyEvaluationError(
        `the policy engine could not evaluate ${request.action} on ${request.resource} for ${request.principal.arn}: ${result.errors.message}`,
        result.errors,
      );
    }
    const analysis: RequestAnalysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
    if (result.overallResult === 'Allowed') {
      return { allowed: true };
    }
    return this.explainDenial(analysis, request.action, result.overallResult === 'ExplicitlyDenied');
  }

  /**
   * Decides a request on a resource the engine's catalogue does not describe (the region-less
   * foundation-model ARN a global inference profile is authorized against): the engine answers the
   * decision alone, so the denying policy type is found by asking again with one kind of policy at a
   * time, in the order AWS reports them.
   */
  private async authorizeUnvalidated(request: AuthorizationRequest): Promise<AuthorizationDecision> {
    const policies = this.identities.policiesFor(request.principal);
    const allowAll = [{ name: 'AllowAll', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
    const base = {
      request: {
        principal: request.principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { ...this.principalContext(request.principal, request.region), ...(request.context ?? {}) },
      },
      identityPolicies: allowAll,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    const identity = policies.identityPolicies.map((p) => ({ name: p.name, policy: p.document }));
    const boundaryPolicies = policies.permissionsBoundary
      ? [{ name: policies.permissionsBoundary.name, policy: policies.permissionsBoundary.document }] : undefined;
    const overall = await simulate({
      ...base,
      identityPolicies: identity,
      permissionBoundaryPolicies: boundaryPolicies,
      sessionPolicy: policies.sessionPolicy,
      serviceControlPolicies: policies.serviceControlPolicies,
    }, { validate: false });
    if (overall === 'Allowed') return { allowed: true };
    const deny = (policyType: DenyingPolicyType, explicit: boolean, policyArn?: string): AuthorizationDecision =>
      ({
        allowed: false,
        explicit,
        policyType,
        reason: denialReason(policyType, explicit, request.action, policyArn),
        ...(policyArn ? { policyArn } : {}),
      });
    const unvalidated = { validate: false } as const;
    const explicitly = overall === 'ExplicitlyDenied';
    // SCPs first: each one alone, so the explicit deny can name its policy.
    for (const level of policies.serviceControlPolicies) {
      for (const scp of level.policies) {
        const alone = await simulate({ ...base, serviceControlPolicies: [{ orgIdentifier: level.orgIdentifier, policies: [scp] }] }, unvalidated);
        if (alone === 'ExplicitlyDenied') return deny('scp', true, scp.name.startsWith('arn:') ? scp.name : undefined);
      }
    }
    if (policies.serviceControlPolicies.length && await simulate({ ...base, serviceControlPolicies: policies.serviceControlPolicies }, { validate: false }) !== 'Allowed') {
      return deny('scp', false);
    }
    for (const policy of identity) {
      if (await simulate({ ...base, identityPolicies: [policy] }, { validate: false }) === 'ExplicitlyDenied') {
        return deny('identity', true, policy.name.startsWith('arn:') ? policy.name : undefined);
      }
    }
    if (await simulate({ ...base, identityPolicies: identity }, { validate: false }) !== 'Allowed') return deny('identity', false);
    if (policies.permissionsBoundary) {
      const boundary = await simulate({ ...base, permissionBoundaryPolicies: boundaryPolicies }, unvalidated);
      if (boundary !== 'Allowed') return deny('pb', boundary === 'ExplicitlyDenied', policies.permissionsBoundary.name.startsWith('arn:') ? policies.permissionsBoundary.name : undefined);
    }
    return deny('session', explicitly);
  }

  /**
   * Whether an AWS service principal (e.g. `lambda.amazonaws.com`) may assume a role: its trust
   * policy alone decides.
   */
  public async serviceMayAssumeRole(servicePrincipal: string, roleArn: string, roleAccount: string, trustPolicy: PolicyDocument): Promise<boolean> {
    const result = await simulate({
      request: {
        principal: servicePrincipal,
        action: 'sts:AssumeRole',
        resource: { resource: roleArn, accountId: roleAccount },
        contextVariables: { 'aws:CurrentTime': isoSeconds(this.clock.now()) },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trustPolicy,
    });
    if (result.resultType === 'error') {
      throw new PolicyEvaluationError(`the policy engine could not evaluate the trust policy of ${roleArn}: ${result.errors.message}`, result.errors);
    }
    return result.overallResult === 'Allowed';
  }

  private explainDenial(analysis: RequestAnalysis | undefined, action: string, explicitlyDenied: boolean): AuthorizationDecision {
    const deny = (policyType: DenyingPolicyType, explicit: boolean, policyArn?: string): AuthorizationDecision =>
      ({ allowed: false, explicit, policyType, reason: denialReason(policyType, explicit, action, policyArn), ...(policyArn ? { policyArn } : {}) });
    if (!analysis) {
      return deny('identity', explicitlyDenied);
    }
    const reasons = getDenialReasons(analysis);
    const explicit = reasons.find((r) => r.denialType === 'Explicit');
    if (explicit) {
      const identifier = explicit.denialType === 'Explicit' ? explicit.policyIdentifier : undefined;
      return deny(explicit.policyType as DenyingPolicyType, true, identifier?.startsWith('arn:') ? identifier : undefined);
    }
    if (explicitlyDenied) {
      // A resource-policy Deny naming the caller's account is reported as 'DeniedForAccount', not as a reason.
      if (analysis.identityAnalysis?.result === 'ExplicitlyDenied') {
        return deny('identity', true);
      }
      if (analysis.resourceAnalysis?.result === 'ExplicitlyDenied' || analysis.resourceAnalysis?.result === 'DeniedForAccount') {
        return deny('resource', true);
      }
    }
    if (analysis.sessionAnalysis && analysis.sessionAnalysis.result !== 'Allowed') {
      return deny('session', analysis.sessionAnalysis.result === 'ExplicitlyDenied');
    }
    const implicit = new Set(reasons.map((r) => r.policyType as DenyingPolicyType));
    for (const type of IMPLICIT_PRECEDENCE) {
      if (implicit.has(type)) {
        return deny(type, false);
      }
    }
    // Cross-account with an allowing identity policy but no resource policy at all.
    if (analysis.identityAnalysis?.result === 'Allowed') {
      return deny('resource', false);
    }
    return deny('identity', false);
  }
}
