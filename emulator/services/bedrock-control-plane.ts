/**
 * The Amazon Bedrock control plane (restJson1 over HTTP/1.1): `GetInferenceProfile`,
 * `ListInferenceProfiles`, `GetFoundationModel`, `ListFoundationModels`.
 *
 * `GetInferenceProfile` is the call that exposes a profile living in the wrong account: an
 * application inference profile ARN of another account is a cross-account request, denied for want
 * of a resource-based policy, as in Bedrock.
 */
import { BedrockRoute, BedrockEndpoint } from './bedrock-endpoint';
import { FoundationModel, GEOGRAPHY_REGIONS } from './bedrock-models';
import { foundationModelArn, requireBedrockPermission } from './bedrock-resources';
import { isoSeconds } from '../clock/clock';
import { parseArn } from '../iam/arn';
import { ServiceError } from '../server/errors';
import type { EmulatorResponse } from '../server/server';
import { jsonResponse, ServiceRequestContext } from '../server/service';

const CREATED = isoSeconds(Date.UTC(2024, 8, 1));
const SYSTEM_PROFILE_ID = /^(us|eu|apac|global)\.(.+)$/;

function notFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message, 404);
}

function modelDetails(model: FoundationModel, region: string): Record<string, unknown> {
  return {
    modelArn: foundationModelArn(region, model.modelId),
    modelId: model.modelId,
    modelName: model.modelName,
    providerName: model.providerName,
    inputModalities: model.inputModalities,
    outputModalities: model.outputModalities,
    responseStreamingSupported: model.responseStreamingSupported,
    customizationsSupported: [],
    inferenceTypesSupported: model.inferenceTypesSupported,
    modelLifecycle: { status: 'ACTIVE' },
  };
}

/** The Bedrock control plane. */
export class BedrockControlPlaneService extends BedrockEndpoint {
  public readonly name = 'bedrock' as const;
  protected readonly method = 'GET';
  protected readonly routes: readonly BedrockRoute[] = [
    ['/inference-profiles', 'ListInferenceProfiles', (c) => this.listInferenceProfiles(c)],
    ['/inference-profiles/{inferenceProfileIdentifier}', 'GetInferenceProfile', (c) => this.getInferenceProfile(c)],
    ['/foundation-models', 'ListFoundationModels', (c) => this.listFoundationModels(c)],
    ['/foundation-models/{modelIdentifier}', 'GetFoundationModel', (c) => this.getFoundationModel(c)],
  ];

  public eventCategory(): 'Management' {
    return 'Management';
  }

  private systemProfileSummary(profileId: string, account: string, region: string): Record<string, unknown> | undefined {
    const system = this.resources.systemProfile(profileId, region);
    if (!system) {
      return undefined;
    }
    const geography = system.geography === 'global' ? 'Global' : system.geography.toUpperCase();
    const regions = system.geography === 'global' ? [region] : GEOGRAPHY_REGIONS[system.geography];
    return {
      inferenceProfileName: `${geography} ${system.model.providerName} ${system.model.modelName}`,
      description: `Routes requests to ${system.model.modelName} in ${regions.join(', ')}.`,
      createdAt: CREATED,
      updatedAt: CREATED,
      inferenceProfileArn: `arn:aws:bedrock:${region}:${account}:inference-profile/${profileId}`,
      models: regions.map((r) => ({ modelArn: foundationModelArn(r, system.model.modelId) })),
      inferenceProfileId: profileId,
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
    };
  }

  private async getInferenceProfile(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const identifier = context.params.inferenceProfileIdentifier;
    context.trail.requestParameters = { inferenceProfileIdentifier: identifier };
    const principal = context.caller.principal;
    const arn = parseArn(identifier);
    const systemId = arn ? (arn.resource.startsWith('inference-profile/') ? arn.resource.slice('inference-profile/'.length) : undefined)
      : (SYSTEM_PROFILE_ID.test(identifier) ? identifier : undefined);
    if (systemId !== undefined) {
      const account = arn?.account || principal.accountId;
      const region = arn?.region || context.region;
      const profileArn = `arn:aws:bedrock:${region}:${account}:inference-profile/${systemId}`;
      await requireBedrockPermission(this.policies, principal, 'bedrock:GetInferenceProfile', [{ arn: profileArn, account }], context.region);
      const summary = this.systemProfileSummary(systemId, account, region);
      if (!summary) {
        throw notFound(`Inference profile ${identifier} not found.`);
      }
      return jsonResponse(summary, { requestId: context.requestId });
    }
    const found = this.resources.lookupApplicationProfile(identifier, principal.accountId, context.region);
    await requireBedrockPermission(this.policies, principal, 'bedrock:GetInferenceProfile', [{ arn: found.arn, account: found.account }], context.region);
    const profile = found.resource;
    if (!profile) {
      throw notFound(`Inference profile ${identifier} not found.`);
    }
    const target = this.resources.resolveModel(profile.arn, profile.accountId, profile.region);
    return jsonResponse({
      inferenceProfileName: profile.name,
      createdAt: CREATED,
      updatedAt: CREATED,
      inferenceProfileArn: profile.arn,
      models: target.checks.filter((c) => c.arn.includes(':foundation-model/')).map((c) => ({ modelArn: c.arn })),
      inferenceProfileId: profile.inferenceProfileId,
      status: 'ACTIVE',
      type: 'APPLICATION',
    }, { requestId: context.requestId });
  }

  private async listInferenceProfiles(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const principal = context.caller.principal;
    await requireBedrockPermission(this.policies, principal, 'bedrock:ListInferenceProfiles', [{ arn: '*', account: principal.accountId }], context.region);
    const type = context.request.query.typeEquals ?? 'SYSTEM_DEFINED';
    const summaries = type === 'APPLICATION'
      ? this.resources.applicationProfiles(principal.accountId, context.region).map((p) => ({
        inferenceProfileName: p.name,
        inferenceProfileArn: p.arn,
        inferenceProfileId: p.inferenceProfileId,
        status: 'ACTIVE',
        type: 'APPLICATION',
        createdAt: CREATED,
        updatedAt: CREATED,
        models: [],
      }))
      : this.resources.foundationModels().flatMap((m) => m.crossRegionProfiles
        .map((g) => this.systemProfileSummary(`${g}.${m.modelId}`, principal.accountId, context.region))
        .filter((s): s is Record<string, unknown> => s !== undefined));
    return jsonResponse({ inferenceProfileSummaries: summaries }, { requestId: context.requestId });
  }

  private async getFoundationModel(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const identifier = context.params.modelIdentifier;
    context.trail.requestParameters = { modelIdentifier: identifier };
    const principal = context.caller.principal;
    const arn = parseArn(identifier);
    const modelId = arn?.resource.startsWith('foundation-model/') ? arn.resource.slice('foundation-model/'.length) : identifier;
    const region = arn?.region || context.region;
    await requireBedrockPermission(this.policies, principal, 'bedrock:GetFoundationModel',
      [{ arn: foundationModelArn(region, modelId), account: principal.accountId }], context.region);
    const model = this.resources.foundationModel(modelId);
    if (!model) {
      throw notFound('Could not resolve the foundation model from the provided model identifier.');
    }
    return jsonResponse({ modelDetails: modelDetails(model, region) }, { requestId: context.requestId });
  }

  private async listFoundationModels(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const principal = context.caller.principal;
    await requireBedrockPermission(this.policies, principal, 'bedrock:ListFoundationModels', [{ arn: '*', account: principal.accountId }], context.region);
    const modelSummaries = this.resources.foundationModels().map((m) => modelDetails(m, context.region));
    return jsonResponse({ modelSummaries }, { requestId: context.requestId });
  }
}
