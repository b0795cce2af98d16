// What a BedrockHubRole may do: its one inline policy, statement by statement, the wildcards the
// user asked for (with their cdk-nag reasons), and the hub-account resources it names. Not part
// of the jsii surface.
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import {
  APPLICATION_INFERENCE_PROFILE_ID_PATTERN,
  BEDROCK_RESOURCE_TYPES,
  GUARDRAIL_ID_PATTERN,
  GUARDRAIL_PROFILE_ID_PATTERN,
  KNOWLEDGE_BASE_ID_PATTERN,
  parseBedrockArn,
} from '../contract';
import { checkRegion, checkRegionList, partitionMismatch } from './partition';

/** Model invocation; these also authorize Converse and ConverseStream. */
export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;

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
export const SEG = '(?:<[^>]+>|[^:<>]*)';

/** A wildcard resource the user asked for, and the cdk-nag suppression that explains it. */
export interface Wildcard {
  readonly kind: string;
  /** Matches the cdk-nag finding id (`Resource::<resource, with tokens as <Ref>>`). */
  readonly regex: string;
  readonly reason: string;
}

/** A resource type that must live in the hub account, and how messages name it. */
export interface HubResourceType {
  readonly name: string;
  readonly plural: string;
  readonly article: string;
  /** The ARN's resource type (a key of the contract's `BEDROCK_RESOURCE_TYPES`). */
  readonly resource: string;
  /** The id when given without ARN (the contract's rule). */
  readonly id: RegExp;
  readonly idExample: string;
  readonly arnExample: string;
}

export const HUB_RESOURCES = {
  guardrail: {
    name: 'guardrail',
    plural: 'Guardrails',
    article: 'a',
    resource: 'guardrail',
    id: GUARDRAIL_ID_PATTERN,
    idExample: 'e.g. \'abc123def456\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456',
  },
  agentAlias: {
    name: 'agent alias',
    plural: 'Agent aliases',
    article: 'an',
    resource: 'agent-alias',
    id: BEDROCK_RESOURCE_TYPES['agent-alias'].id,
    idExample: '\'<agent id>/<alias id>\', e.g. \'AGENT12345/ALIAS12345\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345',
  },
  knowledgeBase: {
    name: 'knowledge base',
    plural: 'Knowledge bases',
    article: 'a',
    resource: 'knowledge-base',
    id: KNOWLEDGE_BASE_ID_PATTERN,
    idExample: 'e.g. \'KB12345678\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB12345678',
  },
  applicationInferenceProfile: {
    name: 'application inference profile',
    plural: 'Application inference profiles',
    article: 'an',
    resource: 'application-inference-profile',
    id: APPLICATION_INFERENCE_PROFILE_ID_PATTERN,
    idExample: 'e.g. \'a1b2c3d4e5f6\'',
    arnExample: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6',
  },
} satisfies Record<string, HubResourceType>;

/** A condition value: a single string as such, several as a list (as IAM shows them). */
export function oneOrMany(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

/** The permissions policy of one hub role, built statement by statement. */
export class HubPermissions {
  /** The policy document, given to the role as its inline policy. */
  public readonly document = new iam.PolicyDocument();
  private readonly statements = new Map<string, iam.PolicyStatement>();
  private readonly inferenceProfileArns: string[] = [];
  private readonly wildcardReasons = new Map<string, string>();
  private role?: iam.Role;
  private openAiCompatible = false;
  private modelSubscription = false;

  /**
   * @param scope the hub role construct, which warnings are added to
   * @param partition the hub's partition (may be a token)
   * @param account the hub account (may be a token)
   * @param regions the hub role's regions
   */
  constructor(
    public readonly scope: IConstruct,
    public readonly partition: string,
    public readonly account: string,
    public readonly regions: string[],
  ) {}

  /** The role that holds {@link document}; cdk-nag suppressions go to it. */
  public bind(role: iam.Role): void {
    this.role = role;
  }

  /** Whether nothing is granted yet. */
  public get isEmpty(): boolean {
    return this.statements.size === 0;
  }

  /** `arn:…:bedrock:<region>::foundation-model/<id>`. */
  public foundationModelArn(region: string, modelId: string): string {
    return `arn:${this.partition}:bedrock:${region}::foundation-model/${modelId}`;
  }

  /** `bedrock:InvokeModel*` and `bedrock:GetInferenceProfile` on inference profiles. */
  public allowProfiles(profiles: string[]): void {
    this.allow('InvokeInferenceProfiles', [...INVOKE_ACTIONS], profiles);
    this.allow('GetInferenceProfiles', ['bedrock:GetInferenceProfile'], profiles);
  }

  /** `bedrock:InvokeModel*` on foundation models, only when called through one of `profiles`. */
  public allowThroughProfiles(arns: string[], profiles: string[], wildcard?: Wildcard): void {
    const statement = this.allow('InvokeFoundationModelsThroughInferenceProfiles', [...INVOKE_ACTIONS], arns, wildcard);
    for (const profile of profiles) {
      if (!this.inferenceProfileArns.includes(profile)) this.inferenceProfileArns.push(profile);
    }
    statement.addCondition('StringEquals', { 'bedrock:InferenceProfileArn': oneOrMany(this.inferenceProfileArns) });
  }

  /** Adds resources to the statement `sid` (created on first use), and records a wildcard's reason. */
  public allow(sid: string, actions: string[], resources: string[], wildcard?: Wildcard): iam.PolicyStatement {
    let statement = this.statements.get(sid);
    if (!statement) {
      statement = new iam.PolicyStatement({ sid, actions });
      this.statements.set(sid, statement);
      this.document.addStatements(statement);
    }
    const existing = new Set(statement.resources);
    const added = resources.filter((resource) => !existing.has(resource));
    if (added.length) statement.addResources(...[...new Set(added)]);
    if (wildcard && !this.wildcardReasons.has(wildcard.kind)) {
      this.wildcardReasons.set(wildcard.kind, JSON.stringify({ id: 'AwsSolutions-IAM5', reason: wildcard.reason, applies_to: [{ regex: `/${wildcard.regex}/` }] }));
      // Shipped as raw metadata so that cdk-nag stays a development dependency.
      (this.role!.node.defaultChild as iam.CfnRole).addMetadata('cdk_nag', {
        rules_to_suppress: [...this.wildcardReasons.values()].map((rule) => JSON.parse(rule)),
      });
    }
    return statement;
  }

  /** `bedrock:ApplyGuardrail` on a guardrail of the hub account, by id or ARN. */
  public grantGuardrail(label: string, guardrail: string): void {
    this.allow('ApplyGuardrails', ['bedrock:ApplyGuardrail'], this.hubResourceArns(label, guardrail, HUB_RESOURCES.guardrail, this.regions));
  }

  /**
   * `bedrock:ApplyGuardrail` on a guardrail used with cross-Region inference: the guardrail, and the
   * system-defined guardrail profile in the source regions (the role's) and in every destination
   * region, each ARN in the hub account. Source: Amazon Bedrock user guide, "Permissions for using
   * cross-Region inference with Amazon Bedrock Guardrails"
   * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrail-profiles-permissions.html).
   */
  public grantCrossRegionGuardrail(label: string, guardrail: string, profileId: string, destinationRegions: string[]): void {
    if (!Token.isUnresolved(profileId) && !GUARDRAIL_PROFILE_ID_PATTERN.test(profileId)) {
      throw new Error(`${label}.guardrailProfileId '${profileId}' is not a guardrail profile id: it looks like 'us.guardrail.v1:0' (<geography>.guardrail.v<version>:<revision>), as the guardrail's crossRegionConfig names it.`);
    }
    checkRegionList(label, 'destinationRegions', destinationRegions);
    if (destinationRegions.length === 0) {
      throw new Error(`${label}.destinationRegions is empty: list the regions the guardrail profile ${profileId} routes to (the Amazon Bedrock user guide lists them per profile), e.g. ['us-east-1', 'us-east-2', 'us-west-2'].`);
    }
    this.grantGuardrail(`${label}.guardrail`, guardrail);
    const regions = [...new Set([...this.regions, ...destinationRegions])];
    this.allow('ApplyGuardrails', ['bedrock:ApplyGuardrail'],
      regions.map((region) => `arn:${this.partition}:bedrock:${region}:${this.account}:guardrail-profile/${profileId}`));
  }

  /**
   * `aws-marketplace:ViewSubscriptions` and `aws-marketplace:Subscribe`, only when Bedrock makes
   * the call (`aws:CalledViaLast` = `bedrock.amazonaws.com`): what the first call to a model in an
   * account needs to start its AWS Marketplace subscription. Source: Amazon Bedrock user guide,
   * "Access Amazon Bedrock foundation models" (https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html).
   */
  public grantModelSubscription(): void {
    if (this.modelSubscription) return;
    this.modelSubscription = true;
    const statement = this.allow('SubscribeToModelsThroughBedrock', ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'], ['*'], {
      kind: 'modelSubscription',
      regex: '^Resource::\\*$',
      reason: 'allowModelSubscription was enabled explicitly. The AWS Marketplace subscription actions have no resource-level permissions; they are allowed only when Bedrock makes the call (aws:CalledViaLast = bedrock.amazonaws.com), which it does on the first call to a model that needs a subscription.',
    });
    statement.addCondition('StringEquals', { 'aws:CalledViaLast': 'bedrock.amazonaws.com' });
  }

  /** `bedrock:InvokeAgent` on an agent alias of the hub account, as `<agent id>/<alias id>` or ARN. */
  public grantAgentAlias(label: string, alias: string): void {
    this.allow('InvokeAgentAliases', ['bedrock:InvokeAgent'], this.hubResourceArns(label, alias, HUB_RESOURCES.agentAlias, this.regions));
  }

  /** `bedrock:Retrieve` on a knowledge base of the hub account, and `bedrock:RetrieveAndGenerate` (which has no resource). */
  public grantKnowledgeBase(label: string, knowledgeBase: string): void {
    this.allow('RetrieveFromKnowledgeBases', ['bedrock:Retrieve'], this.hubResourceArns(label, knowledgeBase, HUB_RESOURCES.knowledgeBase, this.regions));
    this.allow('RetrieveAndGenerate', ['bedrock:RetrieveAndGenerate'], ['*'], {
      kind: 'retrieveAndGenerate',
      regex: '^Resource::\\*$',
      reason: 'bedrock:RetrieveAndGenerate supports no resource-level permissions (its resource must be *). It only orchestrates: the knowledge bases are reachable solely through bedrock:Retrieve on the listed knowledge-base ARNs, and generation solely through the listed models.',
    });
  }

  /** The `bedrock-mantle` actions on the hub account's projects in the role's regions. */
  public grantOpenAiCompatibleInference(): void {
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
   * The ARNs of a hub-account Bedrock resource given by id (one per region) or by ARN (checked to
   * be of the right type, in the hub's partition and account). A token is taken as an ARN.
   */
  public hubResourceArns(label: string, value: string, type: HubResourceType, regions: string[]): string[] {
    if (Token.isUnresolved(value)) return [value];
    if (/\s/.test(value)) {
      throw new Error(`${label} contains whitespace (at character ${value.search(/\s/) + 1}); give ${type.article} ${type.name} id (${type.idExample}) or its ARN (${type.arnExample}) alone.`);
    }
    if (!value.startsWith('arn:')) {
      if (!type.id.test(value)) {
        throw new Error(`${label} '${value}' is neither ${type.article} ${type.name} id (${type.idExample}) nor its ARN (${type.arnExample}).`);
      }
      return regions.map((region) => `arn:${this.partition}:bedrock:${region}:${this.account}:${type.resource}/${value}`);
    }
    const arn = parseBedrockArn(value);
    if (!arn || arn.service !== 'bedrock' || arn.resourceType !== type.resource) {
      throw new Error(`${label} '${value}' is not ${type.article} ${type.name} ARN: it should look like ${type.arnExample}.`);
    }
    const mismatch = partitionMismatch(arn.partition, this.partition, 'the hub role is in');
    if (mismatch) {
      throw new Error(`${label} '${value}' ${mismatch}: use the ${type.name} of the hub account.`);
    }
    checkRegion(label, arn.region);
    if (!Token.isUnresolved(this.account) && arn.account !== this.account) {
      throw new Error(`${label} '${value}' is in account ${arn.account}, not in the hub account ${this.account}. ${type.plural} are account-scoped: callers act as the hub role, which cannot use another account's ${type.name}. Create the ${type.name} in the hub account and pass its id or ARN.`);
    }
    return [value];
  }
}
