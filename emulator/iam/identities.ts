/**
 * The IAM world the emulator knows: accounts (and their organization and SCPs), roles with trust and
 * permission policies, users, customer-managed policies, and the principals that make requests
 * (role sessions and users). It is filled from synthesized CloudFormation templates (templates.ts) or
 * directly by a test.
 */
import { roleArn as buildRoleArn, stableId, UPPER_ALNUM } from './arn';

/** An IAM policy document, as in a template (`Version`, `Statement`). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown;
  readonly [key: string]: unknown;
}

/** A policy with the name the policy engine reports it by. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** An account the emulator knows. */
export interface AccountDefinition {
  readonly accountId: string;
  /** The AWS Organizations organization ID (`o-...`), which makes `aws:PrincipalOrgID` available. */
  readonly organizationId?: string;
  /**
   * Service control policies applying to the account (besides `FullAWSAccess`, which is implied when an
   * organization is set). Only evaluated when `organizationId` is set.
   */
  readonly serviceControlPolicies?: readonly NamedPolicy[];
  /**
   * Resource control policies applying to the account's resources (besides `RCPFullAWSAccess`,
   * which the policy engine implies). Only evaluated when `organizationId` is set. Name a policy by
   * its ARN (`arn:aws:organizations::<management account>:policy/<o-…>/resource_control_policy/<p-…>`)
   * and an explicit deny appends it to the message, as AWS does.
   */
  readonly resourceControlPolicies?: readonly NamedPolicy[];
}

/** How to create a role. */
export interface RoleDefinition {
  readonly accountId: string;
  readonly roleName: string;
  /** @default '/' */
  readonly path?: string;
  /** The trust policy (`AssumeRolePolicyDocument`). */
  readonly trustPolicy: PolicyDocument;
  /** Inline permission policies. */
  readonly policies?: readonly NamedPolicy[];
  /** ARNs of attached managed policies. */
  readonly managedPolicyArns?: readonly string[];
  /** @default 3600 */
  readonly maxSessionDurationSeconds?: number;
  /** ARN of the managed policy used as permissions boundary. */
  readonly permissionsBoundaryArn?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A role. */
export interface Role {
  readonly accountId: string;
  readonly roleName: string;
  readonly path: string;
  readonly arn: string;
  /** `AROA...`, stable per ARN. */
  readonly roleId: string;
  readonly trustPolicy: PolicyDocument;
  readonly policies: readonly NamedPolicy[];
  readonly managedPolicyArns: readonly string[];
  readonly maxSessionDurationSeconds: number;
  readonly permissionsBoundaryArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** An IAM user. */
export interface User {
  readonly accountId: string;
  readonly userName: string;
  readonly arn: string;
  /** `AIDA...`, stable per ARN. */
  readonly userId: string;
  readonly policies: readonly NamedPolicy[];
  readonly managedPolicyArns: readonly string[];
}

/** A role session: what `AssumeRole` (or Lambda, for an execution role) creates. */
export interface RoleSession {
  readonly type: 'AssumedRole';
  readonly accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<RoleName>/<session>`. */
  readonly arn: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly roleId: string;
  readonly sessionName: string;
  /** `<roleId>:<session>`, the `aws:userid` and CloudTrail `principalId`. */
  readonly principalId: string;
  /** When the session was issued (epoch ms, by the emulator's clock). */
  readonly issuedAt: number;
  /** Who issued it: STS for AssumeRole, the Lambda service for an execution-role session. */
  readonly issuedBy: 'sts' | 'lambda.amazonaws.com';
  readonly sourceIdentity?: string;
  /** Session tags (become `aws:PrincipalTag/*`). */
  readonly tags: Readonly<Record<string, string>>;
  /** Session tag keys that carry over into chained sessions. */
  readonly transitiveTagKeys: readonly string[];
  /** An inline session policy passed to AssumeRole. */
  readonly sessionPolicy?: PolicyDocument;
}

/** A request made with a user's long-term key. */
export interface UserPrincipal {
  readonly type: 'IAMUser';
  readonly accountId: string;
  readonly arn: string;
  readonly userName: string;
  readonly principalId: string;
}

/** Who made a request. */
export type Principal = RoleSession | UserPrincipal;

/** The policies that decide a principal's request. */
export interface PrincipalPolicies {
  readonly identityPolicies: NamedPolicy[];
  readonly permissionsBoundary?: NamedPolicy;
  readonly sessionPolicy?: PolicyDocument;
  /** Root first, then the account, as the policy engine expects. Empty without an organization. */
  readonly serviceControlPolicies: { orgIdentifier: string; policies: { name: string; policy: PolicyDocument }[] }[];
}

/** Organization policy levels in the policy engine's format: root first, then the account. */
export type OrganizationPolicyLevels = PrincipalPolicies['serviceControlPolicies'];

const FULL_AWS_ACCESS: NamedPolicy = {
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/**
 * AWS-managed policies a Lambda execution role typically carries. Others are unknown to the emulator:
 * they count as empty and are reported by {@link IdentityStore.unknownManagedPolicies}.
 */
const AWS_MANAGED_POLICIES: Record<string, PolicyDocument> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
  'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole': {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses'],
      Resource: '*',
    }],
  },
};

function key(accountId: string, name: string): string {
  return `${accountId}/${name}`;
}

/** Accounts, roles, users and policies. */
export class IdentityStore {
  private readonly accounts = new Map<string, AccountDefinition>();
  private readonly roles = new Map<string, Role>();
  private readonly users = new Map<string, User>();
  private readonly managedPolicies = new Map<string, PolicyDocument>();
  /** Inline policies attached by name before or after the role exists (AWS::IAM::Policy). */
  private readonly attachedToRole = new Map<string, NamedPolicy[]>();
  private readonly managedAttachedToRole = new Map<string, string[]>();
  private readonly attachedToUser = new Map<string, NamedPolicy[]>();
  private readonly unknownManaged = new Set<string>();

  /** Registers (or updates) an account. */
  public registerAccount(definition: AccountDefinition): void {
    if (!/^\d{12}$/.test(definition.accountId)) {
      throw new Error(`registerAccount: accountId must be 12 digits, got '${definition.accountId}'`);
    }
    this.accounts.set(definition.accountId, definition);
  }

  /** The account's definition; unknown accounts are plain accounts outside any organization. */
  public account(accountId: string): AccountDefinition {
    return this.accounts.get(accountId) ?? { accountId };
  }

  /** Creates or replaces a role. */
  public putRole(definition: RoleDefinition): Role {
    const path = definition.path ?? '/';
    const arn = buildRoleArn(definition.accountId, definition.roleName, path);
    const role: Role = {
      accountId: definition.accountId,
      roleName: definition.roleName,
      path,
      arn,
      roleId: `AROA${stableId(arn, 17, UPPER_ALNUM)}`,
      trustPolicy: definition.trustPolicy,
      policies: [...(definition.policies ?? [])],
      managedPolicyArns: [...(definition.managedPolicyArns ?? [])],
      maxSessionDurationSeconds: definition.maxSessionDurationSeconds ?? 3600,
      permissionsBoundaryArn: definition.permissionsBoundaryArn,
      tags: { ...(definition.tags ?? {}) },
    };
    this.roles.set(key(role.accountId, role.roleName), role);
    return role;
  }

  /** The role with this ARN (matched by account and name, as IAM does), if it exists. */
  public roleByArn(arn: string): Role | undefined {
    const match = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/s.exec(arn);
    if (!match) {
      return undefined;
    }
    const role = this.roles.get(key(match[1], match[2]));
    return role && role.arn.replace(/^arn:[^:]+:/, '') === arn.replace(/^arn:[^:]+:/, '') ? role : undefined;
  }

  /** The role with this name in this account, if it exists. */
  public roleByName(accountId: string, roleName: string): Role | undefined {
    return this.roles.get(key(accountId, roleName));
  }

  /** Every role. */
  public allRoles(): Role[] {
    return [...this.roles.values()];
  }

  /** Attaches an inline policy to a role by name (the role may be created later). */
  public attachRolePolicy(accountId: string, roleName: string, policy: NamedPolicy): void {
    const k = key(accountId, roleName);
    this.attachedToRole.set(k, [...(this.attachedToRole.get(k) ?? []), policy]);
  }

  /** Attaches a managed policy to a role by name (the role may be created later). */
  public attachRoleManagedPolicy(accountId: string, roleName: string, policyArn: string): void {
    const k = key(accountId, roleName);
    this.managedAttachedToRole.set(k, [...(this.managedAttachedToRole.get(k) ?? []), policyArn]);
  }

  /** Creates or replaces a customer-managed policy. */
  public putManagedPolicy(arn: string, document: PolicyDocument): void {
    this.managedPolicies.set(arn, document);
  }

  /** Creates or replaces an IAM user. */
  public putUser(accountId: string, userName: string, policies: readonly NamedPolicy[] = [], managedPolicyArns: readonly string[] = []): User {
    const arn = `arn:aws:iam::${accountId}:user/${userName}`;
    const user: User = { accountId, userName, arn, userId: `AIDA${stableId(arn, 17, UPPER_ALNUM)}`, policies: [...policies], managedPolicyArns: [...managedPolicyArns] };
    this.users.set(key(accountId, userName), user);
    return user;
  }

  /** Attaches an inline policy to a user by name. */
  public attachUserPolicy(accountId: string, userName: string, policy: NamedPolicy): void {
    const k = key(accountId, userName);
    this.attachedToUser.set(k, [...(this.attachedToUser.get(k) ?? []), policy]);
  }

  /** The principal for requests signed with a user's long-term key. */
  public userPrincipal(user: User): UserPrincipal {
    return { type: 'IAMUser', accountId: user.accountId, arn: user.arn, userName: user.userName, principalId: user.userId };
  }

  /** Managed policy ARNs referenced by a role or user that the emulator does not know (they count as empty). */
  public unknownManagedPolicies(): string[] {
    return [...this.unknownManaged];
  }

  /** The role a session belongs to, if it still exists. */
  public roleOf(session: RoleSession): Role | undefined {
    return this.roleByArn(session.roleArn);
  }

  /** The identity policies, boundary, session policy and SCPs that decide `principal`'s requests. */
  public policiesFor(principal: Principal): PrincipalPolicies {
    let identityPolicies: NamedPolicy[] = [];
    let boundaryArn: string | undefined;
    let sessionPolicy: PolicyDocument | undefined;
    if (principal.type === 'AssumedRole') {
      const role = this.roleOf(principal);
      if (role) {
        const k = key(role.accountId, role.roleName);
        identityPolicies = [
          ...role.policies,
          ...(this.attachedToRole.get(k) ?? []),
          ...this.resolveManaged([...role.managedPolicyArns, ...(this.managedAttachedToRole.get(k) ?? [])]),
        ];
        boundaryArn = role.permissionsBoundaryArn;
      }
      sessionPolicy = principal.sessionPolicy;
    } else {
      const user = this.users.get(key(principal.accountId, principal.userName));
      if (user) {
        identityPolicies = [
          ...user.policies,
          ...(this.attachedToUser.get(key(user.accountId, user.userName)) ?? []),
          ...this.resolveManaged(user.managedPolicyArns),
        ];
      }
    }
    const boundary = boundaryArn ? this.resolveManaged([boundaryArn])[0] ?? { name: boundaryArn, document: { Version: '2012-10-17', Statement: [] } } : undefined;
    return {
      identityPolicies: dedupeNames(identityPolicies),
      permissionsBoundary: boundary,
      sessionPolicy,
      serviceControlPolicies: this.serviceControlPolicies(principal.accountId),
    };
  }

  /** The SCP levels for an account, in the policy engine's format. */
  public serviceControlPolicies(accountId: string): PrincipalPolicies['serviceControlPolicies'] {
    const account = this.account(accountId);
    if (!account.organizationId) {
      return [];
    }
    const toEngine = (p: NamedPolicy): { name: string; policy: PolicyDocument } => ({ name: p.name, policy: p.document });
    return [
      { orgIdentifier: account.organizationId, policies: [toEngine(FULL_AWS_ACCESS)] },
      { orgIdentifier: accountId, policies: [toEngine(FULL_AWS_ACCESS), ...(account.serviceControlPolicies ?? []).map(toEngine)] },
    ];
  }

  /** The RCP levels for the resources of an account, in the policy engine's format. */
  public resourceControlPolicies(accountId: string): OrganizationPolicyLevels {
    const account = this.account(accountId);
    if (!account.organizationId || !account.resourceControlPolicies?.length) {
      return [];
    }
    return [
      { orgIdentifier: account.organizationId, policies: [] },
      { orgIdentifier: accountId, policies: account.resourceControlPolicies.map((p) => ({ name: p.name, policy: p.document })) },
    ];
  }

  private resolveManaged(arns: readonly string[]): NamedPolicy[] {
    const out: NamedPolicy[] = [];
    for (const arn of arns) {
      const document = this.managedPolicies.get(arn) ?? AWS_MANAGED_POLICIES[arn.replace(/^arn:[^:]+:/, 'arn:aws:')];
      if (document) {
        out.push({ name: arn, document });
      } else {
        this.unknownManaged.add(arn);
      }
    }
    return out;
  }
}

/** The policy engine identifies policies by name; keep names unique. */
function dedupeNames(policies: NamedPolicy[]): NamedPolicy[] {
  const seen = new Map<string, number>();
  return policies.map((p) => {
    const n = seen.get(p.name) ?? 0;
    seen.set(p.name, n + 1);
    return n === 0 ? p : { name: `${p.name}#${n + 1}`, document: p.document };
  });
}
