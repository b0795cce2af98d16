// One class per kind of BedrockModel, each knowing its own ARNs and grants (as
// generative-ai-cdk-constructs' inference-profile classes do). Not part of the jsii surface.
import { Token } from 'aws-cdk-lib';
import { GEOGRAPHIES } from '../contract';
import { HUB_RESOURCES, HubPermissions, INVOKE_ACTIONS, SEG } from './hub-permissions';
import { checkRegionPartition } from './partition';
import { warn } from './warnings';

/** What every kind of model does: grant itself on a hub role's permissions. */
export interface ModelGrants {
  /**
   * Grants the model.
   *
   * @param label how errors and warnings name it (`models[3]`)
   * @param throughProfiles for the model behind an application inference profile: invocable only through these
   * @param defaultRegions the regions used when the model names none (else the role's)
   */
  grant(permissions: HubPermissions, label: string, throughProfiles?: string[], defaultRegions?: string[]): void;
}

function regionsOf(permissions: HubPermissions, label: string, own: string[] | undefined, defaults: string[] | undefined): string[] {
  const regions = own ?? defaults ?? permissions.regions;
  regions.forEach((region, i) => checkRegionPartition(`${label}.regions[${i}]`, region, permissions.partition));
  return regions;
}

/** One foundation model, invoked directly or through an application profile. */
export class FoundationModelGrants implements ModelGrants {
  constructor(private readonly modelId: string, private readonly regions?: string[]) {}

  public grant(permissions: HubPermissions, label: string, throughProfiles?: string[], defaultRegions?: string[]): void {
    const arns = regionsOf(permissions, label, this.regions, defaultRegions).map((region) => permissions.foundationModelArn(region, this.modelId));
    if (throughProfiles) {
      permissions.allowThroughProfiles(arns, throughProfiles);
    } else {
      permissions.allow('InvokeFoundationModels', [...INVOKE_ACTIONS], arns);
    }
  }
}

/** Every foundation model of some regions: a wildcard the user asked for. */
export class AllFoundationModelsGrants implements ModelGrants {
  constructor(private readonly regions?: string[]) {}

  public grant(permissions: HubPermissions, label: string, _throughProfiles?: string[], defaultRegions?: string[]): void {
    const regions = regionsOf(permissions, label, this.regions, defaultRegions);
    permissions.allow('InvokeFoundationModels', [...INVOKE_ACTIONS], regions.map((region) => permissions.foundationModelArn(region, '*')), {
      kind: 'allFoundationModels',
      regex: `^Resource::arn:${SEG}:bedrock:${SEG}::foundation-model\\/\\*$`,
      reason: 'BedrockModel.allFoundationModels() was chosen explicitly: every foundation model in the listed regions may be invoked (which models answer is still governed by the model access enabled in the hub account).',
    });
  }
}

/** A system-defined cross-region inference profile (`us.…`, `global.…`). */
export class CrossRegionProfileGrants implements ModelGrants {
  constructor(
    private readonly profileId: string,
    private readonly geography: string,
    private readonly foundationModelId: string,
    private readonly sourceRegions: string[] | undefined,
    private readonly destinationRegions: string[] | undefined,
    private readonly allDestinationRegions: boolean,
  ) {}

  public grant(permissions: HubPermissions, label: string, throughProfiles?: string[], defaultRegions?: string[]): void {
    const regions = regionsOf(permissions, label, this.sourceRegions, defaultRegions);
    const profiles = regions.map((region) => `arn:${permissions.partition}:bedrock:${region}:${permissions.account}:inference-profile/${this.profileId}`);
    permissions.allowProfiles(profiles);
    const geography = GEOGRAPHIES.get(this.geography);
    (this.destinationRegions ?? []).forEach((region, i) => {
      checkRegionPartition(`${label}.destinationRegions[${i}]`, region, permissions.partition);
      if (geography && !Token.isUnresolved(region) && !geography.regionPrefixes.some((prefix) => region.startsWith(prefix))) {
        warn(permissions.scope, 'DESTINATION_REGION_OUTSIDE_GEOGRAPHY',
          `${label}: the destination region '${region}' is outside the ${geography.name} geography that '${this.profileId}' routes within, so it is probably a mistake; check the model's cross-region inference regions in the Amazon Bedrock user guide.`);
      }
    });
    const via = [...profiles, ...(throughProfiles ?? [])];
    if (this.allDestinationRegions) {
      // `*` also matches the empty region of the ARN a global profile is authorized against.
      permissions.allowThroughProfiles([permissions.foundationModelArn('*', this.foundationModelId)], via, {
        kind: 'allDestinationRegions',
        regex: `^Resource::arn:${SEG}:bedrock:\\*::foundation-model\\/[^*]+$`,
        reason: 'allDestinationRegions was chosen explicitly for a cross-region inference profile: the named foundation model may be invoked in any region, but only through the named inference profiles (bedrock:InferenceProfileArn condition).',
      });
      return;
    }
    const allRegions = [...new Set([...regions, ...(this.destinationRegions ?? [])])];
    const arns = allRegions.map((region) => permissions.foundationModelArn(region, this.foundationModelId));
    if (this.geography === 'global') arns.push(permissions.foundationModelArn('', this.foundationModelId));
    permissions.allowThroughProfiles(arns, via);
  }
}

/** An application inference profile of the hub account, and the model it routes to. */
export class ApplicationProfileGrants implements ModelGrants {
  constructor(
    private readonly profileIdOrArn: string,
    private readonly regions: string[] | undefined,
    private readonly routesTo: ModelGrants | undefined,
  ) {}

  public grant(permissions: HubPermissions, label: string, _throughProfiles?: string[], defaultRegions?: string[]): void {
    const regions = regionsOf(permissions, label, this.regions, defaultRegions);
    const profiles = permissions.hubResourceArns(label, this.profileIdOrArn, HUB_RESOURCES.applicationInferenceProfile, regions);
    permissions.allowProfiles(profiles);
    if (this.routesTo) {
      // The model behind the profile is called in the profile's region(s) unless it says otherwise.
      const literalArn = this.profileIdOrArn.startsWith('arn:') && !Token.isUnresolved(this.profileIdOrArn);
      this.routesTo.grant(permissions, `${label}.routesTo`, profiles, literalArn ? [this.profileIdOrArn.split(':')[3]] : regions);
    } else {
      warn(permissions.scope, 'APPLICATION_PROFILE_WITHOUT_MODEL',
        `${label}: Bedrock also authorizes the model behind the application inference profile '${this.profileIdOrArn}', and none is named. ` +
        'Pass routesTo (e.g. routesTo: BedrockModel.foundationModel(\'anthropic.claude-3-5-sonnet-20240620-v1:0\')), or grant that model in models, or calls will fail with AccessDenied.');
    }
  }
}
