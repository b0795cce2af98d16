/**
 * AWS STS over the query protocol (form-encoded request, XML response): `AssumeRole` and
 * `GetCallerIdentity`.
 *
 * AssumeRole is decided by the policy engine over both sides: the caller's identity policies and the
 * role's trust policy (with `sts:ExternalId`, `sts:RoleSessionName`, `aws:PrincipalArn`,
 * `aws:PrincipalOrgID`, `sts:SourceIdentity`, `aws:RequestTag/*` in the context). Session tags also
 * need `sts:TagSession`, a source identity `sts:SetSourceIdentity`, as in IAM. Then the session-length
 * rules: a role session calling AssumeRole is role chaining, capped at one hour; otherwise the role's
 * `MaxSessionDuration` caps it.
 */
import { isoSeconds } from '../clock/clock';
import { assumedRoleArn, parseRoleArn } from '../iam/arn';
import { CredentialStore } from '../iam/credentials';
import { IdentityStore, PolicyDocument, RoleSession } from '../iam/identities';
import { AuthorizationDecision, notAuthorizedMessage, PolicyEngine } from '../iam/policy-engine';
import { ServiceError, validationMessage, ValidationFailure, xmlEscape } from '../server/errors';
import type { EmulatorRequest, EmulatorResponse } from '../server/server';
import { OperationRoute, ServiceHandler, ServiceRequestContext } from '../server/service';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const ROLE_CHAINING_LIMIT_SECONDS = 3600;

/** The AssumeRole parameters the emulator understands. */
export interface AssumeRoleParameters {
  readonly roleArn?: string;
  readonly roleSessionName?: string;
  readonly externalId?: string;
  readonly durationSeconds?: string;
  readonly sourceIdentity?: string;
  readonly policy?: string;
  readonly tags: ReadonlyArray<{ key: string; value: string }>;
  readonly transitiveTagKeys: readonly string[];
}

/** Reads the query-protocol parameters of an AssumeRole call. */
export function readAssumeRoleParameters(params: URLSearchParams): AssumeRoleParameters {
  const tags: Array<{ key: string; value: string }> = [];
  for (let i = 1; params.has(`Tags.member.${i}.Key`); i++) {
    tags.push({ key: params.get(`Tags.member.${i}.Key`) ?? '', value: params.get(`Tags.member.${i}.Value`) ?? '' });
  }
  const transitiveTagKeys: string[] = [];
  for (let i = 1; params.has(`TransitiveTagKeys.member.${i}`); i++) {
    transitiveTagKeys.push(params.get(`TransitiveTagKeys.member.${i}`) ?? '');
  }
  const opt = (name: string): string | undefined => params.get(name) ?? undefined;
  return {
    roleArn: opt('RoleArn'),
    roleSessionName: opt('RoleSessionName'),
    externalId: opt('ExternalId'),
    durationSeconds: opt('DurationSeconds'),
    sourceIdentity: opt('SourceIdentity'),
    policy: opt('Policy'),
    tags,
    transitiveTagKeys,
  };
}

/** Input validation, in STS's order and wording. External ID values are never echoed. */
export function validateAssumeRole(p: AssumeRoleParameters): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  const length = (member: string, value: string | undefined, min: number, max: number, sensitive = false): void => {
    if (value === undefined) {
      return;
    }
    if (value.length < min) {
      failures.push({ member, value, sensitive, constraint: `Member must have length greater than or equal to ${min}` });
    } else if (value.length > max) {
      failures.push({ member, value, sensitive, constraint: `Member must have length less than or equal to ${max}` });
    }
  };
  if (p.roleArn === undefined) {
    failures.push({ member: 'roleArn', constraint: 'Member must not be null' });
  }
  length('roleArn', p.roleArn, 20, 2048);
  if (p.roleSessionName === undefined) {
    failures.push({ member: 'roleSessionName', constraint: 'Member must not be null' });
  }
  length('roleSessionName', p.roleSessionName, 2, 64);
  if (p.roleSessionName !== undefined && !SESSION_NAME.test(p.roleSessionName)) {
    failures.push({ member: 'roleSessionName', value: p.roleSessionName, constraint: 'Member must satisfy regular expression pattern: [\\w+=,.@-]*' });
  }
  length('externalId', p.externalId, 2, 1224, true);
  if (p.externalId !== undefined && !EXTERNAL_ID.test(p.externalId)) {
    failures.push({ member: 'externalId', sensitive: true, constraint: 'Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*' });
  }
  if (p.durationSeconds !== undefined) {
    const seconds = Number(p.durationSeconds);
    if (!Number.isInteger(seconds)) {
      failures.push({ member: 'durationSeconds', value: p.durationSeconds, constraint: 'Member must be an integer' });
    } else if (seconds < 900) {
      failures.push({ member: 'durationSeconds', value: p.durationSeconds, constraint: 'Member must have value greater than or equal to 900' });
    } else if (seconds > 43200) {
      failures.push({ member: 'durationSeconds', value: p.durationSeconds, constraint: 'Member must have value less than or equal to 43200' });
    }
  }
  length('sourceIdentity', p.sourceIdentity, 2, 64);
  if (p.sourceIdentity !== undefined && !SESSION_NAME.test(p.sourceIdentity)) {
    failures.push({ member: 'sourceIdentity', value: p.sourceIdentity, constraint: 'Member must satisfy regular expression pattern: [\\w+=,.@-]*' });
  }
  if (p.tags.length > 50) {
    failures.push({ member: 'tags', value: `[${p.tags.length} tags]`, constraint: 'Member must have length less than or equal to 50' });
  }
  p.tags.forEach((tag, i) => {
    length(`tags.${i + 1}.member.key`, tag.key, 1, 128);
    length(`tags.${i + 1}.member.value`, tag.value, 0, 256);
  });
  return failures;
}

function validationError(message: string): ServiceError {
  return new ServiceError('ValidationError', message, 400);
}

function accessDenied(message: string): ServiceError {
  return new ServiceError('AccessDenied', message, 403);
}

function xmlResponse(operation: string, result: string, requestId: string): EmulatorResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<${operation}Response xmlns="${NAMESPACE}">\n  <${operation}Result>\n${result}  </${operation}Result>\n`
      + `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${operation}Response>\n`,
  };
}

/** The STS service. */
export class StsService implements ServiceHandler {
  public readonly name = 'sts' as const;
  public readonly family = 'sts' as const;
  public readonly protocol = 'awsQuery' as const;
  public readonly signingName = 'sts';
  public readonly eventSource = 'sts.amazonaws.com';

  constructor(
    private readonly identities: IdentityStore,
    private readonly policies: PolicyEngine,
    private readonly credentials: CredentialStore,
  ) {}

  public route(request: EmulatorRequest): OperationRoute | undefined {
    const params = this.params(request);
    const action = params.get('Action');
    if (!action || (request.method !== 'POST' && request.method !== 'GET')) {
      return undefined;
    }
    return { operation: action, params: {} };
  }

  public isReadOnly(operation: string): boolean {
    return operation.startsWith('Get');
  }

  public eventCategory(): 'Management' {
    return 'Management';
  }

  public async handle(context: ServiceRequestContext): Promise<EmulatorResponse> {
    switch (context.operation) {
      case 'AssumeRole':
        return this.assumeRole(context);
      case 'GetCallerIdentity':
        return this.getCallerIdentity(context);
      default:
        throw new ServiceError('InvalidAction', `Could not find operation ${context.operation} for version 2011-06-15`, 400);
    }
  }

  private params(request: EmulatorRequest): URLSearchParams {
    const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    return new URLSearchParams(request.method === 'POST' && isForm ? request.body.toString('utf8') : request.rawQuery);
  }

  private getCallerIdentity(context: ServiceRequestContext): EmulatorResponse {
    const principal = context.caller.principal;
    return xmlResponse('GetCallerIdentity',
      `    <Arn>${xmlEscape(principal.arn)}</Arn>\n    <UserId>${xmlEscape(principal.principalId)}</UserId>\n    <Account>${principal.accountId}</Account>\n`,
      context.requestId);
  }

  private async assumeRole(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const caller = context.caller.principal;
    const p = readAssumeRoleParameters(this.params(context.request));
    context.trail.requestParameters = {
      roleArn: p.roleArn,
      roleSessionName: p.roleSessionName,
      ...(p.durationSeconds !== undefined ? { durationSeconds: Number(p.durationSeconds) } : {}),
      ...(p.externalId !== undefined ? { externalId: p.externalId } : {}),
      ...(p.tags.length ? { tags: p.tags } : {}),
      ...(p.transitiveTagKeys.length ? { transitiveTagKeys: p.transitiveTagKeys } : {}),
      ...(p.sourceIdentity !== undefined ? { sourceIdentity: p.sourceIdentity } : {}),
    };

    const failures = validateAssumeRole(p);
    if (failures.length) {
      throw validationError(validationMessage(failures));
    }
    const roleArn = p.roleArn!;
    const sessionName = p.roleSessionName!;
    const arnParts = parseRoleArn(roleArn);
    if (!arnParts) {
      throw validationError(`${roleArn} is invalid`);
    }
    const role = this.identities.roleByArn(roleArn);
    context.trail.resources = [{ ARN: roleArn, accountId: arnParts.account, type: 'AWS::IAM::Role' }];
    if (arnParts.account !== caller.accountId) {
      // The caller's account sees its full identity; the role's account sees the calling account.
      context.trail.alsoDeliverTo = [{
        recipientAccountId: arnParts.account,
        userIdentity: { type: 'AWSAccount', principalId: caller.principalId, accountId: caller.accountId },
      }];
    }

    const requestContext: Record<string, string | string[]> = { 'sts:RoleSessionName': sessionName };
    if (p.externalId !== undefined) {
      requestContext['sts:ExternalId'] = p.externalId;
    }
    if (p.sourceIdentity !== undefined) {
      requestContext['sts:SourceIdentity'] = p.sourceIdentity;
    }
    if (p.tags.length) {
      for (const tag of p.tags) {
        requestContext[`aws:RequestTag/${tag.key}`] = tag.value;
      }
      requestContext['aws:TagKeys'] = p.tags.map((t) => t.key);
    }
    if (p.transitiveTagKeys.length) {
      requestContext['sts:TransitiveTagKeys'] = [...p.transitiveTagKeys];
    }

    const check = async (action: string): Promise<AuthorizationDecision> => this.policies.authorize({
      principal: caller,
      action,
      resource: roleArn,
      resourceAccount: arnParts.account,
      resourcePolicy: role?.trustPolicy,
      context: requestContext,
      region: context.region,
    });
    // Role chaining carries the caller's source identity (sticky) and transitive tags to the new
    // session, which STS authorizes as sts:SetSourceIdentity / sts:TagSession even when the request
    // sets neither (IAM User Guide, "Monitor and control actions taken with assumed roles" and
    // "Chaining roles with session tags").
    const inheritedSourceIdentity = caller.type === 'AssumedRole' ? caller.sourceIdentity : undefined;
    const inheritsTransitiveTags = caller.type === 'AssumedRole' && caller.transitiveTagKeys.length > 0;
    if (inheritedSourceIdentity !== undefined && p.sourceIdentity === undefined) {
      requestContext['sts:SourceIdentity'] = inheritedSourceIdentity;
    }
    const actions = [
      'sts:AssumeRole',
      ...(p.tags.length || inheritsTransitiveTags ? ['sts:TagSession'] : []),
      ...(p.sourceIdentity !== undefined || inheritedSourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : []),
    ];
    for (const action of actions) {
      const decision = await check(action);
      if (!decision.allowed) {
        // STS answers a denied AssumeRole (and its TagSession / SetSourceIdentity) with the bare
        // sentence, no reason clause, in every public report of a cross-account denial.
        throw accessDenied(notAuthorizedMessage(caller.arn, action, roleArn));
      }
    }
    if (!role) {
      throw accessDenied(notAuthorizedMessage(caller.arn, 'sts:AssumeRole', roleArn));
    }

    const chained = caller.type === 'AssumedRole';
    const requested = p.durationSeconds !== undefined ? Number(p.durationSeconds) : undefined;
    if (chained && requested !== undefined && requested > ROLE_CHAINING_LIMIT_SECONDS) {
      throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    if (requested !== undefined && requested > role.maxSessionDurationSeconds) {
      throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const durationSeconds = requested ?? 3600;

    let sessionPolicy: PolicyDocument | undefined;
    if (p.policy !== undefined) {
      try {
        sessionPolicy = JSON.parse(p.policy) as PolicyDocument;
      } catch {
        throw new ServiceError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.', 400);
      }
    }
    const inheritedTags: Record<string, string> = {};
    const inheritedTransitive: string[] = [];
    if (caller.type === 'AssumedRole') {
      for (const k of caller.transitiveTagKeys) {
        if (caller.tags[k] !== undefined) {
          inheritedTags[k] = caller.tags[k];
          inheritedTransitive.push(k);
        }
      }
    }
    const session: RoleSession = {
      type: 'AssumedRole',
      accountId: role.accountId,
      arn: assumedRoleArn(role.accountId, role.roleName, sessionName, arnParts.partition),
      roleArn: role.arn,
      roleName: role.roleName,
      roleId: role.roleId,
      sessionName,
      principalId: `${role.roleId}:${sessionName}`,
      issuedAt: context.now,
      issuedBy: 'sts',
      sourceIdentity: (caller.type === 'AssumedRole' ? caller.sourceIdentity : undefined) ?? p.sourceIdentity,
      tags: { ...inheritedTags, ...Object.fromEntries(p.tags.map((t) => [t.key, t.value])) },
      transitiveTagKeys: [...new Set([...inheritedTransitive, ...p.transitiveTagKeys])],
      sessionPolicy,
    };
    const fault = context.fault;
    const issued = this.credentials.issueSession(session, fault?.kind === 'credential-lifetime' ? fault.seconds : durationSeconds);
    const answeredArn = fault?.kind === 'assumed-role-account' ? assumedRoleArn(fault.accountId, role.roleName, sessionName, arnParts.partition) : session.arn;
    const expiration = isoSeconds(issued.expiration!);
    // How full the packed session policy and tags are, in percent (an estimate; AWS packs them binary).
    const packedBytes = (p.policy?.length ?? 0) + JSON.stringify(p.tags).length;
    const packedPolicySize = p.tags.length || sessionPolicy ? Math.min(100, Math.ceil(packedBytes / 20)) : undefined;

    context.trail.responseElements = {
      credentials: { accessKeyId: issued.accessKeyId, expiration },
      assumedRoleUser: { assumedRoleId: session.principalId, arn: session.arn },
      ...(packedPolicySize !== undefined ? { packedPolicySize } : {}),
      ...(session.sourceIdentity ? { sourceIdentity: session.sourceIdentity } : {}),
    };

    return xmlResponse('AssumeRole',
      (session.sourceIdentity ? `    <SourceIdentity>${xmlEscape(session.sourceIdentity)}</SourceIdentity>\n` : '')
      + `    <AssumedRoleUser>\n      <AssumedRoleId>${xmlEscape(session.principalId)}</AssumedRoleId>\n      <Arn>${xmlEscape(answeredArn)}</Arn>\n    </AssumedRoleUser>\n`
      + `    <Credentials>\n      <AccessKeyId>${issued.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${xmlEscape(issued.secretAccessKey)}</SecretAccessKey>\n`
      + `      <SessionToken>${xmlEscape(issued.sessionToken!)}</SessionToken>\n      <Expiration>${expiration}</Expiration>\n    </Credentials>\n`
      + (packedPolicySize !== undefined ? `    <PackedPolicySize>${packedPolicySize}</PackedPolicySize>\n` : ''),
      context.requestId);
  }
}
