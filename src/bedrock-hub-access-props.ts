import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BedrockHubAccess } from './bedrock-hub-access'; // for the {@link}s below
import { BedrockHubRole } from './bedrock-hub-role';
import { HubTarget } from './hub-target';

/**
 * Options of every way to create a {@link BedrockHubAccess}, including
 * {@link BedrockHubAccess.fromParameters}, where they are not parameters.
 */
export interface BedrockHubAccessCommonOptions {
  /**
   * How long each hub session lasts, 15 minutes to 1 hour. A Lambda function already runs as an
   * assumed role, so assuming the hub role is role chaining, which STS caps at one hour whatever
   * the hub role's `MaxSessionDuration`. The runtime shim refreshes sessions before they expire.
   *
   * @default - not set: the runtime shim's default applies
   */
  readonly sessionDuration?: Duration;

  /**
   * Functions to apply hub access to right away, as with {@link BedrockHubAccess.applyTo}.
   *
   * @default - none; call `applyTo` or `applyToAll` later
   */
  readonly functions?: lambda.Function[];

  /**
   * Roles in further accounts, for Bedrock resources that live there rather than in the hub
   * (agents, knowledge bases of other teams): the functions may assume each of them
   * (`sts:AssumeRole` on exactly these ARNs, in the same shared statement as the hub role), and
   * get them in `BEDROCK_ASSUME_ROLE_TARGETS`. One role per account; none in the hub role's account.
   * See also `addTarget` and `addTargetRole`.
   *
   * @default - none
   */
  readonly targets?: HubTarget[];

  /**
   * Session tags passed on every AssumeRole (hub and targets), which CloudTrail in those accounts
   * records with every call: e.g. `{ team: 'orders', 'cost-center': '1234' }`. At most 50 tags
   * (with the function-name tag), keys 1 to 128 and values up to 256 letters, digits, spaces and
   * `_ . : / = + - @`; no `aws:` prefix; keys unique ignoring case.
   *
   * Grants `sts:TagSession` besides `sts:AssumeRole`, and needs the roles' trust policies to allow it
   * (`BedrockHubRole`'s `allowSessionTags`).
   *
   * @default - no static tags
   */
  readonly sessionTags?: { [key: string]: string };

  /**
   * A session tag key under which each function passes its own name (`AWS_LAMBDA_FUNCTION_NAME`),
   * e.g. `'lambda-function'`: CloudTrail in the hub then names the function of every call even
   * when `sessionName` is shared. Grants `sts:TagSession` like `sessionTags`.
   *
   * @default - no function-name tag
   */
  readonly functionNameTagKey?: string;

  /**
   * `SourceIdentity` set on every AssumeRole (hub and targets): 2 to 64 letters, digits and
   * `+=,.@_-`, not starting with `aws:`. CloudTrail records it with every call of the session,
   * and no role session assumed from it can change it. Grants `sts:SetSourceIdentity` besides
   * `sts:AssumeRole`, and needs the roles' trust policies to allow it (`BedrockHubRole`'s
   * `allowSourceIdentity`).
   *
   * @default - no source identity
   */
  readonly sourceIdentity?: string;

  /**
   * Whether Python functions get the Python shim (`import bedrock_hub_access`) as a Lambda layer.
   *
   * One `lambda.LayerVersion` per stack (construct id `BedrockHubAccessPythonShim`), shared by every
   * Python function hub access applies to there, for the Python runtimes from 3.9 on, both
   * architectures; nothing is added per function but the layer reference. The layer is added in
   * parameter mode too, whatever `BedrockHubRoleArn` is at deploy time: with hub mode off the shim
   * returns plain boto3 sessions, and the handler's `import bedrock_hub_access` keeps working.
   *
   * Turn it off for functions that bring the shim in their own package (vendored, or pip-installed
   * into the bundle), or that use the GenAI IDP Accelerator's own session factory, which reads the
   * same variables. Node.js functions bundle `bedrock-hub-access/lambda-shim` with esbuild and are
   * not affected.
   *
   * @default true
   */
  readonly pythonLayer?: boolean;

  /**
   * STS regions to call AssumeRole in, most preferred first, e.g. `['us-east-1', 'us-west-2']`:
   * when a region's STS answers 5xx or cannot be reached, the runtime shim uses the next one, and
   * skips the failed region for 60 s. Any region enabled for the workload account issues
   * credentials valid everywhere. 1 to 5 region codes, none twice; written to
   * `BEDROCK_ASSUME_ROLE_STS_REGIONS`. The function's own region is not added: list it if it
   * should be tried.
   *
   * A function in a VPC reaches another region's STS only through a NAT gateway or internet
   * route (an STS interface endpoint serves its own region only): the construct warns
   * (`bedrock-hub-access:noStsRouteToFallbackRegion`) for each such function.
   *
   * @default - STS in the function's region only
   */
  readonly stsRegions?: string[];
}

/** Properties of a {@link BedrockHubAccess} other than the hub role. */
export interface BedrockHubAccessOptions extends BedrockHubAccessCommonOptions {
  /**
   * `ExternalId` passed to `sts:AssumeRole`: needed when the hub role's trust policy has an
   * `sts:ExternalId` condition. 2 to 1224 characters of letters, digits and `+=,.@:/_-`.
   *
   * The value ends up in the function's environment (`BEDROCK_ASSUME_ROLE_EXTERNAL_ID`), where
   * anyone allowed `lambda:GetFunctionConfiguration` can read it. An ExternalId guards against the
   * confused-deputy problem; it is not a password.
   *
   * @default - with `hubRole`, the role's `externalId`; otherwise no ExternalId is sent
   */
  readonly externalId?: string;

  /**
   * `RoleSessionName` of the hub session, which the hub account's CloudTrail records for every
   * Bedrock call. 2 to 64 characters of letters, digits and `+=,.@_-`.
   *
   * @default - the name of the calling function (`AWS_LAMBDA_FUNCTION_NAME`, made valid), so that
   * CloudTrail in the hub attributes each call to its function
   */
  readonly sessionName?: string;
}

/** Properties of a {@link BedrockHubAccess}: the hub role, by ARN or as a `BedrockHubRole`, and options. */
export interface BedrockHubAccessProps extends BedrockHubAccessOptions {
  /**
   * ARN of the role to assume in the Bedrock hub account, for example
   * `arn:aws:iam::111122223333:role/BedrockHubRole`. Give this or `hubRole`.
   *
   * A literal ARN is checked when the construct is built: partition, 12-digit account, `role/`
   * resource, no whitespace (the ExternalId pasted after the ARN is the classic mistake). A token,
   * such as a `CfnParameter`'s `valueAsString`, is passed through unchecked and must be validated
   * where its value is decided: `BedrockHubAccess.fromParameters` does that with an
   * `AllowedPattern`, and also turns hub access off when the parameter is left empty.
   *
   * When a `BedrockHubRole` with this ARN is defined in the same app, the two are checked against
   * each other at synth, as with `hubRole`.
   *
   * @default - the ARN of `hubRole`
   */
  readonly hubRoleArn?: string;

  /**
   * The hub role, when it is defined in the same app (usually in the hub account's stack): its
   * ARN and ExternalId are used, and at synth both sides are checked against each other
   * (ExternalId, trusted accounts and principal patterns against the functions' roles, session
   * tags, source identity, session duration). Give this or `hubRoleArn`.
   *
   * Its stack needs a concrete account (`env`), so that its ARN is a plain string; an ExternalId
   * that is a token (a NoEcho parameter of the hub stack) cannot cross to the workload stack: pass
   * `externalId` then.
   *
   * @default - the role given by `hubRoleArn`
   */
  readonly hubRole?: BedrockHubRole;
}
