/**
 * Amazon Bedrock ids and ARNs, per resource type: foundation model, (system) inference profile,
 * application inference profile, guardrail, guardrail profile, agent, agent alias, knowledge base,
 * prompt and flow. The constructs check them at synth where props take them, the runtime shim
 * before a request leaves the process.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html#amazonbedrock-resources-for-iam-policies
 */
import { ACCOUNT_ID_PATTERN, PARTITIONS, isPartition } from './account';
import { describeStrayCharacter, showValue } from './values';

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

/**
 * An agent id: 10 letters (either case) and digits.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GetAgent.html (`agentId`: `^[0-9a-zA-Z]{10}$`)
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_InvokeAgent.html
 */
export const AGENT_ID_PATTERN = /^[0-9a-zA-Z]{10}$/;

/**
 * An agent alias id: 10 letters (either case) and digits; the draft alias is `TSTALIASID`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GetAgentAlias.html (`agentAliasId`: `^(\bTSTALIASID\b|[0-9a-zA-Z]+)$`, length 10)
 */
export const AGENT_ALIAS_ID_PATTERN = /^[0-9a-zA-Z]{10}$/;

/**
 * A knowledge base id: 10 letters (either case) and digits.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GetKnowledgeBase.html (`knowledgeBaseId`: `^[0-9a-zA-Z]{10}$`)
 */
export const KNOWLEDGE_BASE_ID_PATTERN = /^[0-9a-zA-Z]{10}$/;

/**
 * A guardrail id: lower-case letters and digits.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailConfiguration.html (`guardrailIdentifier`: `[a-z0-9]+` or its ARN, up to 2048)
 */
export const GUARDRAIL_ID_PATTERN = /^[a-z0-9]{1,2048}$/;

/**
 * A guardrail version: a number from 1, or `DRAFT`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailConfiguration.html (`guardrailVersion`: `^(([1-9][0-9]{0,7})|(DRAFT))$`)
 */
export const GUARDRAIL_VERSION_PATTERN = /^([1-9][0-9]{0,7}|DRAFT)$/;

/**
 * A guardrail profile id (cross-region guardrails): `<geography>.guardrail.v<major>:<minor>`, e.g. `us.guardrail.v1:0`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-cross-region.html
 */
export const GUARDRAIL_PROFILE_ID_PATTERN = /^[a-z]+(-[a-z]+)*\.guardrail\.v[0-9]+:[0-9]+$/;

/**
 * A model or inference profile id as a request's `modelId` takes it when it is not an ARN
 * (`anthropic.claude-3-haiku-20240307-v1:0`, `us.amazon.nova-lite-v1:0`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html (`modelId`, 1–2048)
 */
export const MODEL_ID_PATTERN = /^[\w.:/-]{1,2048}$/;

/**
 * A foundation model id: `<provider>.<model>`, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html
 */
export const FOUNDATION_MODEL_ID_PATTERN = /^[a-z0-9-]+\.[A-Za-z0-9][A-Za-z0-9._:-]{0,200}$/;

/**
 * An inference profile id, system-defined (`us.anthropic.…`) or an application profile's.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetInferenceProfile.html (`inferenceProfileIdentifier`: `[a-zA-Z0-9-:.]+` or its ARN)
 */
export const INFERENCE_PROFILE_ID_PATTERN = /^[a-zA-Z0-9-:.]{1,2048}$/;

/**
 * An application inference profile id, as Bedrock generates it: lower-case letters and digits
 * (e.g. `a1b2c3d4e5f6`). Stricter than the API's `inferenceProfileIdentifier` (which also takes
 * system profile ids): `BedrockModel.applicationInferenceProfile()` uses it to tell the two apart.
 * In ARNs, the API's pattern applies.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateInferenceProfile.html
 */
export const APPLICATION_INFERENCE_PROFILE_ID_PATTERN = /^[a-z0-9]{1,64}$/;

/**
 * A prompt id with an optional version (`PROMPT1234`, `PROMPT1234:3`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GetPrompt.html (`promptIdentifier`)
 */
export const PROMPT_ID_PATTERN = /^[0-9a-zA-Z]{10}(:[0-9]{1,5})?$/;

/**
 * A flow id, or a flow alias as `<flow id>/alias/<alias id>`.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_GetFlow.html (`flowIdentifier`)
 */
export const FLOW_ID_PATTERN = /^[0-9a-zA-Z]{10}(\/alias\/[0-9a-zA-Z]{10})?$/;

// ---------------------------------------------------------------------------
// Geographies of cross-region (system-defined) inference profiles
// ---------------------------------------------------------------------------

/** A geography of cross-region inference profiles: its name and the regions it routes within. */
export interface Geography {
  readonly name: string;
  /**
   * The destination regions of the geography's profiles, as region codes or their prefixes (a region
   * is in the geography when its code starts with one); `''` for global.
   */
  readonly regionPrefixes: readonly string[];
}

/**
 * The geography prefixes of system-defined inference profile ids, and the regions each routes
 * within (its destination regions; the exact list is per model). APAC profiles also route to
 * Middle East (UAE), `me-central-1`; Japan's and Australia's route within two regions each.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
export const GEOGRAPHIES: ReadonlyMap<string, Geography> = new Map<string, Geography>([
  ['us', { name: 'US', regionPrefixes: ['us-east-', 'us-west-'] }],
  ['us-gov', { name: 'AWS GovCloud (US)', regionPrefixes: ['us-gov-'] }],
  ['eu', { name: 'EU', regionPrefixes: ['eu-'] }],
  ['apac', { name: 'APAC', regionPrefixes: ['ap-', 'me-central-1'] }],
  ['jp', { name: 'Japan', regionPrefixes: ['ap-northeast-1', 'ap-northeast-3'] }],
  ['au', { name: 'Australia', regionPrefixes: ['ap-southeast-2', 'ap-southeast-4'] }],
  ['global', { name: 'global', regionPrefixes: [''] }],
]);

/**
 * Whose geographic profiles a caller in a region uses, by region code prefix, the first that
 * matches: the source-region side of {@link GEOGRAPHIES}, which differs from the destination side
 * (Canada (Central) calls through the US profiles but is none of their destinations), and names
 * the general geography (`apac`, not `jp` or `au`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 * @see https://aws.amazon.com/blogs/machine-learning/accelerate-generative-ai-innovation-in-canada-with-amazon-bedrock-cross-region-inference/
 */
export const SOURCE_REGION_GEOGRAPHIES: Readonly<Record<string, string>> = {
  'us-gov-': 'us-gov',
  'us-': 'us',
  'ca-': 'us',
  'eu-': 'eu',
  'ap-': 'apac',
};

/** The geography whose system-defined profiles a caller in `region` uses ({@link SOURCE_REGION_GEOGRAPHIES}), if any. */
export function sourceGeographyOf(region: string): string | undefined {
  const prefix = Object.keys(SOURCE_REGION_GEOGRAPHIES).find((p) => region.startsWith(p));
  return prefix === undefined ? undefined : SOURCE_REGION_GEOGRAPHIES[prefix];
}

/** The geography prefix of a model or profile id (`eu` of `eu.amazon.nova-pro-v1:0`), if it has a known one. */
export function geographyPrefixOf(id: string): string | undefined {
  const dot = id.indexOf('.');
  const prefix = dot > 0 ? id.slice(0, dot) : '';
  return GEOGRAPHIES.has(prefix) ? prefix : undefined;
}

/** A foundation model id that is not a profile id: `<provider>.<model>`, the provider no geography. */
export function isFoundationModelId(id: string): boolean {
  return FOUNDATION_MODEL_ID_PATTERN.test(id) && geographyPrefixOf(id) === undefined;
}

/** The parts of a system-defined inference profile id `<geography>.<foundation model id>`. */
export interface InferenceProfileIdParts {
  /** `us`, `eu`, `global`, …, as written (possibly not a known geography). */
  readonly geography: string;
  readonly foundationModelId: string;
}

/**
 * Splits `<geography>.<foundation model id>`; `undefined` when `id` does not have that shape. The
 * geography is only checked to be a word (`[a-z]+(-[a-z]+)*`): see {@link GEOGRAPHIES} for the known ones.
 */
export function parseInferenceProfileId(id: string): InferenceProfileIdParts | undefined {
  const dot = id.indexOf('.');
  const geography = dot > 0 ? id.slice(0, dot) : '';
  const foundationModelId = id.slice(dot + 1);
  if (!/^[a-z]+(-[a-z]+)*$/.test(geography) || !FOUNDATION_MODEL_ID_PATTERN.test(foundationModelId)) return undefined;
  return { geography, foundationModelId };
}

// ---------------------------------------------------------------------------
// ARNs
// ---------------------------------------------------------------------------

/** The parts of a Bedrock resource ARN (`arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT12345/ALIAS12345`). */
export interface BedrockArnParts {
  readonly partition: string;
  /** `bedrock`, or `sagemaker` for a marketplace endpoint used as a model. */
  readonly service: string;
  readonly region: string;
  /** Empty for resources that belong to no account (`foundation-model/…`). */
  readonly account: string;
  /** `agent-alias`, `knowledge-base`, `guardrail`, `application-inference-profile`, `foundation-model`, … */
  readonly resourceType: string;
  /** What follows the type and its '/': `AGENT12345/ALIAS12345` for an agent alias. */
  readonly resourceId: string;
}

/** How one Bedrock resource type's ARN is shaped. */
export interface BedrockResourceType {
  /** The resource id after `<type>/`. */
  readonly id: RegExp;
  /** The resource part as messages show it. */
  readonly shape: string;
  /** `required`: the ARN names the owning account; `none`: it never does (foundation models). */
  readonly account: 'required' | 'none';
}

/**
 * The Bedrock resource types whose ARNs the contract checks; other types (custom and provisioned
 * models, …) only need a non-empty id.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html#amazonbedrock-resources-for-iam-policies
 */
export const BEDROCK_RESOURCE_TYPES: Readonly<Record<string, BedrockResourceType>> = {
  'foundation-model': { id: FOUNDATION_MODEL_ID_PATTERN, shape: 'foundation-model/<provider>.<model>', account: 'none' },
  'inference-profile': { id: INFERENCE_PROFILE_ID_PATTERN, shape: 'inference-profile/<geography>.<provider>.<model>', account: 'required' },
  'application-inference-profile': { id: INFERENCE_PROFILE_ID_PATTERN, shape: 'application-inference-profile/<id>', account: 'required' },
  'guardrail': { id: GUARDRAIL_ID_PATTERN, shape: 'guardrail/<lower-case letters and digits>', account: 'required' },
  'guardrail-profile': { id: GUARDRAIL_PROFILE_ID_PATTERN, shape: 'guardrail-profile/<geography>.guardrail.v<n>:<n>', account: 'required' },
  'agent': { id: AGENT_ID_PATTERN, shape: 'agent/<10 letters and digits>', account: 'required' },
  'agent-alias': { id: /^[0-9a-zA-Z]{10}\/[0-9a-zA-Z]{10}$/, shape: 'agent-alias/<agent id>/<alias id>, each 10 letters and digits', account: 'required' },
  'knowledge-base': { id: KNOWLEDGE_BASE_ID_PATTERN, shape: 'knowledge-base/<10 letters and digits>', account: 'required' },
  'prompt': { id: PROMPT_ID_PATTERN, shape: 'prompt/<10 letters and digits>[:<version>]', account: 'required' },
  'flow': { id: FLOW_ID_PATTERN, shape: 'flow/<flow id>[/alias/<alias id>]', account: 'required' },
};

/** A Bedrock (or SageMaker) resource ARN: partition, service, region, account (optional), resource type, resource id. */
export const BEDROCK_ARN_PATTERN = new RegExp(`^arn:(${PARTITIONS.join('|')}):(bedrock|sagemaker):([a-z0-9-]*):([0-9]{12})?:([a-z-]+)/(\\S+)$`);

/** Why the parts of a syntactically valid Bedrock ARN do not fit its resource type; `undefined` when they do. */
function describeTypeProblem(value: string, parts: BedrockArnParts): string | undefined {
  if (parts.service !== 'bedrock') return undefined;
  const type = BEDROCK_RESOURCE_TYPES[parts.resourceType];
  if (!type) return undefined;
  const shown = showValue(value);
  if (parts.resourceType === 'foundation-model') {
    const geography = geographyPrefixOf(parts.resourceId);
    if (geography !== undefined) {
      return `${shown} has the inference profile id '${parts.resourceId}' inside a foundation-model ARN, which no model has ('${geography}.' is a geography, not a provider). ` +
        `Pass the profile id '${parts.resourceId}' as it is (or its inference-profile ARN, in your account), or the foundation model id '${parts.resourceId.slice(geography.length + 1)}'.`;
    }
    if (parts.account !== '') {
      return `${shown} names the account ${parts.account}, but foundation-model ARNs have none: arn:${parts.partition}:bedrock:${parts.region}::foundation-model/${parts.resourceId}.`;
    }
  } else if (type.account === 'required' && parts.account === '') {
    if (parts.resourceType === 'inference-profile') {
      return `${shown} has no account, but an inference-profile ARN names the account that calls it (arn:${parts.partition}:bedrock:${parts.region || '<region>'}:<account>:inference-profile/${parts.resourceId}); ` +
        `or pass the profile id '${parts.resourceId}' alone.`;
    }
    return `${shown} has no account, but a ${parts.resourceType} ARN names the account that owns it: arn:${parts.partition}:bedrock:${parts.region || '<region>'}:<account>:${parts.resourceType}/${parts.resourceId}.`;
  }
  if (!type.id.test(parts.resourceId)) return `${shown} does not end in ${type.shape}.`;
  return undefined;
}

/** Splits a valid Bedrock resource ARN; `undefined` for anything else (see {@link describeBedrockArnProblem}). */
export function parseBedrockArn(value: string): BedrockArnParts | undefined {
  const match = BEDROCK_ARN_PATTERN.exec(value);
  if (!match) return undefined;
  const [, partition, service, region, account = '', resourceType, resourceId] = match;
  const parts = { partition, service, region, account, resourceType, resourceId };
  return describeTypeProblem(value, parts) === undefined ? parts : undefined;
}

/** Why `value` is not a Bedrock resource ARN, with the expected shape; `undefined` when it is one. */
export function describeBedrockArnProblem(value: string): string | undefined {
  const match = BEDROCK_ARN_PATTERN.exec(value);
  let typeProblem: string | undefined;
  if (match) {
    const [, partition, service, region, account = '', resourceType, resourceId] = match;
    typeProblem = describeTypeProblem(value, { partition, service, region, account, resourceType, resourceId });
    if (typeProblem === undefined) return undefined;
  }
  const stray = describeStrayCharacter(value);
  if (stray) return `${stray}.`;
  if (typeProblem) return typeProblem;
  const shape = 'a Bedrock ARN looks like arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB12345678';
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return `${showValue(value)} is not an ARN: ${shape}.`;
  const [, partition, service, , account] = parts;
  if (!isPartition(partition)) return `${showValue(value)} has the unknown partition '${partition}'.`;
  if (service !== 'bedrock' && service !== 'sagemaker') return `${showValue(value)} is an ARN of the '${service}' service, not of Bedrock: ${shape}.`;
  if (account !== '' && !ACCOUNT_ID_PATTERN.test(account)) return `${showValue(value)} has the account '${account}', which is not 12 digits.`;
  const resource = parts.slice(5).join(':');
  const slash = resource.indexOf('/');
  const type = BEDROCK_RESOURCE_TYPES[resource.slice(0, slash)];
  if (slash > 0 && type) return `${showValue(value)} does not end in ${type.shape}.`;
  return `${showValue(value)} is not a Bedrock resource ARN: ${shape}.`;
}

// ---------------------------------------------------------------------------
// Request fields
// ---------------------------------------------------------------------------

/** The Bedrock request fields the shim checks before a call, and the functions here describe. */
export type BedrockIdKind =
  | 'agentId'
  | 'agentAliasId'
  | 'knowledgeBaseId'
  | 'guardrailId'
  | 'guardrailIdentifier'
  | 'guardrailVersion'
  | 'modelId'
  | 'inferenceProfileIdentifier';

/** Pattern and expected shape of each field, when it is not an ARN. */
export const BEDROCK_ID_RULES: Readonly<Record<BedrockIdKind, readonly [RegExp, string]>> = {
  agentId: [AGENT_ID_PATTERN, 'an agent id is 10 letters and digits, e.g. PEGHWIVI5Y'],
  agentAliasId: [AGENT_ALIAS_ID_PATTERN, 'an agent alias id is 10 letters and digits (e.g. IO1GTTHP0M), or TSTALIASID for the draft'],
  knowledgeBaseId: [KNOWLEDGE_BASE_ID_PATTERN, 'a knowledge base id is 10 letters and digits, e.g. KB12345678'],
  guardrailId: [GUARDRAIL_ID_PATTERN, 'a guardrail id is lower-case letters and digits, e.g. gr4abc123xyz'],
  guardrailVersion: [GUARDRAIL_VERSION_PATTERN, 'a guardrail version is a number from 1, or DRAFT'],
  guardrailIdentifier: [GUARDRAIL_ID_PATTERN, 'a guardrail identifier is its id (lower-case letters and digits) or its ARN'],
  modelId: [MODEL_ID_PATTERN, 'a model id looks like anthropic.claude-3-haiku-20240307-v1:0 or us.amazon.nova-lite-v1:0, or is an ARN'],
  inferenceProfileIdentifier: [INFERENCE_PROFILE_ID_PATTERN, 'an inference profile identifier is its id (us.anthropic.claude-3-haiku-20240307-v1:0) or its ARN'],
};

/** ARN resource types a field accepts. */
export const BEDROCK_ID_ARN_TYPES: Readonly<Partial<Record<BedrockIdKind, RegExp>>> = {
  guardrailIdentifier: /^guardrail$/,
  inferenceProfileIdentifier: /^(application-)?inference-profile$/,
  modelId: /./,
};

/**
 * Why `value` is not a usable Bedrock id of this kind (a stray quote or whitespace is named, and
 * the expected shape given); `undefined` when it is one. The text reads on from the field name:
 * `agentAliasId "IO1GTTHP0M\"" has a trailing '"'; …`.
 */
export function describeBedrockIdProblem(kind: BedrockIdKind, value: string): string | undefined {
  const [pattern, shape] = BEDROCK_ID_RULES[kind];
  const arnTypes = BEDROCK_ID_ARN_TYPES[kind];
  if (arnTypes && value.startsWith('arn:')) {
    const arnProblem = describeBedrockArnProblem(value);
    if (arnProblem) return arnProblem;
    const type = parseBedrockArn(value)!.resourceType;
    return arnTypes.test(type) ? undefined : `${showValue(value)} is a ${type} ARN; ${shape}.`;
  }
  if (pattern.test(value)) return undefined;
  const stray = describeStrayCharacter(value);
  if (stray) return `${stray}; ${shape}.`;
  if ((kind === 'agentId' || kind === 'agentAliasId' || kind === 'knowledgeBaseId') && value.length !== 10) {
    return `${showValue(value)} has ${value.length} characters; ${shape}.`;
  }
  return `${showValue(value)} is not valid: ${shape}.`;
}
