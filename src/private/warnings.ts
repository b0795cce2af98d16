// Every warning a user may acknowledge, in one catalogue: its id
// (`bedrock-hub-access:<name>`, for `Annotations.of(scope).acknowledgeWarning(id, reason)`) and what
// it means. README.md lists the same ids ("Warnings you may acknowledge"); a test keeps the two
// and the code in step. Not part of the jsii surface.
import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What a warning means, as README.md explains it. */
export interface WarningEntry {
  readonly id: string;
  /** Which construct raises it. */
  readonly raisedBy: 'BedrockHubAccess' | 'BedrockHubRole';
  readonly meaning: string;
}

function entry(name: string, raisedBy: WarningEntry['raisedBy'], meaning: string): WarningEntry {
  return { id: `bedrock-hub-access:${name}`, raisedBy, meaning };
}

/** The catalogue. Keys are how the code names a warning; `id` is what users acknowledge. */
export const WARNINGS = {
  // BedrockHubAccess (workload side)
  HUB_ROLE_IN_SAME_ACCOUNT: entry('hubRoleInSameAccount', 'BedrockHubAccess',
    'The hub role ARN is in the workload stack\'s own account: it works, but it is no hub.'),
  ROLE_NOT_UPDATED: entry('roleNotUpdated', 'BedrockHubAccess',
    'A function\'s role cannot be changed from this app (immutable, or in another account), so it was not granted sts:AssumeRole on the hub role.'),
  NO_STS_ENDPOINT: entry('noStsEndpoint', 'BedrockHubAccess',
    'A function runs in a VPC for which the app defines no STS interface endpoint; without a NAT route, AssumeRole hangs.'),
  NO_STS_ROUTE_TO_FALLBACK_REGION: entry('noStsRouteToFallbackRegion', 'BedrockHubAccess',
    'A function in a VPC has stsRegions outside its own region, whose STS it reaches only through a NAT gateway or internet route.'),
  OUTSIDE_PARAMETER_STACK: entry('outsideParameterStack', 'BedrockHubAccess',
    'applyToAll in parameter mode skipped a function of another stack, which the parameters cannot switch.'),
  EDGE_FUNCTION_SKIPPED: entry('edgeFunctionSkipped', 'BedrockHubAccess',
    'applyToAll skipped a Lambda@Edge function, which cannot have environment variables.'),
  TRUSTED_ORGANIZATION_UNVERIFIED: entry('trustedOrganizationUnverified', 'BedrockHubAccess',
    'The hub role trusts an organization only; whether the workload account is a member cannot be known at synth.'),
  WORKLOAD_ACCOUNT_UNKNOWN: entry('workloadAccountUnknown', 'BedrockHubAccess',
    'A function\'s stack has no concrete account, so whether the hub role trusts it cannot be checked at synth.'),
  RUNTIME_WITHOUT_SHIM: entry('runtimeWithoutShim', 'BedrockHubAccess',
    'No shim serves a function\'s runtime (Java, .NET, Ruby, OS-only, a Python older than 3.9, a container image): nothing in it reads the BEDROCK_ASSUME_ROLE_* variables unless its own code assumes the role.'),
  BEARER_TOKEN_IN_ENVIRONMENT: entry('bearerTokenInEnvironment', 'BedrockHubAccess',
    'A function sets AWS_BEARER_TOKEN_BEDROCK: libraries given the hub credentials prefer that API key and call Bedrock without the hub.'),
  // BedrockHubRole (hub side)
  EXTERNAL_ID_NOT_REQUIRED: entry('externalIdNotRequired', 'BedrockHubRole',
    'requireExternalId is false: the trust policy requires no sts:ExternalId, so confused-deputy protection is off.'),
  TRUST_WITHOUT_PRINCIPAL_PATTERNS: entry('trustWithoutPrincipalPatterns', 'BedrockHubRole',
    'Any principal of the trusted accounts or organization may assume the role; trustedPrincipalArnPatterns would narrow it.'),
  SESSION_LONGER_THAN_ROLE_CHAINING_CAP: entry('sessionLongerThanRoleChainingCap', 'BedrockHubRole',
    'maxSessionDuration is over 1 hour, which Lambda callers (role chaining) cannot use.'),
  ROLE_ARN_NOT_CONCRETE: entry('roleArnNotConcrete', 'BedrockHubRole',
    'The hub stack has no concrete account or region, so the role ARN holds tokens a workload stack in another account cannot use.'),
  DESTINATION_REGION_OUTSIDE_GEOGRAPHY: entry('destinationRegionOutsideGeography', 'BedrockHubRole',
    'A destination region of a cross-region profile is outside the profile\'s geography.'),
  APPLICATION_PROFILE_WITHOUT_MODEL: entry('applicationProfileWithoutModel', 'BedrockHubRole',
    'An application inference profile is granted without the model it routes to (routesTo), which Bedrock also authorizes.'),
} as const;

/** A key of {@link WARNINGS}. */
export type WarningName = keyof typeof WARNINGS;

/** Adds the acknowledgeable warning `name` to `scope`. */
export function warn(scope: IConstruct, name: WarningName, message: string): void {
  Annotations.of(scope).addWarningV2(WARNINGS[name].id, message);
}
