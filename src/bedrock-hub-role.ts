import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BedrockModel } from './bedrock-model';
import { describeExternalIdProblem, describeRoleArnProblem, parseRoleArn } from './contract';
import { constructError, describeConstruct } from './private/errors';
import { HubPermissions } from './private/hub-permissions';
import {
  checkAccounts,
  checkMaxSessionDuration,
  checkOrganizationId,
  checkPrincipalPatterns,
  checkRoleName,
  checkRolePath,
  checkSessionTagOptions,
  checkSourceIdentityOptions,
  claimRoleName,
} from './private/hub-role-checks';
import { checkRegionList, checkRegionPartition, partitionOf } from './private/partition';
import { HubRoleTrust, HubTrustPolicy } from './private/trust-policy';
import { warn } from './private/warnings';

/**
 * A guardrail of the hub account used with cross-Region inference: its `crossRegionConfig` names a
 * system-defined guardrail profile, which routes `ApplyGuardrail` (and the guardrail checks of
 * model calls) to a destination region. Bedrock then authorizes the guardrail profile in the
 * source region and in that destination region, in the caller's account.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrail-profiles-permissions.html
 */
export interface CrossRegionGuardrail {
  /**
   * The guardrail, by id (formed into an ARN in each of the role's `regions`) or by ARN, in the hub account.
   */
  readonly guardrail: string;

  /**
   * The system-defined guardrail profile the guardrail uses, e.g. `us.guardrail.v1:0`
   * (`<geography>.guardrail.v<version>:<revision>`).
   */
  readonly guardrailProfileId: string;

  /**
   * The regions the guardrail profile routes to (the Amazon Bedrock user guide lists them per
   * profile). `bedrock:ApplyGuardrail` is allowed on
   * `arn:…:bedrock:<region>:<hub account>:guardrail-profile/<guardrailProfileId>` in each of them and
   * in the role's `regions`.
   */
  readonly destinationRegions: string[];
}

/** Properties of a {@link BedrockHubRole}. */
export interface BedrockHubRoleProps {
  /**
   * Workload accounts (12-digit ids) whose principals may assume the role. They become the trust
   * policy's principals (`arn:…:iam::<account>:root`), so a principal must also be allowed
   * `sts:AssumeRole` on the role by its own account, and match `trustedPrincipalArnPatterns` if given.
   *
   * When `trustedOrganizationId` is also given, the caller must be in one of these accounts *and*
   * in that organization. At least one of the two is required.
   *
   * @default - none
   */
  readonly trustedAccounts?: string[];

  /**
   * An AWS Organizations id (`o-` followed by 10 to 32 lowercase letters or digits). Only principals
   * of accounts in that organization may assume the role (`aws:PrincipalOrgID`). Without
   * `trustedAccounts`, the trust policy's principal is `*`, restricted to the organization: narrow it
   * with `trustedPrincipalArnPatterns`.
   *
   * @default - none
   */
  readonly trustedOrganizationId?: string;

  /**
   * Patterns of the role ARNs that may assume the hub role (`aws:PrincipalArn` with `ArnLike`), e.g.
   * `arn:aws:iam::111122223333:role/MyWorkloadStack-*`. A prefix pattern survives the random suffix
   * CloudFormation appends to generated role names, so the trust policy can name workload roles that
   * do not exist yet. For a role session, `aws:PrincipalArn` is the role's ARN (with its path), not
   * the `sts` session ARN.
   *
   * Each must be a role ARN pattern in the hub's partition, for an account in `trustedAccounts`
   * (when given) or `*`; `*` and `?` match within the role path and name.
   *
   * @default - any principal of the trusted accounts or organization (a warning suggests narrowing)
   */
  readonly trustedPrincipalArnPatterns?: string[];

  /**
   * The `sts:ExternalId` callers must pass: confused-deputy protection for a role assumed from other
   * accounts. 2 to 1224 characters of letters, digits and `+=,.@:/_-`. May be a token, e.g. a
   * `CfnParameter` with `noEcho: true`; only a literal value is validated at synth, and an invalid
   * value is reported without repeating it.
   *
   * The value is visible to anyone who can read the role's trust policy: it is a shared identifier
   * that keeps a third party from being tricked into assuming the role, not a password.
   *
   * @default - none: required unless `requireExternalId` is `false`
   */
  readonly externalId?: string;

  /**
   * Whether the trust policy must require an ExternalId. Set to `false` only to build a role without
   * one on purpose; a warning then says confused-deputy protection is off.
   *
   * @default true
   */
  readonly requireExternalId?: boolean;

  /**
   * Allow callers to tag their sessions (`sts:TagSession`), e.g. with the team and the function
   * name that `BedrockHubAccess`'s `sessionTags` and `functionNameTagKey` send, so that CloudTrail
   * in this account attributes every call. The trust policy gets a separate `sts:TagSession`
   * statement for the same principals (see `allowedSessionTagKeys`); without it, an AssumeRole that
   * carries tags is denied.
   *
   * @default - false, unless `allowedSessionTagKeys` or `requiredSessionTagKeys` is given
   */
  readonly allowSessionTags?: boolean;

  /**
   * The only session tag keys callers may pass (`ForAllValues:StringEquals` on `aws:TagKeys`, which
   * compares case-sensitively). Implies `allowSessionTags`.
   *
   * @default - any key
   */
  readonly allowedSessionTagKeys?: string[];

  /**
   * Session tag keys every caller must pass: the `sts:AssumeRole` statement requires
   * `aws:RequestTag/<key>` for each, so an untagged session is denied. Implies `allowSessionTags`;
   * each must be in `allowedSessionTagKeys` when that is given.
   *
   * @default - none required
   */
  readonly requiredSessionTagKeys?: string[];

  /**
   * Allow callers to set a source identity (`sts:SetSourceIdentity`), which CloudTrail records
   * with every call of the session and which no later role session can change. The trust policy
   * gets a separate `sts:SetSourceIdentity` statement for the same principals.
   *
   * @default - false, unless `sourceIdentityPattern` is given
   */
  readonly allowSourceIdentity?: boolean;

  /**
   * Require every session to carry a source identity matching this pattern (`StringLike`: `*`
   * matches any run of characters, `?` one): on `sts:AssumeRole` (so a session without one is
   * denied) and on `sts:SetSourceIdentity`. `'*'` requires a source identity of any value. Implies
   * `allowSourceIdentity`. 1 to 64 characters of letters, digits, `+=,.@_-` and the wildcards,
   * not starting with `aws:`.
   *
   * @default - a source identity is optional, and any value is accepted when allowed
   */
  readonly sourceIdentityPattern?: string;

  /**
   * The models the role may invoke. Nothing is invokable unless listed here or added with
   * `addModels()`; wildcards only through `BedrockModel.allFoundationModels()` or
   * `allDestinationRegions`.
   *
   * @default - none
   */
  readonly models?: BedrockModel[];

  /**
   * The regions in which callers use Bedrock through this role. Ids (of models, guardrails, knowledge
   * bases, agent aliases, application inference profiles) are formed into ARNs in each of them,
   * unless a model says otherwise.
   *
   * @default - the hub stack's region
   */
  readonly regions?: string[];

  /**
   * Guardrails in the hub account the role may apply (`bedrock:ApplyGuardrail`), by id (formed into
   * an ARN in each of `regions`) or by ARN (e.g. a `CfnGuardrail`'s `attrGuardrailArn`). Guardrails
   * are account-scoped: a guardrail ARN in another account is an error.
   *
   * @default - none
   */
  readonly guardrails?: string[];

  /**
   * Guardrails of the hub account used with cross-Region inference (a guardrail profile such as
   * `us.guardrail.v1:0`): `bedrock:ApplyGuardrail` on the guardrail and on the guardrail profile in
   * the role's regions and the profile's destination regions, all in the hub account.
   *
   * @default - none
   */
  readonly crossRegionGuardrails?: CrossRegionGuardrail[];

  /**
   * Let the first call to a model in the hub account start its AWS Marketplace subscription:
   * `aws-marketplace:ViewSubscriptions` and `aws-marketplace:Subscribe` (which have no resource-level
   * permissions, so on `*`), allowed only when Bedrock makes the call (`aws:CalledViaLast` =
   * `bedrock.amazonaws.com`). Serverless models are enabled by default, but models sold through
   * AWS Marketplace are subscribed per account on first use; without this, an administrator of the
   * hub account must make that first call. Subscriptions are per hub account: the workload
   * accounts' do not count.
   *
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html
   * @default false
   */
  readonly allowModelSubscription?: boolean;

  /**
   * Agent aliases in the hub account the role may invoke (`bedrock:InvokeAgent`), as
   * `<agent id>/<alias id>` or as agent-alias ARNs.
   *
   * @default - none
   */
  readonly agentAliases?: string[];

  /**
   * Knowledge bases in the hub account the role may query, by id or ARN: `bedrock:Retrieve` on each,
   * and `bedrock:RetrieveAndGenerate`, which AWS authorizes on no resource (`*`): the knowledge
   * bases stay reachable only through `bedrock:Retrieve` on these ARNs, and generation only through
   * the invoke grants of `models`.
   *
   * @default - none
   */
  readonly knowledgeBases?: string[];

  /**
   * Allow inference through the OpenAI-compatible `bedrock-mantle` endpoint (Responses and Chat
   * Completions APIs): `bedrock-mantle:CreateInference`, `GetProject`, `ListProjects` and
   * `ListTagsForResource` on the hub account's projects in `regions`
   * (`arn:…:bedrock-mantle:<region>:<hub account>:project/*`). Bearer-token calls
   * (`bedrock-mantle:CallWithBearerToken`) are not allowed: callers sign with the role's credentials.
   *
   * @default false
   */
  readonly openAiCompatibleInference?: boolean;

  /**
   * The role's name. Fixed (not generated), so that workload stacks in other accounts can name the
   * role before it exists. IAM role names are unique per account (case-insensitive): give each hub
   * role in an account its own name. 1 to 64 letters, digits and `+=,.@_-`.
   *
   * @default 'BedrockHubRole'
   */
  readonly roleName?: string;

  /**
   * The role's path: `/`, or `/`-separated segments of printable ASCII that start and end with `/`
   * (e.g. `/bedrock/`). Part of the role ARN.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * The role's maximum session duration, 1 to 12 hours. A Lambda function that assumes the role is
   * already a role session, so STS caps its session at 1 hour (role chaining) whatever this says:
   * more is useful only to callers that are not role sessions (a warning says so).
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * The role's description.
   *
   * @default - a description naming the trusted accounts or organization
   */
  readonly description?: string;
}

/**
 * The hub-account side of bedrock-hub-access: an IAM role, with a fixed name, that workload-account
 * principals assume (with an ExternalId, from the accounts, organization and role-name patterns
 * you trust) to call Amazon Bedrock on the models, inference profiles, guardrails, agents and
 * knowledge bases you list, and nothing else.
 *
 * Session tags and a source identity, which let CloudTrail here name the workload and function of
 * every call, are refused unless allowed (`allowSessionTags`, `allowSourceIdentity`), and can be
 * required (`requiredSessionTagKeys`, `sourceIdentityPattern`).
 *
 * The workload side is checked against its trust policy: `BedrockHubAccess.fromHubRole` (or a
 * `hubRoleArn` naming this role, in the same app) fails synth, naming both sides, where the two
 * disagree. Bad props fail with an error that names this construct's path and the property.
 */
export class BedrockHubRole extends Construct {
  /** The role name used when `roleName` is not given. */
  public static readonly DEFAULT_ROLE_NAME = 'BedrockHubRole';

  /** The IAM role. */
  public readonly role: iam.Role;

  /**
   * The role's ARN, formed from the stack's partition and account, the path and the name: a plain
   * string when the hub stack's environment is concrete, so a workload stack in another account or
   * region can use it without a cross-stack reference.
   */
  public readonly roleArn: string;

  /** The role's name. */
  public readonly roleName: string;

  /** The role's path. */
  public readonly path: string;

  /** The regions callers use Bedrock in through this role (source regions). */
  public readonly regions: string[];

  /**
   * What the trust policy admits, for the workload side's checks at synth.
   *
   * @internal
   */
  public readonly _trust: HubRoleTrust;

  private readonly permissions: HubPermissions;
  /** How many of each were added so far, so that errors name the same index as the props (`models[3]`). */
  private readonly added = { models: 0, guardrails: 0, crossRegionGuardrails: 0, agentAliases: 0, knowledgeBases: 0 };

  constructor(scope: Construct, id: string, props: BedrockHubRoleProps) {
    super(scope, id);
    try {
      const stack = Stack.of(this);
      const partition = partitionOf(stack);
      this._trust = this.checkTrust(props, partition);

      // Name, path and ARN.
      this.roleName = props.roleName ?? BedrockHubRole.DEFAULT_ROLE_NAME;
      this.path = props.path ?? '/';
      checkRoleName(this.roleName);
      checkRolePath(this.path);
      claimRoleName(this, this.roleName, stack.account);
      this.roleArn = `arn:${partition}:iam::${stack.account}:role${this.path}${this.roleName}`;
      if (Token.isUnresolved(this.roleArn)) {
        warn(this, 'ROLE_ARN_NOT_CONCRETE',
          'roleArn contains CloudFormation tokens because the hub stack has no concrete account or region, so a workload stack in another account cannot use it. ' +
          'Give the hub stack an environment: new Stack(app, \'Hub\', { env: { account: \'111122223333\', region: \'us-east-1\' } }).');
      } else if (parseRoleArn(this.roleArn) === undefined) {
        throw new Error(`roleArn: the hub stack's partition and account, the path and the roleName form '${this.roleArn}', which the workload side would reject: ${describeRoleArnProblem(this.roleArn)} Check the hub stack's env.account.`);
      }

      // Regions.
      this.regions = props.regions ?? [stack.region];
      checkRegionList('BedrockHubRole', 'regions', this.regions);
      if (this.regions.length === 0) {
        throw new Error('regions is empty: give the regions in which callers use Bedrock through this role (e.g. [\'us-east-1\']), or leave it out to use the hub stack\'s region.');
      }
      this.regions.forEach((region, i) => checkRegionPartition(`regions[${i}]`, region, partition));

      // The role: who may assume it, and what it may do.
      const trustPolicy = new HubTrustPolicy(this._trust, partition);
      this.permissions = new HubPermissions(this, partition, stack.account, this.regions);
      const trusted = this._trust.trustedAccounts.length ? `accounts ${this._trust.trustedAccounts.join(', ')}` : `organization ${this._trust.trustedOrganizationId}`;
      this.role = new iam.Role(this, 'Role', {
        roleName: this.roleName,
        path: this.path,
        assumedBy: trustPolicy.assumeRolePrincipal(),
        maxSessionDuration: this._trust.maxSessionDuration,
        description: props.description ?? truncate(`Assumed by workload functions of ${trusted} to call Amazon Bedrock in this account (bedrock-hub-access).`, 1000),
        inlinePolicies: { BedrockHubAccess: this.permissions.document },
      });
      this.permissions.bind(this.role);
      trustPolicy.addAttributionStatements(this.role);

      this.addModels(...(props.models ?? []));
      this.addGuardrails(...(props.guardrails ?? []));
      this.addCrossRegionGuardrails(...(props.crossRegionGuardrails ?? []));
      this.addAgentAliases(...(props.agentAliases ?? []));
      this.addKnowledgeBases(...(props.knowledgeBases ?? []));
      if (props.openAiCompatibleInference) this.enableOpenAiCompatibleInference();
      if (props.allowModelSubscription) this.allowModelSubscription();
    } catch (error) {
      throw this.scoped(error);
    }

    this.node.addValidation({
      validate: () => this.permissions.isEmpty ? [
        'BedrockHubRole grants nothing: give models (e.g. [BedrockModel.foundationModel(\'anthropic.claude-3-5-sonnet-20240620-v1:0\')]), guardrails, agentAliases, knowledgeBases or openAiCompatibleInference, or call addModels().',
      ] : [],
    });
  }

  /**
   * Allow the role to invoke more models (`bedrock:InvokeModel`, `bedrock:InvokeModelWithResponseStream`,
   * and `bedrock:GetInferenceProfile` on inference profiles).
   */
  public addModels(...models: BedrockModel[]): void {
    this.each(models, (model) => model._grants.grant(this.permissions, `models[${this.added.models++}]`));
  }

  /** Allow the role to apply more guardrails of the hub account, by id or ARN. */
  public addGuardrails(...guardrails: string[]): void {
    this.each(guardrails, (guardrail) => this.permissions.grantGuardrail(`guardrails[${this.added.guardrails++}]`, guardrail));
  }

  /**
   * Allow the role to apply more guardrails of the hub account with cross-Region inference: the
   * guardrail and its guardrail profile in the role's regions and the profile's destination regions.
   */
  public addCrossRegionGuardrails(...guardrails: CrossRegionGuardrail[]): void {
    this.each(guardrails, (g) => this.permissions.grantCrossRegionGuardrail(
      `crossRegionGuardrails[${this.added.crossRegionGuardrails++}]`, g.guardrail, g.guardrailProfileId, g.destinationRegions ?? []));
  }

  /** Let the first call to a model start the hub account's AWS Marketplace subscription (see `allowModelSubscription`). */
  public allowModelSubscription(): void {
    this.permissions.grantModelSubscription();
  }

  /** Allow the role to invoke more agent aliases of the hub account, as `<agent id>/<alias id>` or ARN. */
  public addAgentAliases(...agentAliases: string[]): void {
    this.each(agentAliases, (alias) => this.permissions.grantAgentAlias(`agentAliases[${this.added.agentAliases++}]`, alias));
  }

  /**
   * Allow the role to query more knowledge bases of the hub account, by id or ARN
   * (`bedrock:Retrieve` on them, and `bedrock:RetrieveAndGenerate`, which has no resource-level permissions).
   */
  public addKnowledgeBases(...knowledgeBases: string[]): void {
    this.each(knowledgeBases, (kb) => this.permissions.grantKnowledgeBase(`knowledgeBases[${this.added.knowledgeBases++}]`, kb));
  }

  /** Allow inference through the OpenAI-compatible `bedrock-mantle` endpoint (see `openAiCompatibleInference`). */
  public enableOpenAiCompatibleInference(): void {
    this.permissions.grantOpenAiCompatibleInference();
  }

  /** Who may assume the role, with which ExternalId and session attributes: checked, with the warnings. */
  private checkTrust(props: BedrockHubRoleProps, partition: string): HubRoleTrust {
    const trustedAccounts = checkAccounts(props.trustedAccounts ?? []);
    const trustedOrganizationId = checkOrganizationId(props.trustedOrganizationId);
    if (trustedAccounts.length === 0 && trustedOrganizationId === undefined) {
      throw new Error('trustedAccounts / trustedOrganizationId: neither is given, so nobody could assume the role. List the workload account ids in trustedAccounts (e.g. [\'111122223333\']), or give the organization id in trustedOrganizationId (e.g. \'o-a1b2c3d4e5\'), or both.');
    }
    const trustedPrincipalArnPatterns = checkPrincipalPatterns(props.trustedPrincipalArnPatterns ?? [], trustedAccounts, partition);

    const externalIdRequired = props.requireExternalId ?? true;
    const externalId = props.externalId;
    if (externalId !== undefined) {
      if (props.requireExternalId === false) {
        throw new Error('externalId / requireExternalId: an externalId is given but requireExternalId is false. Remove requireExternalId to require the ExternalId, or remove externalId to build a role without one.');
      }
      const problem = Token.isUnresolved(externalId) ? undefined : describeExternalIdProblem(externalId);
      if (problem) throw new Error(`externalId ${problem} Choose another value (e.g. a random UUID), and give the workload side the same one.`);
    } else if (externalIdRequired) {
      throw new Error('externalId is required: without it any principal the trust policy admits can assume the role on behalf of a third party (the confused-deputy problem). ' +
        'Pass externalId (e.g. a random UUID, or a CfnParameter with noEcho: true) and give the workload side the same value; or set requireExternalId: false to build the role without one on purpose.');
    } else {
      warn(this, 'EXTERNAL_ID_NOT_REQUIRED',
        'requireExternalId is false: the trust policy requires no sts:ExternalId, so confused-deputy protection is off. Pass externalId unless every trusted principal is under your control.');
    }
    if (trustedPrincipalArnPatterns.length === 0) {
      warn(this, 'TRUST_WITHOUT_PRINCIPAL_PATTERNS',
        `Any principal of ${trustedAccounts.length ? `the accounts ${trustedAccounts.join(', ')}` : `the organization ${trustedOrganizationId}`} that its own account allows sts:AssumeRole on this role${externalId !== undefined ? ', and that knows the ExternalId,' : ''} can assume it. ` +
        'Narrow it to the workload roles with trustedPrincipalArnPatterns, e.g. [\'arn:aws:iam::111122223333:role/MyWorkloadStack-*\'].');
    }

    const tags = checkSessionTagOptions(props);
    const sourceIdentity = checkSourceIdentityOptions(props);
    const maxSessionDuration = props.maxSessionDuration ?? Duration.hours(1);
    checkMaxSessionDuration(this, maxSessionDuration);
    return {
      externalId,
      externalIdRequired,
      trustedAccounts,
      trustedOrganizationId,
      trustedPrincipalArnPatterns,
      maxSessionDuration,
      allowsSessionTags: tags.allowed,
      allowedSessionTagKeys: tags.allowedKeys,
      requiredSessionTagKeys: tags.requiredKeys,
      allowsSourceIdentity: sourceIdentity.allowed,
      sourceIdentityPattern: sourceIdentity.pattern,
    };
  }

  /** Runs `add` on each item; an error names this construct's path. */
  private each<T>(items: T[], add: (item: T) => void): void {
    try {
      items.forEach(add);
    } catch (error) {
      throw this.scoped(error);
    }
  }

  /** The error, its message prefixed with this construct's path (once). */
  private scoped(error: unknown): unknown {
    if (!(error instanceof Error) || error.message.startsWith(`${describeConstruct(this)}: `)) return error;
    return constructError(this, error.message);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
