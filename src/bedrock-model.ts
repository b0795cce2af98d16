import { Token } from 'aws-cdk-lib';
import { GEOGRAPHIES, isFoundationModelId, parseInferenceProfileId, APPLICATION_INFERENCE_PROFILE_ID_PATTERN, FOUNDATION_MODEL_ID_PATTERN, geographyPrefixOf } from './contract';
import {
  AllFoundationModelsGrants,
  ApplicationProfileGrants,
  CrossRegionProfileGrants,
  FoundationModelGrants,
  ModelGrants,
} from './private/model-kinds';
import { checkRegionList } from './private/partition';

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
 * Regions default to the hub role's `regions`; ARNs are always in the hub account. Ids follow the
 * shapes of the shared contract (`src/contract/bedrock-resources.ts`), which the runtime shim checks too.
 */
export class BedrockModel {
  /**
   * One foundation model, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`.
   *
   * @param modelId the foundation model id (not its ARN, not an inference profile id)
   */
  public static foundationModel(modelId: string, options: FoundationModelOptions = {}): BedrockModel {
    const where = `BedrockModel.foundationModel('${modelId}')`;
    if (Token.isUnresolved(modelId)) {
      throw new Error(`${where}: modelId is a token; give the foundation model id literally, e.g. 'anthropic.claude-3-5-sonnet-20240620-v1:0'.`);
    }
    if (modelId.startsWith('arn:')) {
      throw new Error(`${where}: modelId is an ARN; pass the model id (the part after 'foundation-model/', e.g. 'anthropic.claude-3-5-sonnet-20240620-v1:0') and, if needed, regions.`);
    }
    if (!FOUNDATION_MODEL_ID_PATTERN.test(modelId)) {
      throw new Error(`${where}: modelId is not a foundation model id, which is '<provider>.<model>', e.g. 'anthropic.claude-3-5-sonnet-20240620-v1:0'.`);
    }
    const geography = geographyPrefixOf(modelId);
    if (geography !== undefined) {
      throw new Error(`${where}: modelId is a cross-region inference profile id ('${geography}.' is a geography, not a model provider); use BedrockModel.crossRegionProfile('${modelId}', { destinationRegions: [...] }).`);
    }
    checkRegionList(where, 'regions', options.regions);
    return new BedrockModel(BedrockModelKind.FOUNDATION_MODEL, modelId, new FoundationModelGrants(modelId, options.regions));
  }

  /**
   * Every foundation model in the given regions: `arn:…:bedrock:<region>::foundation-model/*`.
   *
   * A wildcard, and so the only way to get one: the role's policy carries a `cdk_nag` suppression
   * of AwsSolutions-IAM5 for exactly this resource, with the reason.
   */
  public static allFoundationModels(options: FoundationModelOptions = {}): BedrockModel {
    checkRegionList('BedrockModel.allFoundationModels()', 'regions', options.regions);
    return new BedrockModel(BedrockModelKind.ALL_FOUNDATION_MODELS, '*', new AllFoundationModelsGrants(options.regions));
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
    const parts = parseInferenceProfileId(profileId);
    if (parts === undefined && isFoundationModelId(profileId)) {
      // '<provider>.<model>': a foundation model id passed here by mistake.
      const provider = profileId.slice(0, profileId.indexOf('.'));
      throw new Error(`${where}: profileId looks like a foundation model id ('${provider}' is not a geography); use BedrockModel.foundationModel('${profileId}'), or prefix the geography of the profile (${[...GEOGRAPHIES.keys()].map((g) => `'${g}.'`).join(', ')}).`);
    }
    if (parts === undefined) {
      throw new Error(`${where}: profileId is not an inference profile id. A cross-region profile id is '<geography>.<foundation model id>', e.g. 'us.anthropic.claude-3-5-sonnet-20240620-v1:0' or 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'.`);
    }
    checkRegionList(where, 'sourceRegions', options.sourceRegions);
    checkRegionList(where, 'destinationRegions', options.destinationRegions);
    const allDestinationRegions = options.allDestinationRegions ?? false;
    if (allDestinationRegions && options.destinationRegions?.length) {
      throw new Error(`${where}: destinationRegions and allDestinationRegions are both set; give the regions, or allow them all, not both.`);
    }
    if (parts.geography !== 'global' && !allDestinationRegions && !options.destinationRegions?.length) {
      throw new Error(`${where}: destinationRegions is required for a geographic profile. Bedrock authorizes the foundation model in the region that serves each request, so list every region the profile routes to (the model's page in the Amazon Bedrock user guide lists them), e.g. { destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }; or set allDestinationRegions: true to allow the model in any region, only through this profile.`);
    }
    return new BedrockModel(BedrockModelKind.CROSS_REGION_INFERENCE_PROFILE, profileId, new CrossRegionProfileGrants(
      profileId, parts.geography, parts.foundationModelId, options.sourceRegions, options.destinationRegions, allDestinationRegions));
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
    if (!Token.isUnresolved(profileIdOrArn) && !profileIdOrArn.startsWith('arn:') && !APPLICATION_INFERENCE_PROFILE_ID_PATTERN.test(profileIdOrArn)) {
      throw new Error(`${where}: '${profileIdOrArn}' is neither an application inference profile id (lowercase letters and digits, e.g. 'a1b2c3d4e5f6') nor its ARN (arn:aws:bedrock:<region>:<hub account>:application-inference-profile/<id>).${FOUNDATION_MODEL_ID_PATTERN.test(profileIdOrArn) ? ' For a cross-region profile use BedrockModel.crossRegionProfile(); for a foundation model, BedrockModel.foundationModel().' : ''}`);
    }
    checkRegionList(where, 'regions', options.regions);
    const routesTo = options.routesTo;
    if (routesTo && routesTo.kind !== BedrockModelKind.FOUNDATION_MODEL && routesTo.kind !== BedrockModelKind.CROSS_REGION_INFERENCE_PROFILE) {
      throw new Error(`${where}: routesTo must be a BedrockModel.foundationModel() or BedrockModel.crossRegionProfile(), the model the application inference profile was created from.`);
    }
    return new BedrockModel(BedrockModelKind.APPLICATION_INFERENCE_PROFILE, profileIdOrArn,
      new ApplicationProfileGrants(profileIdOrArn, options.regions, routesTo?._grants));
  }

  /** What this model is. */
  public readonly kind: BedrockModelKind;

  /** The foundation model id, inference profile id, or application inference profile id or ARN; `*` for all foundation models. */
  public readonly identifier: string;

  /**
   * How this kind of model is granted on a hub role.
   *
   * @internal
   */
  public readonly _grants: ModelGrants;

  private constructor(kind: BedrockModelKind, identifier: string, grants: ModelGrants) {
    this.kind = kind;
    this.identifier = identifier;
    this._grants = grants;
  }
}
