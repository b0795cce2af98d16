/**
 * The state of the emulated Bedrock: which foundation models exist, which accounts have model access
 * in which regions, and the account-scoped resources (guardrails, application inference profiles,
 * agents, knowledge bases). Also the rules that turn a model identifier into the resource ARNs IAM
 * checks, shared by the runtime, control-plane and agent-runtime handlers.
 *
 * Account scoping follows Bedrock: an ID (not an ARN) names a resource in the caller's account and
 * the request's region; an ARN in another account is a cross-account request, which no identity
 * policy alone can allow.
 */
import { DEFAULT_FOUNDATION_MODELS, FoundationModel, GEOGRAPHY_REGIONS, ModelReply, needsMarketplaceSubscription, Prompt, routedRegion } from './bedrock-models';
import { LOWER_ALNUM, parseArn, stableId, UPPER_ALNUM } from '../iam/arn';
import { Principal } from '../iam/identities';
import { notAuthorizedMessage, PolicyEngine } from '../iam/policy-engine';
import { ServiceError } from '../server/errors';

/** A guardrail. */
export interface Guardrail {
  readonly accountId: string;
  readonly region: string;
  readonly guardrailId: string;
  readonly arn: string;
  readonly name: string;
  readonly blockedInputMessaging: string;
  readonly blockedOutputsMessaging: string;
  /** Words that make the guardrail intervene (case-insensitive substring match). */
  readonly blockedWords: readonly string[];
  /** Published versions besides `DRAFT`. @default ['1'] */
  readonly versions: readonly string[];
}

/** An application inference profile. */
export interface ApplicationInferenceProfile {
  readonly accountId: string;
  readonly region: string;
  readonly inferenceProfileId: string;
  readonly arn: string;
  readonly name: string;
  /** The foundation-model or system inference-profile ARN it copies. */
  readonly copyFrom: string;
}

/** An agent and its aliases. */
export interface Agent {
  readonly accountId: string;
  readonly region: string;
  readonly agentId: string;
  readonly arn: string;
  readonly name: string;
  readonly foundationModel?: string;
  /** Alias IDs; every agent also has the test alias `TSTALIASID`. */
  readonly aliases: Set<string>;
}

/** A knowledge base with its documents. */
export interface KnowledgeBase {
  readonly accountId: string;
  readonly region: string;
  readonly knowledgeBaseId: string;
  readonly arn: string;
  readonly name: string;
  readonly documents: ReadonlyArray<{ readonly text: string; readonly uri: string }>;
}

/** What the responder is asked. */
export interface ResponderInput {
  readonly operation: string;
  /** The identifier as requested (model ID, profile ID or ARN, agent ID). */
  readonly requestedModelId: string;
  /** The foundation model that answers (for agents, the agent's model or `undefined`). */
  readonly foundationModelId?: string;
  readonly prompt: Prompt;
  readonly principalArn: string;
  readonly accountId: string;
  readonly region: string;
}

/** Produces model answers: a string, or a partial reply to also set stop reason and token counts. */
export type BedrockResponder = (input: ResponderInput) => string | Partial<ModelReply>;

/** The default answer: deterministic, and it says who answered. */
export const defaultResponder: BedrockResponder = (input) => {
  const last = [...input.prompt.messages].reverse().find((m) => m.role === 'user')?.text ?? '';
  return `Echo from ${input.foundationModelId ?? input.requestedModelId}: ${last}`;
};

/** A resource that needs the action, and the account that owns it. */
export interface ResourceCheck {
  readonly arn: string;
  readonly account: string;
}

/** A model identifier resolved to what answers and what IAM checks. */
export interface ModelTarget {
  readonly kind: 'foundation-model' | 'inference-profile' | 'application-inference-profile';
  readonly requestedId: string;
  /** The resource the request is about (first in `checks`). */
  readonly resourceArn: string;
  /**
   * The model that answers; absent for an application inference profile that does not exist (Bedrock
   * checks IAM on the ARN before it looks the profile up).
   */
  readonly foundationModel?: FoundationModel;
  /** Every resource that needs the action, checked in order. */
  readonly checks: readonly ResourceCheck[];
  /** Regions the inference may run in. */
  readonly destinationRegions: readonly string[];
}

/** A resource named by ID or ARN: the ARN IAM checks, its account, and the resource if it exists. */
export interface ResourceLookup<T> {
  readonly arn: string;
  readonly account: string;
  readonly resource?: T;
}

/** A system-defined inference profile available in a region. */
export interface SystemProfile {
  readonly model: FoundationModel;
  readonly geography: string;
  readonly destinations: readonly string[];
}

/**
 * An account's AWS Marketplace subscription to a model (`setModelSubscription`). Subscriptions are
 * per account, not per region.
 */
export interface ModelSubscriptionRule {
  readonly accountId: string;
  /** @default every model */
  readonly modelId?: string;
  readonly subscribed: boolean;
}

/**
 * What Bedrock answers when the first call to a Marketplace model cannot subscribe the account
 * because the caller lacks the Marketplace actions (wording from public reports, 2025).
 */
export const MARKETPLACE_SUBSCRIPTION_DENIED = 'Model access is denied due to IAM user or service role is not authorized to perform the required ' +
  'AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the ' +
  'Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. ' +
  'If you recently fixed this issue, try again after 2 minutes.';

const INVALID_MODEL = 'The provided model identifier is invalid.';
const PROFILE_PREFIX = /^(us|eu|apac|jp|global)\.(.+)$/;

/** Bedrock's answer to a model identifier it cannot resolve. */
export function invalidModel(): ServiceError {
  return new ServiceError('ValidationException', INVALID_MODEL, 400);
}

/** `arn:aws:bedrock:<region>::foundation-model/<id>`. */
export function foundationModelArn(region: string, modelId: string, partition = 'aws'): string {
  return `arn:${partition}:bedrock:${region}::foundation-model/${modelId}`;
}

/**
 * Checks `action` on each resource for `principal`, throwing Bedrock's AccessDeniedException with the
 * policy engine's reason for the first one denied.
 */
/**
 * A Marketplace model the caller's account is not subscribed to: Bedrock subscribes the account
 * with the caller's permissions (`aws-marketplace:ViewSubscriptions`, `aws-marketplace:Subscribe`,
 * called via bedrock.amazonaws.com), or refuses the call with {@link MARKETPLACE_SUBSCRIPTION_DENIED}.
 */
export async function subscribeOnFirstUse(
  policies: PolicyEngine,
  resources: BedrockResources,
  principal: Principal,
  region: string,
  model: FoundationModel,
): Promise<void> {
  if (!needsMarketplaceSubscription(model) || resources.isSubscribed(principal.accountId, model.modelId)) return;
  const viaBedrock = { 'aws:CalledVia': ['bedrock.amazonaws.com'], 'aws:CalledViaFirst': 'bedrock.amazonaws.com', 'aws:CalledViaLast': 'bedrock.amazonaws.com', 'aws:ViaAWSService': 'true' };
  for (const action of ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe']) {
    const decision = await policies.authorize({ principal, action, resource: '*', resourceAccount: principal.accountId, region, context: viaBedrock });
    if (!decision.allowed) throw new ServiceError('AccessDeniedException', MARKETPLACE_SUBSCRIPTION_DENIED, 403);
  }
  resources.setModelSubscription({ accountId: principal.accountId, modelId: model.modelId, subscribed: true });
}

export async function requireBedrockPermission(
  policies: PolicyEngine,
  principal: Principal,
  action: string,
  checks: readonly ResourceCheck[],
  region: string,
  context?: Readonly<Record<string, string | string[]>>,
): Promise<void> {
  for (const check of checks) {
    const decision = await policies.authorize({ principal, action, resource: check.arn, resourceAccount: check.account, region, context });
    if (!decision.allowed) {
      throw new ServiceError('AccessDeniedException', notAuthorizedMessage(principal.arn, action, check.arn, decision.reason), 403);
    }
  }
}

function key(accountId: string, region: string, id: string): string {
  return `${accountId}|${region}|${id}`;
}

/** Models, model access and account-scoped Bedrock resources. */
export class BedrockResources {
  private readonly models = new Map<string, FoundationModel>();
  private readonly subscriptionRules: ModelSubscriptionRule[] = [];
  private readonly guardrails = new Map<string, Guardrail>();
  private readonly profiles = new Map<string, ApplicationInferenceProfile>();
  private readonly agents = new Map<string, Agent>();
  private readonly knowledgeBases = new Map<string, KnowledgeBase>();
  private answer: BedrockResponder = defaultResponder;

  constructor() {
    for (const model of DEFAULT_FOUNDATION_MODELS) {
      this.models.set(model.modelId, model);
    }
  }

  /** Adds (or replaces) a foundation model. */
  public addFoundationModel(model: FoundationModel): void {
    this.models.set(model.modelId, model);
  }

  /** The foundation model with this ID, if offered. */
  public foundationModel(modelId: string): FoundationModel | undefined {
    return this.models.get(modelId);
  }

  /** Every foundation model. */
  public foundationModels(): FoundationModel[] {
    return [...this.models.values()];
  }

  /**
   * Sets an account's AWS Marketplace subscription to a model (or every model). Later rules win.
   * Serverless models are enabled by default; a Marketplace model an account is not subscribed to
   * is subscribed by its first call, if the caller may `aws-marketplace:ViewSubscriptions` and
   * `aws-marketplace:Subscribe` (via Bedrock), and refused with {@link MARKETPLACE_SUBSCRIPTION_DENIED} otherwise.
   * @example emulator.bedrock.setModelSubscription({ accountId: HUB, modelId: 'anthropic.claude-sonnet-4-6', subscribed: false })
   */
  public setModelSubscription(rule: ModelSubscriptionRule): void {
    this.subscriptionRules.push(rule);
  }

  /** Whether `accountId` is subscribed to `modelId` (default: yes). */
  public isSubscribed(accountId: string, modelId: string): boolean {
    for (let i = this.subscriptionRules.length - 1; i >= 0; i--) {
      const rule = this.subscriptionRules[i];
      if (rule.accountId === accountId && (rule.modelId ?? modelId) === modelId) {
        return rule.subscribed;
      }
    }
    return true;
  }

  /** Sets who answers model and agent requests. */
  public setResponder(responder: BedrockResponder): void {
    this.answer = responder;
  }

  /** The answer for one request. */
  public respond(input: ResponderInput): { text: string; stopReason?: ModelReply['stopReason']; inputTokens?: number; outputTokens?: number } {
    const result = this.answer(input);
    return typeof result === 'string' ? { text: result } : { text: result.text ?? '', ...result };
  }

  /** Creates a guardrail in an account and region. */
  public addGuardrail(options: {
    accountId: string;
    region: string;
    name: string;
    guardrailId?: string;
    blockedWords?: readonly string[];
    blockedInputMessaging?: string;
    blockedOutputsMessaging?: string;
    versions?: readonly string[];
  }): Guardrail {
    const guardrailId = options.guardrailId ?? stableId(key(options.accountId, options.region, options.name), 12, LOWER_ALNUM);
    const guardrail: Guardrail = {
      accountId: options.accountId,
      region: options.region,
      guardrailId,
      arn: `arn:aws:bedrock:${options.region}:${options.accountId}:guardrail/${guardrailId}`,
      name: options.name,
      blockedInputMessaging: options.blockedInputMessaging ?? 'Sorry, the model cannot answer this question.',
      blockedOutputsMessaging: options.blockedOutputsMessaging ?? 'Sorry, the model cannot answer this question.',
      blockedWords: options.blockedWords ?? [],
      versions: options.versions ?? ['1'],
    };
    this.guardrails.set(key(guardrail.accountId, guardrail.region, guardrailId), guardrail);
    return guardrail;
  }

  /** Creates an application inference profile copying a foundation model or system profile (by ARN). */
  public addApplicationInferenceProfile(options: {
    accountId: string; region: string; name: string; copyFrom: string; inferenceProfileId?: string;
  }): ApplicationInferenceProfile {
    const id = options.inferenceProfileId ?? stableId(key(options.accountId, options.region, options.name), 12, LOWER_ALNUM);
    const profile: ApplicationInferenceProfile = {
      accountId: options.accountId,
      region: options.region,
      inferenceProfileId: id,
      arn: `arn:aws:bedrock:${options.region}:${options.accountId}:application-inference-profile/${id}`,
      name: options.name,
      copyFrom: options.copyFrom,
    };
    this.profiles.set(key(profile.accountId, profile.region, id), profile);
    return profile;
  }

  /** Creates an agent. */
  public addAgent(options: { accountId: string; region: string; name: string; agentId?: string; foundationModel?: string }): Agent {
    const agentId = options.agentId ?? stableId(key(options.accountId, options.region, options.name), 10, UPPER_ALNUM);
    const agent: Agent = {
      accountId: options.accountId,
      region: options.region,
      agentId,
      arn: `arn:aws:bedrock:${options.region}:${options.accountId}:agent/${agentId}`,
      name: options.name,
      foundationModel: options.foundationModel,
      aliases: new Set(['TSTALIASID']),
    };
    this.agents.set(key(agent.accountId, agent.region, agentId), agent);
    return agent;
  }

  /** Adds an alias to an agent; returns the alias ARN. */
  public addAgentAlias(options: { accountId: string; region: string; agentId: string; agentAliasId?: string; name?: string }): string {
    const agent = this.agents.get(key(options.accountId, options.region, options.agentId));
    if (!agent) {
      throw new Error(`addAgentAlias: no agent ${options.agentId} in ${options.accountId}/${options.region}`);
    }
    const aliasId = options.agentAliasId ?? stableId(`${agent.arn}/${options.name ?? 'alias'}`, 10, UPPER_ALNUM);
    agent.aliases.add(aliasId);
    return `arn:aws:bedrock:${options.region}:${options.accountId}:agent-alias/${agent.agentId}/${aliasId}`;
  }

  /** Creates a knowledge base with documents to retrieve from. */
  public addKnowledgeBase(options: {
    accountId: string; region: string; name: string; knowledgeBaseId?: string; documents?: ReadonlyArray<{ text: string; uri?: string }>;
  }): KnowledgeBase {
    const id = options.knowledgeBaseId ?? stableId(key(options.accountId, options.region, options.name), 10, UPPER_ALNUM);
    const kb: KnowledgeBase = {
      accountId: options.accountId,
      region: options.region,
      knowledgeBaseId: id,
      arn: `arn:aws:bedrock:${options.region}:${options.accountId}:knowledge-base/${id}`,
      name: options.name,
      documents: (options.documents ?? []).map((d, i) => ({ text: d.text, uri: d.uri ?? `s3://${options.name.toLowerCase()}-docs/doc-${i + 1}.txt` })),
    };
    this.knowledgeBases.set(key(kb.accountId, kb.region, id), kb);
    return kb;
  }

  /** The guardrail an identifier (ID or ARN) names, with the ARN IAM checks even when it does not exist. */
  public lookupGuardrail(identifier: string, callerAccount: string, region: string): ResourceLookup<Guardrail> {
    const arn = parseArn(identifier);
    const [account, guardrailRegion, id] = arn && arn.resource.startsWith('guardrail/')
      ? [arn.account, arn.region, arn.resource.slice('guardrail/'.length)]
      : [callerAccount, region, identifier];
    return {
      arn: `arn:aws:bedrock:${guardrailRegion}:${account}:guardrail/${id}`,
      account,
      resource: this.guardrails.get(key(account, guardrailRegion, id)),
    };
  }

  /** The application inference profile with this ID or ARN. */
  public lookupApplicationProfile(identifier: string, callerAccount: string, region: string): ResourceLookup<ApplicationInferenceProfile> {
    const arn = parseArn(identifier);
    const [account, profileRegion, id] = arn ? [arn.account, arn.region, arn.resource.slice(arn.resource.indexOf('/') + 1)] : [callerAccount, region, identifier];
    return {
      arn: `arn:aws:bedrock:${profileRegion}:${account}:application-inference-profile/${id}`,
      account,
      resource: this.profiles.get(key(account, profileRegion, id)),
    };
  }

  /** Every application inference profile of an account in a region. */
  public applicationProfiles(accountId: string, region: string): ApplicationInferenceProfile[] {
    return [...this.profiles.values()].filter((p) => p.accountId === accountId && p.region === region);
  }

  /** The agent with this ID in the caller's account and region. */
  public agent(accountId: string, region: string, agentId: string): Agent | undefined {
    return this.agents.get(key(accountId, region, agentId));
  }

  /** The knowledge base with this ID in the caller's account and region. */
  public knowledgeBase(accountId: string, region: string, knowledgeBaseId: string): KnowledgeBase | undefined {
    return this.knowledgeBases.get(key(accountId, region, knowledgeBaseId));
  }

  /** A system-defined inference profile (`us.anthropic...`), if the ID names one available in `region`. */
  public systemProfile(profileId: string, region: string): SystemProfile | undefined {
    const match = PROFILE_PREFIX.exec(profileId);
    if (!match) {
      return undefined;
    }
    const [, geography, modelId] = match;
    const model = this.models.get(modelId);
    if (!model || !model.crossRegionProfiles.includes(geography)) {
      return undefined;
    }
    if (geography !== 'global' && !(GEOGRAPHY_REGIONS[geography] ?? []).includes(region)) {
      return undefined;
    }
    return { model, geography, destinations: geography === 'global' ? [region] : GEOGRAPHY_REGIONS[geography] };
  }

  /**
   * Resolves the `modelId` of an invocation: a foundation-model ID or ARN, a system-defined inference
   * profile ID or ARN, or an application inference profile ARN.
   * @throws ServiceError ValidationException for an identifier Bedrock would reject
   */
  public resolveModel(identifier: string, callerAccount: string, region: string): ModelTarget {
    const arn = parseArn(identifier);
    if (arn) {
      if (arn.service !== 'bedrock') {
        throw invalidModel();
      }
      const slash = arn.resource.indexOf('/');
      const type = arn.resource.slice(0, slash);
      const id = arn.resource.slice(slash + 1);
      if (type === 'foundation-model') {
        return this.onDemandModel(id, callerAccount, arn.region || region);
      }
      if (type === 'inference-profile') {
        return this.systemProfileTarget(id, arn.account || callerAccount, callerAccount, arn.region || region, identifier);
      }
      if (type === 'application-inference-profile') {
        const profile = this.lookupApplicationProfile(identifier, callerAccount, region).resource;
        const checks: ResourceCheck[] = [{ arn: identifier, account: arn.account }];
        if (!profile) {
          return { kind: 'application-inference-profile', requestedId: identifier, resourceArn: identifier, checks, destinationRegions: [] };
        }
        const underlying = this.resolveModelOrProfile(profile.copyFrom, profile.accountId, profile.region);
        return {
          kind: 'application-inference-profile',
          requestedId: identifier,
          resourceArn: identifier,
          foundationModel: underlying.foundationModel,
          checks: [...checks, ...underlying.checks.filter((c) => c.arn.includes(':foundation-model/'))],
          destinationRegions: underlying.destinationRegions,
        };
      }
      throw invalidModel();
    }
    if (PROFILE_PREFIX.test(identifier)) {
      return this.systemProfileTarget(identifier, callerAccount, callerAccount, region, undefined);
    }
    return this.onDemandModel(identifier, callerAccount, region);
  }

  private resolveModelOrProfile(copyFrom: string, account: string, region: string): ModelTarget {
    const arn = parseArn(copyFrom);
    if (arn?.resource.startsWith('foundation-model/')) {
      const model = this.models.get(arn.resource.slice('foundation-model/'.length));
      if (!model) {
        throw invalidModel();
      }
      const r = arn.region || region;
      return { kind: 'foundation-model', requestedId: copyFrom, resourceArn: foundationModelArn(r, model.modelId), foundationModel: model, checks: [{ arn: foundationModelArn(r, model.modelId), account }], destinationRegions: [r] };
    }
    return this.resolveModel(copyFrom, account, region);
  }

  private onDemandModel(modelId: string, callerAccount: string, region: string): ModelTarget {
    const model = this.models.get(modelId);
    if (!model) {
      throw invalidModel();
    }
    if (!model.inferenceTypesSupported.includes('ON_DEMAND')) {
      throw new ServiceError('ValidationException',
        `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`, 400);
    }
    const arn = foundationModelArn(region, modelId);
    return { kind: 'foundation-model', requestedId: modelId, resourceArn: arn, foundationModel: model, checks: [{ arn, account: callerAccount }], destinationRegions: [region] };
  }

  private systemProfileTarget(
    profileId: string, profileAccount: string, callerAccount: string, region: string, requestedArn: string | undefined,
  ): ModelTarget {
    const system = this.systemProfile(profileId, region);
    if (!system) {
      throw invalidModel();
    }
    const profileArn = `arn:aws:bedrock:${region}:${profileAccount}:inference-profile/${profileId}`;
    // Bedrock authorizes the profile, then the model where the request is served: a geographic
    // profile in the destination region it routed to; a global profile on the source-region model and
    // the region-less `arn:aws:bedrock:::foundation-model/<id>`.
    const served = system.geography === 'global' ? region : routedRegion(system.geography, region);
    const modelChecks: ResourceCheck[] = system.geography === 'global'
      ? [{ arn: foundationModelArn(region, system.model.modelId), account: callerAccount }, { arn: foundationModelArn('', system.model.modelId), account: callerAccount }]
      : [{ arn: foundationModelArn(served, system.model.modelId), account: callerAccount }];
    return {
      kind: 'inference-profile',
      requestedId: requestedArn ?? profileId,
      resourceArn: profileArn,
      foundationModel: system.model,
      checks: [{ arn: profileArn, account: profileAccount }, ...modelChecks],
      destinationRegions: [served],
    };
  }
}
