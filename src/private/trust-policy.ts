// The hub role's trust policy: who may assume it (accounts, organization, principal patterns),
// with which ExternalId, session tags and source identity. Not part of the jsii surface.
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { oneOrMany } from './hub-permissions';

/**
 * What a hub role's trust policy admits: what the workload side is checked against at synth
 * (`pairing.ts`). Held by `BedrockHubRole` as an internal member.
 */
export interface HubRoleTrust {
  /** The ExternalId the trust policy requires (may be a token). */
  readonly externalId?: string;
  readonly externalIdRequired: boolean;
  readonly trustedAccounts: string[];
  readonly trustedOrganizationId?: string;
  /** Empty: any principal of the trusted accounts or organization. */
  readonly trustedPrincipalArnPatterns: string[];
  readonly maxSessionDuration: Duration;
  readonly allowsSessionTags: boolean;
  /** Case-sensitive; undefined: any key, when session tags are allowed. */
  readonly allowedSessionTagKeys?: string[];
  readonly requiredSessionTagKeys: string[];
  readonly allowsSourceIdentity: boolean;
  /** `StringLike` pattern every session's source identity must match; undefined: none required. */
  readonly sourceIdentityPattern?: string;
}

type Conditions = Record<string, Record<string, unknown>>;

/** The assume-role principal: the trusted accounts (or `*`), with the trust conditions. */
class TrustedCallers extends iam.PrincipalBase {
  public readonly policyFragment: iam.PrincipalPolicyFragment;

  constructor(private readonly principals: string[], conditions: iam.Conditions) {
    super();
    this.policyFragment = new iam.PrincipalPolicyFragment({ AWS: principals }, conditions);
  }

  public dedupeString(): string | undefined {
    return undefined;
  }

  public toString(): string {
    return `BedrockHubRoleTrust(${this.principals.join(',')})`;
  }
}

/** The trust policy of a hub role in `partition`. */
export class HubTrustPolicy {
  private readonly who: Conditions = {};
  private readonly principals: string[];

  constructor(private readonly trust: HubRoleTrust, partition: string) {
    // Who may call: the same principals and principal conditions in every statement.
    if (trust.trustedOrganizationId !== undefined) this.who.StringEquals = { 'aws:PrincipalOrgID': trust.trustedOrganizationId };
    if (trust.trustedPrincipalArnPatterns.length) this.who.ArnLike = { 'aws:PrincipalArn': oneOrMany(trust.trustedPrincipalArnPatterns) };
    this.principals = trust.trustedAccounts.length
      ? trust.trustedAccounts.map((account) => `arn:${partition}:iam::${account}:root`)
      : ['*'];
  }

  /** The principal of `sts:AssumeRole`: the ExternalId, and the tags and source identity the role requires. */
  public assumeRolePrincipal(): iam.IPrincipal {
    const { trust, who } = this;
    const assume: Conditions = {};
    if (trust.externalId !== undefined || who.StringEquals) {
      assume.StringEquals = { ...(trust.externalId !== undefined ? { 'sts:ExternalId': trust.externalId } : {}), ...who.StringEquals };
    }
    if (who.ArnLike) assume.ArnLike = who.ArnLike;
    if (trust.requiredSessionTagKeys.length) {
      assume.Null = Object.fromEntries(trust.requiredSessionTagKeys.map((key) => [`aws:RequestTag/${key}`, 'false']));
    }
    if (trust.sourceIdentityPattern !== undefined) assume.StringLike = { 'sts:SourceIdentity': trust.sourceIdentityPattern };
    return new TrustedCallers(this.principals, assume);
  }

  /**
   * `sts:TagSession` and `sts:SetSourceIdentity`, each in a statement of its own, only when allowed.
   * STS authorizes them together with sts:AssumeRole, which stays the gate: they grant nothing
   * unless AssumeRole succeeds. Their ExternalId condition is `IfExists` because policy engines
   * differ on whether sts:ExternalId (a key of AssumeRole only) is in their request context; where
   * it is, it must still be right.
   */
  public addAttributionStatements(role: iam.Role): void {
    const { trust } = this;
    const alongside = (extra: Conditions): Conditions => ({
      ...this.who,
      ...(trust.externalId !== undefined ? { StringEqualsIfExists: { 'sts:ExternalId': trust.externalId } } : {}),
      ...extra,
    });
    if (trust.allowsSessionTags) {
      role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
        actions: ['sts:TagSession'],
        principals: [new TrustedCallers(this.principals, alongside(trust.allowedSessionTagKeys
          ? { 'ForAllValues:StringEquals': { 'aws:TagKeys': [...trust.allowedSessionTagKeys] } }
          : {}))],
      }));
    }
    if (trust.allowsSourceIdentity) {
      role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
        actions: ['sts:SetSourceIdentity'],
        principals: [new TrustedCallers(this.principals, alongside(trust.sourceIdentityPattern !== undefined
          ? { StringLike: { 'sts:SourceIdentity': trust.sourceIdentityPattern } }
          : {}))],
      }));
    }
  }
}
