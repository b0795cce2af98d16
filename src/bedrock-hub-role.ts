import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import {
  describeExternalIdProblem,
  describeRoleArnProblem,
  describeTagKeyProblem,
  parseRoleArn,
  PARTITIONS,
  SESSION_TAG_LIMITS,
} from './contract';

/** The kinds of model a {@link BedrockModel} stands for. */
export enum BedrockModelKind {
  /** One foundation model, invoked directly (`arn:…:bedrock:<region>::foundation-model/<id>`). */
  FOUNDATION_MODEL = 'FOUNDATION_MODEL',
  /** Every foundation model in the given regions (a wildcard, granted only when asked for). */
  ALL_FOUNDATION_MODELS = 'ALL_FOUNDATION_MODELS',
  /** A cross-region (system-defined) inference profile such as `us.anthropic.…` or `global.anthropic.…`. */
  CROSS_REGION_INFERENCE_PROFILE = 'CROSS_REGION_INFERENCE_PROFILE',
  /** An application inference profile created in the hub account. */
  APPLICATION_INFERENCE_PROFILE = 'APPLICATION_INFERENCE_PROFILE',
}

/** Options for {@link BedrockModel.foundationModel} and {@link BedrockModel.allFoundationModels}. */
export interface FoundationModelOptions {
  /**
   * The regions in which callers invoke the model(s).
   *
   * @default - the hub role's `regions`
   */
  readonly regions?: string[];
}

/** Options for {@link BedrockModel.crossRegionProfile}. */
export interface CrossRegionProfileOptions {
  /**
   * The regions callers send requests from (the profile's source regions). The profile's ARN is
   * granted in each of them, in the hub account.
   *
   * @default - the hub role's `regions`
   */
  readonly sourceRegions?: string[];

  /**
   * The regions the profile routes requests to. Bedrock authorizes the foundation model in the
   * region that serves the request, so the model is granted in every one of them (and only through
   * this profile). Destination regions differ from model to model and grow over time: copy them from
   * the model's page in the Amazon Bedrock user guide.
   *
   * Required for a geographic profile (`us.`, `eu.`, `apac.`, `us-gov.`, `jp.`, `au.`, …) unless
   * `allDestinationRegions` is set. Optional for a `global.` profile, which Bedrock authorizes against
   * the region-less foundation-model ARN.
   *
   * @default - none
   */
  readonly destinationRegions?: string[];

  /**
   * Allow the foundation model in any region, but only through this profile
   * (`arn:…:bedrock:*::foundation-model/<id>` with a `bedrock:InferenceProfileArn` condition).
   * Survives AWS adding destination regions to the profile, at the price of a region wildcard.
   *
   * @default false
   */
  readonly allDestinationRegions?: boolean;
}

/** Options for {@link BedrockModel.applicationInferenceProfile}. */
export interface ApplicationInferenceProfileOptions {
  /**
   * The regions of the profile when it is given by id. Ignored when an ARN is given (the ARN names
   * its region).
   *
   * @default - the hub role's `regions`
   */
  readonly regions?: string[];

  /**
   * The model the profile was created from: a foundation model or a cross-region inference profile.
   * Bedrock authorizes that model too when the application inference profile is invoked, so it is
   * granted here: a foundation model only through this profile (`bedrock:InferenceProfileArn`
   * condition), in the profile's region unless it names its own; a cross-region profile as
   * `BedrockModel.crossRegionProfile()` grants it, its foundation models reachable through either profile.
   *
   * @default - none: grant the underlying model some other way, or calls fail with AccessDenied
   *   (a warning says so)
   */
  readonly routesTo?: BedrockModel;
}

/**
 * A model the hub role may invoke with `bedrock:InvokeModel` and
 * `bedrock:InvokeModelWithResponseStream` (which also authorize `Converse` and `ConverseStream`).
 *
 * Regions default to the hub role's `regions`; ARNs are always in the hub account.
 */
export class BedrockModel {
  /**
   * One foundation model, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`.
   *
   * @param modelId the foundation model id (not its ARN, not an inference profile id)
   */
  public static foundationModel(modelId: string, options: FoundationModelOptions = {}): BedrockModel {
    const where = `BedrockModel.foundationModel('${modelId}')`;
    checkFoundationModelId(where, 'modelId', modelId);
    checkRegionList(where, 'regions', options.regions);
    return new BedrockModel({
      kind: BedrockModelKind.FOUNDATION_MODEL,
      identifier: modelId,
      foundationModelId: modelId,
      regions: options.regions,
    });
  }

  /**
   * Every foundation model in the given regions: `arn:…:bedrock:<region>::foundation-model/*`.
   *
   * A wildcard, and so the only way to get one: the role's policy carries a `cdk_nag` suppression
   * of AwsSolutions-IAM5 for exactly this resource, with the reason.
   */
  public static allFoundationModels(options: FoundationModelOptions = {}): BedrockModel {
    checkRegionList('BedrockModel.allFoundationModels()', 'regions', options.regions);
    return new BedrockModel({
      kind: BedrockModelKind.ALL_FOUNDATION_MODELS,
      identifier: '*',
      regions: options.regions,
    });
  }

  /**
   * A cross-region (system-defined) inference profile, e.g. `us.anthropic.claude-3-5-sonnet-20240620-v1:0`
   * or `global.anthropic.claude-sonnet-4-5-20250929-v1:0`.
   *
   * Grants `bedrock:InvokeModel*` and `bedrock:GetInferenceProfile` on the profile in each source
   * region (in the hub account), and `bedrock:InvokeModel*` on the foundation model in every
   * destination region, only through this profile. A `global.` profile also gets the region-less
   * foundation-model ARN (`arn:…:bedrock:::foundation-model/<id>`) Bedrock authorizes global routing against.
   *
   * @param profileId the inference profile id: `<geography>.<foundation model id>`
   */
  public static crossRegionProfile(profileId: string, options: CrossRegionProfileOptions = {}): BedrockModel {
    const where = `BedrockModel.crossRegionProfile('${profileId}')`;
    if (Token.isUnresolved(profileId)) {
      throw new Error(`${where}: profileId is a token; the foundation model id and the geography are read from it at synth time, so give it literally (e.g. 'us.anthropic.claude-3-5-sonnet-20240620-v1:0').`);
    }
    if (profileId.startsWith('arn:')) {
      throw new Error(`${where}: profileId is an ARN; pass the inference profile id instead (the part after 'inference-profile/', e.g. 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'). The ARN is formed in the hub account.`);
    }
    const dot = profileId.indexOf('.');
    const geography = dot > 0 ? profileId.slice(0, dot) : '';
    const foundationModelId = profileId.slice(dot + 1);
    if (/^[a-z]+(-[a-z]+)*$/.test(geography) && FOUNDATION_MODEL_ID.test(profileId) && !FOUNDATION_MODEL_ID.test(foundationModelId) && !GEOGRAPHIES.has(geography)) {
      // '<provider>.<model>': a foundation model id passed here by mistake.
      throw new Error(`${where}: profileId looks like a foundation model id ('${geography}' is not a geography); use BedrockModel.foundationModel('${profileId}'), or prefix the geography of the profile (${[...GEOGRAPHIES.keys()].map((g) => `'${g}.'`).join(', ')}).`);
    }
    if (!/^[a-z]+(-[a-z]+)*$/.test(geography) || !FOUNDATION_MODEL_ID.test(foundationModelId)) {
      throw new Error(`${where}: profileId is not an inference profile id. A cross-region profile id is '<geography>.<foundation model id>', e.g. 'us.anthropic.claude-3-5-sonnet-20240620-v1:0' or 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'.`);
    }
    checkRegionList(where, 'sourceRegions', options.sourceRegions);
    checkRegionList(where, 'destinationRegions', options.destinationRegions);
    const allDestinationRegions = options.allDestinationRegions ?? false;
    if (allDestinationRegions && options.destinationRegions?.length) {
      throw new Error(`${where}: destinationRegions and allDestinationRegions are both set; give the regions, or allow them all, not both.`);
    }
    if (geography !== 'global' && !allDestinationRegions && !options.destinationRegions?.length) {
      throw new Error(`${where}: destinationRegions is required for a geographic profile. Bedrock authorizes the foundation model in the region that serves each request, so list every region the profile routes to (the model's page in the Amazon Bedrock user guide lists them), e.g. { destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }; or set allDestinationRegions: true to allow the model in any region, only through this profile.`);
    }
    return new BedrockModel({
      kind: BedrockModelKind.CROSS_REGION_INFERENCE_PROFILE,
      identifier: profileId,
      foundationModelId,
      geography,
      regions: options.sourceRegions,
      destinationRegions: options.destinationRegions,
      allDestinationRegions,
    });
  }

  /**
   * An application inference profile in the hub account, by id (e.g. `a1b2c3d4e5f6`, formed into an
   * ARN in each region) or by ARN (e.g. a `CfnApplicationInferenceProfile`'s `attrInferenceProfileArn`).
   *
   * Application inference profiles are account-scoped: an ARN in another account is an error when
   * the role is built. Grants `bedrock:InvokeModel*` and `bedrock:GetInferenceProfile` on the profile,
   * plus `routesTo` through it.
   */
  public static applicationInferenceProfile(profileIdOrArn: string, options: ApplicationInferenceProfileOptions = {}): BedrockModel {
    const where = `BedrockModel.applicationInferenceProfile('${profileIdOrArn}')`;
    if (!Token.isUnresolved(profileIdOrArn) && !profileIdOrArn.startsWith('arn:') && !APPLICATION_PROFILE_ID.test(profileIdOrArn)) {
      throw new Error(`${where}: '${profileIdOrArn}' is neither an application inference profile id (lowercase letters and digits, e.g. 'a1b2c3d4e5f6') nor its ARN (arn:aws:bedrock:<region>:<hub account>:application-inference-profile/<id>).${FOUNDATION_MODEL_ID.test(profileIdOrArn) ? ' For a cross-region profile use BedrockModel.crossRegionProfile(); for a foundation model, BedrockModel.foundationModel().' : ''}`);
    }
    checkRegionList(where, 'regions', options.regions);
    const routesTo = options.routesTo;
    if (routesTo && routesTo.kind !== BedrockModelKind.FOUNDATION_MODEL && routesTo.kind !== BedrockModelKind.CROSS_REGION_INFERENCE_PROFILE) {
      throw new Error(`${where}: routesTo must be a BedrockModel.foundationModel() or BedrockModel.crossRegionProfile(), the model the application inference profile was created from.`);
    }
    return new BedrockModel({
      kind: BedrockModelKind.APPLICATION_INFERENCE_PROFILE,
      identifier: profileIdOrArn,
      regions: options.regions,
      routesTo,
    });
  }

  /** What this model is. */
  public readonly kind: BedrockModelKind;

  /** The foundation model id, inference profile id, or application inference profile id or ARN; `*` for all foundation models. */
  public readonly identifier: string;

  /** The foundation model behind a foundation model or a cross-region profile. */
  public readonly foundationModelId?: string;

  /** The geography prefix of a cross-region profile (`us`, `eu`, `apac`, `global`, …). */
  public readonly geography?: string;

  /**
   * The regions the model is called in (source regions of a cross-region profile).
   *
   * @default - the hub role's `regions`
   */
  public readonly regions?: string[];

  /** The destination regions of a cross-region profile. */
  public readonly destinationRegions?: string[];

  /** Whether a cross-region profile's foundation model is allowed in any region (through the profile). */
  public readonly allDestinationRegions: boolean;

  /** The model an application inference profile routes to. */
  public readonly routesTo?: BedrockModel;

  private constructor(spec: ModelSpec) {
    this.kind = spec.kind;
    this.identifier = spec.identifier;
    this.foundationModelId = spec.foundationModelId;
    this.geography = spec.geography;
    this.regions = spec.regions;
    this.destinationRegions = spec.destinationRegions;
    this.allDestinationRegions = spec.allDestinationRegions ?? false;
    this.routesTo = spec.routesTo;
  }
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
 * The trust configuration is kept in public fields so the workload side can be checked against it:
 * `BedrockHubAccess.fromHubRole` (or a `hubRoleArn` naming this role, in the same app) fails synth,
 * naming both sides, where the two disagree.
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

  /** The ExternalId the trust policy requires (may be a token). */
  public readonly externalId?: string;

  /** Whether the trust policy requires an ExternalId. */
  public readonly externalIdRequired: boolean;

  /** The trusted workload accounts. */
  public readonly trustedAccounts: string[];

  /** The trusted AWS Organizations id. */
  public readonly trustedOrganizationId?: string;

  /** The `aws:PrincipalArn` patterns a caller must match (empty: any principal of the trusted accounts or organization). */
  public readonly trustedPrincipalArnPatterns: string[];

  /** The role's maximum session duration. */
  public readonly maxSessionDuration: Duration;

  /** The regions callers use Bedrock in through this role (source regions). */
  public readonly regions: string[];

  /** Whether the trust policy allows `sts:TagSession` (session tags). */
  public readonly allowsSessionTags: boolean;

  /**
   * The only session tag keys callers may pass (case-sensitive).
   *
   * @default - any key, when session tags are allowed
   */
  public readonly allowedSessionTagKeys?: string[];

  /** Session tag keys every caller must pass (empty: none). */
  public readonly requiredSessionTagKeys: string[];

  /** Whether the trust policy allows `sts:SetSourceIdentity`. */
  public readonly allowsSourceIdentity: boolean;

  /**
   * The pattern every session's source identity must match (`StringLike`).
   *
   * @default - a source identity is not required
   */
  public readonly sourceIdentityPattern?: string;

  private readonly partition: string;
  private readonly account: string;
  private readonly policy = new iam.PolicyDocument();
  private readonly statements = new Map<string, iam.PolicyStatement>();
  private readonly inferenceProfileArns: string[] = [];
  private readonly wildcardReasons = new Map<string, string>();
  private openAiCompatible = false;
  /** How many of each were added so far, so that errors name the same index as the props (`models[3]`). */
  private readonly added = { models: 0, guardrails: 0, agentAliases: 0, knowledgeBases: 0 };

  constructor(scope: Construct, id: string, props: BedrockHubRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.partition = partitionOf(stack);
    this.account = stack.account;

    // Who may assume it.
    this.trustedAccounts = checkAccounts(props.trustedAccounts ?? []);
    this.trustedOrganizationId = checkOrganizationId(props.trustedOrganizationId);
    if (this.trustedAccounts.length === 0 && this.trustedOrganizationId === undefined) {
      throw new Error('trustedAccounts / trustedOrganizationId: neither is given, so nobody could assume the role. List the workload account ids in trustedAccounts (e.g. [\'111122223333\']), or give the organization id in trustedOrganizationId (e.g. \'o-a1b2c3d4e5\'), or both.');
    }
    this.trustedPrincipalArnPatterns = checkPrincipalPatterns(props.trustedPrincipalArnPatterns ?? [], this.trustedAccounts, this.partition);

    // The ExternalId.
    this.externalIdRequired = props.requireExternalId ?? true;
    this.externalId = props.externalId;
    if (props.externalId !== undefined) {
      if (props.requireExternalId === false) {
        throw new Error('externalId / requireExternalId: an externalId is given but requireExternalId is false. Remove requireExternalId to require the ExternalId, or remove externalId to build a role without one.');
      }
      if (!Token.isUnresolved(props.externalId)) {
        const problem = describeExternalIdProblem(props.externalId);
        if (problem) {
          throw new Error(`externalId ${problem} Choose another value (e.g. a random UUID), and give the workload side the same one.`);
        }
      }
    } else if (this.externalIdRequired) {
      throw new Error('externalId is required: without it any principal the trust policy admits can assume the role on behalf of a third party (the confused-deputy problem). ' +
        'Pass externalId (e.g. a random UUID, or a CfnParameter with noEcho: true) and give the workload side the same value; or set requireExternalId: false to build the role without one on purpose.');
    } else {
      Annotations.of(this).addWarningV2('bedrock-hub-access:externalIdNotRequired',
        'requireExternalId is false: the trust policy requires no sts:ExternalId, so confused-deputy protection is off. Pass externalId unless every trusted principal is under your control.');
    }
    if (this.trustedPrincipalArnPatterns.length === 0) {
      Annotations.of(this).addWarningV2('bedrock-hub-access:trustWithoutPrincipalPatterns',
        `Any principal of ${this.trustedAccounts.length ? `the accounts ${this.trustedAccounts.join(', ')}` : `the organization ${this.trustedOrganizationId}`} that its own account allows sts:AssumeRole on this role${this.externalId !== undefined ? ', and that knows the ExternalId,' : ''} can assume it. ` +
        'Narrow it to the workload roles with trustedPrincipalArnPatterns, e.g. [\'arn:aws:iam::111122223333:role/MyWorkloadStack-*\'].');
    }

    // Attribution: session tags and source identity.
    const tags = checkSessionTagOptions(props);
    this.allowsSessionTags = tags.allowed;
    this.allowedSessionTagKeys = tags.allowedKeys;
    this.requiredSessionTagKeys = tags.requiredKeys;
    const sourceIdentity = checkSourceIdentityOptions(props);
    this.allowsSourceIdentity = sourceIdentity.allowed;
    this.sourceIdentityPattern = sourceIdentity.pattern;

    // Session duration.
    this.maxSessionDuration = props.maxSessionDuration ?? Duration.hours(1);
    checkMaxSessionDuration(this, this.maxSessionDuration);

    // Name, path and ARN.
    this.roleName = props.roleName ?? BedrockHubRole.DEFAULT_ROLE_NAME;
    this.path = props.path ?? '/';
    checkRoleName(this.roleName);
    checkRolePath(this.path);
    claimRoleName(this, this.roleName, this.account);
    this.roleArn = `arn:${this.partition}:iam::${this.account}:role${this.path}${this.roleName}`;
    if (Token.isUnresolved(this.roleArn)) {
      Annotations.of(this).addWarningV2('bedrock-hub-access:roleArnNotConcrete',
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
    this.regions.forEach((region, i) => checkRegionPartition(`regions[${i}]`, region, this.partition));

    // The role. Who may call: the same principals and principal conditions in every statement.
    const who: Record<string, Record<string, unknown>> = {};
    if (this.trustedOrganizationId !== undefined) who.StringEquals = { 'aws:PrincipalOrgID': this.trustedOrganizationId };
    if (this.trustedPrincipalArnPatterns.length) who.ArnLike = { 'aws:PrincipalArn': oneOrMany(this.trustedPrincipalArnPatterns) };
    const principals = this.trustedAccounts.length
      ? this.trustedAccounts.map((account) => `arn:${this.partition}:iam::${account}:root`)
      : ['*'];

    // sts:AssumeRole: the ExternalId, and the tags and source identity the role requires.
    const assume: Record<string, Record<string, unknown>> = {};
    if (this.externalId !== undefined || who.StringEquals) {
      assume.StringEquals = { ...(this.externalId !== undefined ? { 'sts:ExternalId': this.externalId } : {}), ...who.StringEquals };
    }
    if (who.ArnLike) assume.ArnLike = who.ArnLike;
    if (this.requiredSessionTagKeys.length) {
      assume.Null = Object.fromEntries(this.requiredSessionTagKeys.map((key) => [`aws:RequestTag/${key}`, 'false']));
    }
    if (this.sourceIdentityPattern !== undefined) assume.StringLike = { 'sts:SourceIdentity': this.sourceIdentityPattern };

    this.role = new iam.Role(this, 'Role', {
      roleName: this.roleName,
      path: this.path,
      assumedBy: new TrustedCallers(principals, assume),
      maxSessionDuration: this.maxSessionDuration,
      description: props.description ?? truncate(`Assumed by workload functions of ${this.trustedAccounts.length ? `accounts ${this.trustedAccounts.join(', ')}` : `organization ${this.trustedOrganizationId}`} to call Amazon Bedrock in this account (bedrock-hub-access).`, 1000),
      inlinePolicies: { BedrockHubAccess: this.policy },
    });

    // sts:TagSession and sts:SetSourceIdentity, each in a statement of its own, only when allowed.
    // STS authorizes them together with sts:AssumeRole, which stays the gate: they grant nothing
    // unless AssumeRole succeeds. Their ExternalId condition is `IfExists` because policy engines
    // differ on whether sts:ExternalId (a key of AssumeRole only) is in their request context; where
    // it is, it must still be right.
    const alongside = (extra: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> => ({
      ...who,
      ...(this.externalId !== undefined ? { StringEqualsIfExists: { 'sts:ExternalId': this.externalId } } : {}),
      ...extra,
    });
    if (this.allowsSessionTags) {
      this.role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
        actions: ['sts:TagSession'],
        principals: [new TrustedCallers(principals, alongside(this.allowedSessionTagKeys
          ? { 'ForAllValues:StringEquals': { 'aws:TagKeys': [...this.allowedSessionTagKeys] } }
          : {}))],
      }));
    }
    if (this.allowsSourceIdentity) {
      this.role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
        actions: ['sts:SetSourceIdentity'],
        principals: [new TrustedCallers(principals, alongside(this.sourceIdentityPattern !== undefined
          ? { StringLike: { 'sts:SourceIdentity': this.sourceIdentityPattern } }
          : {}))],
      }));
    }

    // What it may do.
    this.addModels(...(props.models ?? []));
    this.addGuardrails(...(props.guardrails ?? []));
    this.addAgentAliases(...(props.agentAliases ?? []));
    this.addKnowledgeBases(...(props.knowledgeBases ?? []));
    if (props.openAiCompatibleInference) this.enableOpenAiCompatibleInference();

    this.node.addValidation({
      validate: () => this.statements.size > 0 ? [] : [
        'BedrockHubRole grants nothing: give models (e.g. [BedrockModel.foundationModel(\'anthropic.claude-3-5-sonnet-20240620-v1:0\')]), guardrails, agentAliases, knowledgeBases or openAiCompatibleInference, or call addModels().',
      ],
    });
  }

  /**
   * Allow the role to invoke more models (`bedrock:InvokeModel`, `bedrock:InvokeModelWithResponseStream`,
   * and `bedrock:GetInferenceProfile` on inference profiles).
   */
  public addModels(...models: BedrockModel[]): void {
    for (const model of models) this.grantModel(`models[${this.added.models++}]`, model);
  }

  /** Allow the role to apply more guardrails of the hub account, by id or ARN. */
  public addGuardrails(...guardrails: string[]): void {
    for (const guardrail of guardrails) {
      const arns = this.hubResourceArns(`guardrails[${this.added.guardrails++}]`, guardrail, HUB_RESOURCES.guardrail, this.regions);
      this.allow('ApplyGuardrails', ['bedrock:ApplyGuardrail'], arns);
    }
  }

  /** Allow the role to invoke more agent aliases of the hub account, as `<agent id>/<alias id>` or ARN. */
  public addAgentAliases(...agentAliases: string[]): void {
    for (const alias of agentAliases) {
      const arns = this.hubResourceArns(`agentAliases[${this.added.agentAliases++}]`, alias, HUB_RESOURCES.agentAlias, this.regions);
      this.allow('InvokeAgentAliases', ['bedrock:InvokeAgent'], arns);
    }
  }

  /**
   * Allow the role to query more knowledge bases of the hub account, by id or ARN
   * (`bedrock:Retrieve` on them, and `bedrock:RetrieveAndGenerate`, which has no resource-level permissions).
   */
  public addKnowledgeBases(...knowledgeBases: string[]): void {
    for (const knowledgeBase of knowledgeBases) {
      const arns = this.hubResourceArns(`knowledgeBases[${this.added.knowledgeBases++}]`, knowledgeBase, HUB_RESOURCES.knowledgeBase, this.regions);
      this.allow('RetrieveFromKnowledgeBases', ['bedrock:Retrieve'], arns);
      this.allow('RetrieveAndGenerate', ['bedrock:RetrieveAndGenerate'], ['*'], {
        kind: 'retrieveAndGenerate',
        regex: '^Resource::\\*$',
        reason: 'bedrock:RetrieveAndGenerate supports no resource-level permissions (its resource must be *). It only orchestrates: the knowledge bases are reachable solely through bedrock:Retrieve on the listed knowledge-base ARNs, and generation solely through the listed models.',
      });
    }
  }

  /** Allow inference through the OpenAI-compatible `bedrock-mantle` endpoint (see `openAiCompatibleInference`). */
  public enableOpenAiCompatibleInference(): void {
    if (this.openAiCompatible) return;
    this.openAiCompatible = true;
    const arns = this.regions.map((region) => `arn:${this.partition}:bedrock-mantle:${region}:${this.account}:project/*`);
    this.allow('OpenAiCompatibleInference', [...MANTLE_ACTIONS], arns, {
      kind: 'mantleProjects',
      regex: `^Resource::arn:${SEG}:bedrock-mantle:${SEG}:${SEG}:project\\/\\*$`,
      reason: 'openAiCompatibleInference was enabled explicitly. The bedrock-mantle actions are scoped to the projects of the hub account in the hub role\'s regions (project/*), as in the AmazonBedrockMantleInferenceAccess managed policy; inference on a project is what the OpenAI-compatible endpoint authorizes.',
    });
  }

  /**
   * Grants one model. `throughProfiles` (for the model behind an application inference profile):
   * invocable only through those profiles; `defaultRegions`: the regions used when the model names none.
   */
  private grantModel(label: string, model: BedrockModel, throughProfiles?: string[], defaultRegions?: string[]): void {
    const regions = model.regions ?? defaultRegions ?? this.regions;
    regions.forEach((region, i) => checkRegionPartition(`${label}.regions[${i}]`, region, this.partition));
    const fm = (region: string, modelId: string) => `arn:${this.partition}:bedrock:${region}::foundation-model/${modelId}`;

    switch (model.kind) {
      case BedrockModelKind.FOUNDATION_MODEL: {
        const arns = regions.map((region) => fm(region, model.foundationModelId!));
        if (throughProfiles) {
          this.allowThroughProfiles(arns, throughProfiles);
        } else {
          this.allow('InvokeFoundationModels', [...INVOKE_ACTIONS], arns);
        }
        return;
      }
      case BedrockModelKind.ALL_FOUNDATION_MODELS: {
        this.allow('InvokeFoundationModels', [...INVOKE_ACTIONS], regions.map((region) => fm(region, '*')), {
          kind: 'allFoundationModels',
          regex: `^Resource::arn:${SEG}:bedrock:${SEG}::foundation-model\\/\\*$`,
          reason: 'BedrockModel.allFoundationModels() was chosen explicitly: every foundation model in the listed regions may be invoked (which models answer is still governed by the model access enabled in the hub account).',
        });
        return;
      }
      case BedrockModelKind.CROSS_REGION_INFERENCE_PROFILE: {
        const modelId = model.foundationModelId!;
        const profiles = regions.map((region) => `arn:${this.partition}:bedrock:${region}:${this.account}:inference-profile/${model.identifier}`);
        this.allowProfiles(profiles);
        const geography = GEOGRAPHIES.get(model.geography!);
        (model.destinationRegions ?? []).forEach((region, i) => {
          checkRegionPartition(`${label}.destinationRegions[${i}]`, region, this.partition);
          if (geography && !Token.isUnresolved(region) && !geography.regionPrefixes.some((prefix) => region.startsWith(prefix))) {
            Annotations.of(this).addWarningV2('bedrock-hub-access:destinationRegionOutsideGeography',
              `${label}: the destination region '${region}' is outside the ${geography.name} geography that '${model.identifier}' routes within, so it is probably a mistake; check the model's cross-region inference regions in the Amazon Bedrock user guide.`);
          }
        });
        const via = [...profiles, ...(throughProfiles ?? [])];
        if (model.allDestinationRegions) {
          // `*` also matches the empty region of the ARN a global profile is authorized against.
          this.allowThroughProfiles([fm('*', modelId)], via, {
            kind: 'allDestinationRegions',
            regex: `^Resource::arn:${SEG}:bedrock:\\*::foundation-model\\/[^*]+$`,
            reason: 'allDestinationRegions was chosen explicitly for a cross-region inference profile: the named foundation model may be invoked in any region, but only through the named inference profiles (bedrock:InferenceProfileArn condition).',
          });
          return;
        }
        const arns = [...new Set([...regions, ...(model.destinationRegions ?? [])])].map((region) => fm(region, modelId));
        if (model.geography === 'global') {
          arns.push(`arn:${this.partition}:bedrock:::foundation-model/${modelId}`);
        }
        this.allowThroughProfiles(arns, via);
        return;
      }
      case BedrockModelKind.APPLICATION_INFERENCE_PROFILE: {
        const profiles = this.hubResourceArns(label, model.identifier, HUB_RESOURCES.applicationInferenceProfile, regions);
        this.allowProfiles(profiles);
        if (model.routesTo) {
          // The model behind the profile is called in the profile's region(s) unless it says otherwise.
          const profileRegions = isArn(model.identifier) && !Token.isUnresolved(model.identifier) ? [model.identifier.split(':')[3]] : regions;
          this.grantModel(`${label}.routesTo`, model.routesTo, profiles, profileRegions);
        } else {
          Annotations.of(this).addWarningV2('bedrock-hub-access:applicationProfileWithoutModel',
            `${label}: Bedrock also authorizes the model behind the application inference profile '${model.identifier}', and none is named. ` +
            'Pass routesTo (e.g. routesTo: BedrockModel.foundationModel(\'anthropic.claude-3-5-sonnet-20240620-v1:0\')), or grant that model in models, or calls will fail with AccessDenied.');
        }
        return;
      }
    }
  }

  /** `bedrock:InvokeModel*` and `bedrock:GetInferenceProfile` on inference profiles. */
  private allowProfiles(profiles: string[]): void {
    this.allow('InvokeInferenceProfiles', [...INVOKE_ACTIONS], profiles);
    this.allow('GetInferenceProfiles', ['bedrock:GetInferenceProfile'], profiles);
  }

  /** `bedrock:InvokeModel*` on foundation models, only when called through one of `profiles`. */
  private allowThroughProfiles(arns: string[], profiles: string[], wildcard?: Wildcard): void {
    const statement = this.allow('InvokeFoundationModelsThroughInferenceProfiles', [...INVOKE_ACTIONS], arns, wildcard);
    for (const profile of profiles) {
      if (!this.inferenceProfileArns.includes(profile)) this.inferenceProfileArns.push(profile);
    }
    statement.addCondition('StringEquals', { 'bedrock:InferenceProfileArn': oneOrMany(this.inferenceProfileArns) });
  }

  /** Adds resources to the statement `sid` (created on first use), and records a wildcard's reason. */
  private allow(sid: string, actions: string[], resources: string[], wildcard?: Wildcard): iam.PolicyStatement {
    let statement = this.statements.get(sid);
    if (!statement) {
      statement = new iam.PolicyStatement({ sid, actions });
      this.statements.set(sid, statement);
      this.policy.addStatements(statement);
    }
    const existing = new Set(statement.resources);
    const added = resources.filter((resource) => !existing.has(resource));
    if (added.length) statement.addResources(...[...new Set(added)]);
    if (wildcard && !this.wildcardReasons.has(wildcard.kind)) {
      this.wildcardReasons.set(wildcard.kind, JSON.stringify({ id: 'AwsSolutions-IAM5', reason: wildcard.reason, applies_to: [{ regex: `/${wildcard.regex}/` }] }));
      // Shipped as raw metadata so that cdk-nag stays a development dependency.
      (this.role.node.defaultChild as iam.CfnRole).addMetadata('cdk_nag', {
        rules_to_suppress: [...this.wildcardReasons.values()].map((rule) => JSON.parse(rule)),
      });
    }
    return statement;
  }

  /**
   * The ARNs of a hub-account Bedrock resource given by id (one per region) or by ARN (checked to
   * be of the right type, in the hub's partition and account). A token is taken as an ARN.
   */
  private hubResourceArns(label: string, value: string, type: HubResourceType, regions: string[]): string[] {
    if (Token.isUnresolved(value)) return [value];
    if (/\s/.test(value)) {
      throw new Error(`${label} contains whitespace (at character ${value.search(/\s/) + 1}); give ${type.article} ${type.name} id (${type.idExample}) or its ARN (${type.arnExample}) alone.`);
    }
    if (!isArn(value)) {
      if (!type.id.test(value)) {
        throw new Error(`${label} '${value}' is neither ${type.article} ${type.name} id (${type.idExample}) nor its ARN (${type.arnExample}).`);
      }
      return regions.map((region) => `arn:${this.partition}:bedrock:${region}:${this.account}:${type.resource}/${value}`);
    }
    const [, partition, service, region, account, ...rest] = value.split(':');
    const resource = rest.join(':');
    if (service !== 'bedrock' || !resource.startsWith(`${type.resource}/`) || !type.id.test(resource.slice(type.resource.length + 1))) {
      throw new Error(`${label} '${value}' is not ${type.article} ${type.name} ARN: it should look like ${type.arnExample}.`);
    }
    if (!Token.isUnresolved(this.partition) && partition !== this.partition) {
      throw new Error(`${label} '${value}' is in the partition '${partition}', but the hub role is in '${this.partition}': use the ${type.name} of the hub account.`);
    }
    checkRegion(label, region);
    if (!Token.isUnresolved(this.account) && account !== this.account) {
      throw new Error(`${label} '${value}' is in account ${account}, not in the hub account ${this.account}. ${type.plural} are account-scoped: callers act as the hub role, which cannot use another account's ${type.name}. Create the ${type.name} in the hub account and pass its id or ARN.`);
    }
    return [value];
  }
}

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

/** Everything a {@link BedrockModel} is made of. */
interface ModelSpec {
  readonly kind: BedrockModelKind;
  readonly identifier: string;
  readonly foundationModelId?: string;
  readonly geography?: string;
  readonly regions?: string[];
  readonly destinationRegions?: string[];
  readonly allDestinationRegions?: boolean;
  readonly routesTo?: BedrockModel;
}

/** A wildcard resource the user asked for, and the cdk-nag suppression that explains it. */
interface Wildcard {
  readonly kind: string;
  /** Matches the cdk-nag finding id (`Resource::<resource, with tokens as <Ref>>`). */
  readonly regex: string;
  readonly reason: string;
}

/** A resource type that must live in the hub account. */
interface HubResourceType {
  readonly name: string;
  readonly plural: string;
  readonly article: string;
  readonly resource: string;
  readonly id: RegExp;
  readonly idExample: string;
  readonly arnExample: string;
}

const HUB_RESOURCES = {
  guardrail: {
    name: 'guardrail',
    plural: 'Guardrails',
    article: 'a',
    resource: 'guardrail',
    id: /^[a-z0-9]{1,64}$/,
    idExample: 'e.g. \'abc123def456\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456',
  },
  agentAlias: {
    name: 'agent alias',
    plural: 'Agent aliases',
    article: 'an',
    resource: 'agent-alias',
    id: /^[0-9a-zA-Z]{10}\/[0-9a-zA-Z]{10}$/,
    idExample: '\'<agent id>/<alias id>\', e.g. \'AGENT12345/ALIAS12345\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345',
  },
  knowledgeBase: {
    name: 'knowledge base',
    plural: 'Knowledge bases',
    article: 'a',
    resource: 'knowledge-base',
    id: /^[0-9a-zA-Z]{10}$/,
    idExample: 'e.g. \'KB12345678\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB12345678',
  },
  applicationInferenceProfile: {
    name: 'application inference profile',
    plural: 'Application inference profiles',
    article: 'an',
    resource: 'application-inference-profile',
    id: /^[a-z0-9]{1,64}$/,
    idExample: 'e.g. \'a1b2c3d4e5f6\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6',
  },
} satisfies Record<string, HubResourceType>;

/** Model invocation; these also authorize Converse and ConverseStream. */
const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;

/**
 * Inference through the OpenAI-compatible endpoint. The tag-listing action is named as in the IAM
 * service authorization reference (`ListTagsForResource`).
 */
const MANTLE_ACTIONS = [
  'bedrock-mantle:CreateInference',
  'bedrock-mantle:GetProject',
  'bedrock-mantle:ListProjects',
  'bedrock-mantle:ListTagsForResource',
] as const;

/** One ARN segment in a cdk-nag finding id: a literal, or a flattened token such as `<AWS::Partition>`. */
const SEG = '(?:<[^>]+>|[^:<>]*)';

/** The geographies of cross-region inference profiles, and the regions each routes within. */
const GEOGRAPHIES = new Map<string, { readonly name: string; readonly regionPrefixes: string[] }>([
  ['us', { name: 'US', regionPrefixes: ['us-east-', 'us-west-'] }],
  ['us-gov', { name: 'AWS GovCloud (US)', regionPrefixes: ['us-gov-'] }],
  ['eu', { name: 'EU', regionPrefixes: ['eu-'] }],
  ['apac', { name: 'APAC', regionPrefixes: ['ap-'] }],
  ['jp', { name: 'Japan', regionPrefixes: ['ap-northeast-'] }],
  ['au', { name: 'Australia', regionPrefixes: ['ap-southeast-'] }],
  ['global', { name: 'global', regionPrefixes: [''] }],
]);

const FOUNDATION_MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9][A-Za-z0-9._:-]{0,200}$/;
const APPLICATION_PROFILE_ID = /^[a-z0-9]{1,64}$/;
const ACCOUNT_ID = /^[0-9]{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/(?:[!-.0-~]+\/)*$/;

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

/** A condition value: a single string as such, several as a list (as IAM shows them). */
function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

function isArn(value: string): boolean {
  return value.startsWith('arn:');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** The stack's partition: a literal whenever the region is known, a token otherwise. */
function partitionOf(stack: Stack): string {
  if (!Token.isUnresolved(stack.partition)) return stack.partition;
  if (!Token.isUnresolved(stack.region)) {
    const partition = RegionInfo.get(stack.region).partition;
    if (partition) return partition;
  }
  return stack.partition;
}

function checkAccounts(accounts: string[]): string[] {
  accounts.forEach((account, i) => {
    if (Token.isUnresolved(account)) return;
    if (!ACCOUNT_ID.test(account)) {
      throw new Error(`trustedAccounts[${i}] '${account}' is not a 12-digit AWS account id: give the workload account id with all 12 digits (leading zeros included), e.g. '011122223333'.`);
    }
  });
  return [...new Set(accounts)];
}

function checkOrganizationId(organizationId: string | undefined): string | undefined {
  if (organizationId === undefined || Token.isUnresolved(organizationId)) return organizationId;
  if (!ORGANIZATION_ID.test(organizationId)) {
    throw new Error(`trustedOrganizationId '${organizationId}' is not an AWS Organizations id: it is 'o-' followed by 10 to 32 lowercase letters or digits (e.g. 'o-a1b2c3d4e5'); the organization's root id ('r-…') and account ids do not work here.`);
  }
  return organizationId;
}

function checkPrincipalPatterns(patterns: string[], trustedAccounts: string[], hubPartition: string): string[] {
  const example = 'arn:aws:iam::111122223333:role/MyWorkloadStack-*';
  patterns.forEach((pattern, i) => {
    const label = `trustedPrincipalArnPatterns[${i}]`;
    if (Token.isUnresolved(pattern)) return;
    const ws = pattern.search(/\s/);
    if (ws >= 0) {
      throw new Error(`${label} contains whitespace (at character ${ws + 1}); an ARN pattern has none. Give the role ARN pattern alone, e.g. '${example}'.`);
    }
    const parts = pattern.split(':');
    if (parts.length < 6 || parts[0] !== 'arn') {
      throw new Error(`${label} '${pattern}' is not an ARN pattern: give a role ARN pattern such as '${example}'.`);
    }
    const [, partition, service, region, account] = parts;
    const resource = parts.slice(5).join(':');
    if (!(PARTITIONS as readonly string[]).includes(partition)) {
      throw new Error(`${label} '${pattern}' has the unknown partition '${partition}': use one of ${PARTITIONS.join(', ')}.`);
    }
    if (!Token.isUnresolved(hubPartition) && partition !== hubPartition) {
      throw new Error(`${label} '${pattern}' can never match: it is in the partition '${partition}', but the hub role is in '${hubPartition}', and roles cannot be assumed across partitions. Use arn:${hubPartition}:iam::….`);
    }
    if (service === 'sts' && resource.startsWith('assumed-role/')) {
      throw new Error(`${label} '${pattern}' is an assumed-role session ARN; aws:PrincipalArn of a role session is the role's own ARN. Use arn:${partition}:iam::${account}:role/${resource.split('/')[1] ?? 'RoleName'}.`);
    }
    if (service !== 'iam') {
      throw new Error(`${label} '${pattern}' is not an IAM role ARN pattern (its service is '${service}'): give a role ARN pattern such as '${example}'.`);
    }
    if (region !== '') {
      throw new Error(`${label} '${pattern}' names a region ('${region}'); IAM ARNs have none: '${example}'.`);
    }
    if (account !== '*' && !ACCOUNT_ID.test(account)) {
      throw new Error(`${label} '${pattern}' has the account '${account}', which is neither 12 digits nor '*': give the workload account id, e.g. '${example}'.`);
    }
    if (!resource.startsWith('role/')) {
      throw new Error(`${label} '${pattern}' is not a role ARN pattern (the resource must start with 'role/'; users, groups and account roots cannot run functions): e.g. '${example}'.`);
    }
    const rolePart = resource.slice('role/'.length);
    if (rolePart === '' || !/^[!-~]+$/.test(rolePart) || rolePart.endsWith('/')) {
      throw new Error(`${label} '${pattern}' has no usable role name after 'role/': give a name or a prefix with '*', e.g. '${example}'.`);
    }
    if (account !== '*' && trustedAccounts.length > 0 && !trustedAccounts.some((trusted) => Token.isUnresolved(trusted)) && !trustedAccounts.includes(account)) {
      throw new Error(`${label} '${pattern}' can never match: its account ${account} is not in trustedAccounts (${trustedAccounts.join(', ')}). Add ${account} to trustedAccounts, or fix the account in the pattern.`);
    }
  });
  return [...new Set(patterns)];
}

function checkTagKeys(prop: string, keys: string[] | undefined): string[] | undefined {
  if (keys === undefined) return undefined;
  const seen = new Map<string, number>();
  keys.forEach((key, i) => {
    if (Token.isUnresolved(key)) {
      throw new Error(`${prop}[${i}] is a token; the workload side is checked against these keys at synth time, so give them literally (e.g. 'team').`);
    }
    const problem = describeTagKeyProblem(key);
    if (problem) throw new Error(`${prop}[${i}]: ${problem} Use a key such as 'team' or 'lambda-function'.`);
    const earlier = seen.get(key.toLowerCase());
    if (earlier !== undefined) {
      throw new Error(`${prop}[${i}] '${key}' repeats ${prop}[${earlier}] '${keys[earlier]}'; STS treats tag keys case-insensitively. List each key once.`);
    }
    seen.set(key.toLowerCase(), i);
  });
  return [...keys];
}

function checkSessionTagOptions(props: BedrockHubRoleProps): { allowed: boolean; allowedKeys?: string[]; requiredKeys: string[] } {
  const allowedKeys = checkTagKeys('allowedSessionTagKeys', props.allowedSessionTagKeys);
  const requiredKeys = checkTagKeys('requiredSessionTagKeys', props.requiredSessionTagKeys) ?? [];
  if (props.allowSessionTags === false && (allowedKeys !== undefined || requiredKeys.length > 0)) {
    throw new Error(`allowSessionTags is false, but ${allowedKeys !== undefined ? 'allowedSessionTagKeys' : 'requiredSessionTagKeys'} is given. Remove allowSessionTags (the keys imply it), or remove the keys to build a role that refuses session tags.`);
  }
  if (allowedKeys !== undefined) {
    if (allowedKeys.length === 0) {
      throw new Error('allowedSessionTagKeys is empty, which would allow session tags but no key. List the keys callers may pass (e.g. [\'team\', \'lambda-function\']), or leave it out to allow any key.');
    }
    if (allowedKeys.length > SESSION_TAG_LIMITS.maxTags) {
      throw new Error(`allowedSessionTagKeys has ${allowedKeys.length} keys; a session carries at most ${SESSION_TAG_LIMITS.maxTags} tags. List only the keys callers pass.`);
    }
    const notAllowed = requiredKeys.filter((key) => !allowedKeys.includes(key));
    if (notAllowed.length) {
      throw new Error(`requiredSessionTagKeys ${notAllowed.map((k) => `'${k}'`).join(', ')} ${notAllowed.length === 1 ? 'is' : 'are'} not in allowedSessionTagKeys, so no session could satisfy both. Add ${notAllowed.length === 1 ? 'it' : 'them'} to allowedSessionTagKeys (keys compare case-sensitively).`);
    }
  }
  return { allowed: props.allowSessionTags ?? (allowedKeys !== undefined || requiredKeys.length > 0), allowedKeys, requiredKeys };
}

function checkSourceIdentityOptions(props: BedrockHubRoleProps): { allowed: boolean; pattern?: string } {
  const pattern = props.sourceIdentityPattern;
  if (pattern !== undefined) {
    if (props.allowSourceIdentity === false) {
      throw new Error('allowSourceIdentity is false, but sourceIdentityPattern is given. Remove allowSourceIdentity (the pattern implies it), or remove sourceIdentityPattern to build a role that refuses source identities.');
    }
    if (Token.isUnresolved(pattern)) {
      throw new Error('sourceIdentityPattern is a token; the workload side is checked against it at synth time, so give it literally (e.g. \'orders-*\').');
    }
    if (pattern.length < 1 || pattern.length > 64 || !/^[\w+=,.@*?-]+$/.test(pattern)) {
      throw new Error(`sourceIdentityPattern '${pattern}' is not a source identity pattern: 1 to 64 characters of letters, digits, + = , . @ _ - and the wildcards * and ?, e.g. 'orders-*' (or '*' to require any source identity).`);
    }
    if (/^aws:/i.test(pattern)) {
      throw new Error(`sourceIdentityPattern '${pattern}' starts with 'aws:', which STS reserves: no source identity can match it.`);
    }
  }
  return { allowed: props.allowSourceIdentity ?? pattern !== undefined, pattern };
}

function checkMaxSessionDuration(scope: IConstruct, duration: Duration): void {
  const seconds = duration.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds)) return;
  if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 43200) {
    throw new Error(`maxSessionDuration is ${duration.toHumanString()}; IAM allows a whole number of seconds from 1 hour to 12 hours. Use Duration.hours(1) (the default: a Lambda function cannot use more).`);
  }
  if (seconds > 3600) {
    Annotations.of(scope).addWarningV2('bedrock-hub-access:sessionLongerThanRoleChainingCap',
      `maxSessionDuration is ${duration.toHumanString()}, but a Lambda function assumes this role from its own role session (role chaining), which STS caps at 1 hour whatever the role allows. ` +
      'More only helps callers that are not role sessions; leave it at the default Duration.hours(1) otherwise.');
  }
}

function checkRoleName(roleName: string): void {
  if (Token.isUnresolved(roleName)) {
    throw new Error('roleName is a token; the role must have a fixed name so that workload stacks can name it before it exists. Give a literal name, e.g. \'BedrockHubRole\'.');
  }
  if (!ROLE_NAME.test(roleName)) {
    const problem = roleName.length === 0 || roleName.length > 64
      ? `has ${roleName.length} characters; IAM allows 1 to 64`
      : `contains ${describeBadCharacter(roleName, /[\w+=,.@-]/)}; IAM allows letters, digits and + = , . @ _ -`;
    throw new Error(`roleName '${roleName}' ${problem}. Choose another name, e.g. 'BedrockHubRole'.`);
  }
}

function checkRolePath(rolePath: string): void {
  if (Token.isUnresolved(rolePath)) {
    throw new Error('path is a token; the role ARN is formed from it at synth time, so give a literal path, e.g. \'/bedrock/\'.');
  }
  if (rolePath.length > 512 || !ROLE_PATH.test(rolePath)) {
    throw new Error(`path '${rolePath}' is not an IAM role path: it must be '/' or start and end with '/', with non-empty segments of printable ASCII and no spaces (at most 512 characters), e.g. '/bedrock/'.`);
  }
}

function describeBadCharacter(value: string, allowed: RegExp): string {
  const bad = [...value].find((c) => !allowed.test(c)) ?? '';
  return /\s/.test(bad) ? 'whitespace' : `the character '${bad}'`;
}

/** Role names claimed per app and account: two hub roles with one name in one account cannot both deploy. */
const CLAIMED_ROLE_NAMES = new WeakMap<IConstruct, Map<string, string>>();

function claimRoleName(scope: IConstruct, roleName: string, account: string): void {
  let claimed = CLAIMED_ROLE_NAMES.get(scope.node.root);
  if (!claimed) {
    claimed = new Map();
    CLAIMED_ROLE_NAMES.set(scope.node.root, claimed);
  }
  // With an unknown account, only roles of the same stack are known to share one.
  const accountKey = Token.isUnresolved(account) ? `stack:${Stack.of(scope).node.path}` : account;
  const key = `${accountKey}/${roleName.toLowerCase()}`;
  const other = claimed.get(key);
  if (other !== undefined) {
    throw new Error(`roleName '${roleName}' is already used by the BedrockHubRole at '${other}' in the same account; IAM role names are unique per account (case-insensitive). Give this one another roleName, e.g. '${roleName}2'.`);
  }
  claimed.set(key, scope.node.path);
}

function checkRegion(label: string, region: string): void {
  if (Token.isUnresolved(region)) return;
  if (!REGION.test(region)) {
    throw new Error(`${label}: '${region}' is not an AWS region code (e.g. 'us-east-1', 'eu-central-1').`);
  }
}

function checkRegionList(where: string, prop: string, regions: string[] | undefined): void {
  (regions ?? []).forEach((region, i) => checkRegion(`${where}: ${prop}[${i}]`, region));
}

function checkRegionPartition(label: string, region: string, hubPartition: string): void {
  if (Token.isUnresolved(region) || Token.isUnresolved(hubPartition)) return;
  const partition = RegionInfo.get(region).partition;
  if (partition !== undefined && partition !== hubPartition) {
    throw new Error(`${label}: the region '${region}' is in the partition '${partition}', but the hub role is in '${hubPartition}'; a role cannot be used across partitions. Use a region of '${hubPartition}'.`);
  }
}

function checkFoundationModelId(where: string, prop: string, modelId: string): void {
  if (Token.isUnresolved(modelId)) {
    throw new Error(`${where}: ${prop} is a token; give the foundation model id literally, e.g. 'anthropic.claude-3-5-sonnet-20240620-v1:0'.`);
  }
  if (isArn(modelId)) {
    throw new Error(`${where}: ${prop} is an ARN; pass the model id (the part after 'foundation-model/', e.g. 'anthropic.claude-3-5-sonnet-20240620-v1:0') and, if needed, regions.`);
  }
  if (!FOUNDATION_MODEL_ID.test(modelId)) {
    throw new Error(`${where}: ${prop} is not a foundation model id, which is '<provider>.<model>', e.g. 'anthropic.claude-3-5-sonnet-20240620-v1:0'.`);
  }
  const prefix = modelId.slice(0, modelId.indexOf('.'));
  if (GEOGRAPHIES.has(prefix)) {
    throw new Error(`${where}: ${prop} is a cross-region inference profile id ('${prefix}.' is a geography, not a model provider); use BedrockModel.crossRegionProfile('${modelId}', { destinationRegions: [...] }).`);
  }
}
