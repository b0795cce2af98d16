import {
  Annotations,
  AspectPriority,
  Aspects,
  Aws,
  CfnCondition,
  CfnParameter,
  Duration,
  Fn,
  IResource,
  Lazy,
  Names,
  Stack,
  Token,
  TokenComparison,
  Tokenization,
} from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { ApplyToAllOptions, BedrockHubAccessAspect } from './bedrock-hub-access-aspect';
import { BedrockHubRole } from './bedrock-hub-role';
import {
  ENV,
  EXTERNAL_ID_PATTERN_SOURCE,
  ROLE_ARN_PATTERN_SOURCE,
  SESSION_NAME_PATTERN_SOURCE,
  describeAccountIdProblem,
  describeDurationProblem,
  describeExternalIdProblem,
  describeRoleArnProblem,
  describeSessionNameProblem,
  describeSessionTagsProblem,
  describeSourceIdentityProblem,
  describeTagKeyProblem,
  parseRoleArn,
  parseTargets,
  TargetRole,
} from './contract';
import { isFunctionInVpc, endpointServesFunction, isImmutableRole, isLambdaAtEdge, stsEndpointsInApp } from './private/lambda-facts';
import { CallerSide, checkPairing } from './private/pairing';
import { WARNINGS } from './private/warnings';

/** Options of a target role, see {@link BedrockHubAccess.addTarget}. */
export interface HubTargetOptions {
  /**
   * `ExternalId` passed to `sts:AssumeRole` of this role (each target has its own). 2 to 1224
   * characters of letters, digits and `+=,.@:/_-`.
   *
   * @default - none; with `addTargetRole`, the BedrockHubRole's `externalId`
   */
  readonly externalId?: string;

  /**
   * The account the role is expected in (12 digits): checked against the role ARN, to catch an ARN
   * copied from the wrong account.
   *
   * @default - the role ARN's account, unchecked
   */
  readonly account?: string;
}

/**
 * A role in a further account, assumed for the resources that live there (agents, knowledge
 * bases, …): the runtime shim's `hub.forAccount(account)` and `hub.forResource(arn)` sign as it.
 */
export interface HubTarget extends HubTargetOptions {
  /** The role's ARN, e.g. `arn:aws:iam::333333333333:role/BedrockAgentsRole`. One role per account, none in the hub role's account. */
  readonly roleArn: string;
}

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

/**
 * Options of {@link BedrockHubAccess.fromParameters}. None of them is a parameter: they are fixed
 * at synth, and deployed only when `BedrockHubRoleArn` is set.
 */
export interface BedrockHubAccessParametersOptions extends BedrockHubAccessCommonOptions {}

/**
 * The deploy-time parameters and condition that {@link BedrockHubAccess.fromParameters} adds to
 * its stack.
 */
export interface BedrockHubAccessParameters {
  /** `BedrockHubRoleArn`: the hub role's ARN; empty turns hub access off. */
  readonly hubRoleArn: CfnParameter;

  /** `BedrockHubRoleExternalId` (NoEcho): the ExternalId; empty sends none. */
  readonly externalId: CfnParameter;

  /** `BedrockHubRoleSessionName`: the RoleSessionName; empty uses the function's name. */
  readonly sessionName: CfnParameter;

  /**
   * `BedrockHubRoleEnabled`: true when `BedrockHubRoleArn` is not empty. Put it on your own
   * resources (`cfnOptions.condition`, `Fn.conditionIf`) that only make sense with a hub.
   */
  readonly enabled: CfnCondition;
}

/** Options of {@link BedrockHubAccess.addStsEndpoint}. */
export interface StsEndpointOptions {
  /**
   * Subnets to place the endpoint's network interfaces in, at most one per Availability Zone.
   *
   * @default - the VPC's private subnets, one per Availability Zone (the `InterfaceVpcEndpoint` default)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Security groups of the endpoint. Functions that hub access applies to are allowed in on
   * port 443 in any case.
   *
   * @default - a new security group that admits only the functions hub access applies to
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** Logical ids of the parameters and conditions of parameter mode; fixed, so that deploy scripts can rely on them. */
const PARAMETER = {
  ROLE_ARN: 'BedrockHubRoleArn',
  EXTERNAL_ID: 'BedrockHubRoleExternalId',
  SESSION_NAME: 'BedrockHubRoleSessionName',
  ENABLED: 'BedrockHubRoleEnabled',
  EXTERNAL_ID_SET: 'BedrockHubRoleExternalIdSet',
  SESSION_NAME_SET: 'BedrockHubRoleSessionNameSet',
} as const;

/** `[Ee][Xx]…`: a case-insensitive literal without flags, which CloudFormation's patterns cannot take. */
function anyCase(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');
}

/**
 * `describeRoleArnProblem`'s check for an ExternalId pasted after the role name
 * (`…:role/Hub,ExternalId=…`, which the ARN pattern itself accepts: ',' and '=' are legal in role
 * names), as a lookahead that JavaScript and CloudFormation (Java) both run. Whitespace needs no
 * case here: the ARN pattern rejects it.
 */
const NO_PASTED_EXTERNAL_ID = `(?!.*[,;|]${anyCase('external')}[_-]?${anyCase('id')}[:=])`;

/** `AllowedPattern`s of the parameters: empty, or a valid value; anchored, so nothing else can sneak in. */
const PARAMETER_PATTERN = {
  ROLE_ARN: `^(|${NO_PASTED_EXTERNAL_ID}${ROLE_ARN_PATTERN_SOURCE})$`,
  EXTERNAL_ID: `^(|${EXTERNAL_ID_PATTERN_SOURCE})$`,
  SESSION_NAME: `^(|${SESSION_NAME_PATTERN_SOURCE})$`,
} as const;

const INTERFACE_METADATA = 'AWS::CloudFormation::Interface';
const STS_INGRESS_DESCRIPTION = 'sts:AssumeRole of the Bedrock hub role (BedrockHubAccess)';

/** The conditions that switch hub access on and off in one stack (parameter mode). */
interface Conditions {
  readonly enabled: CfnCondition;
  readonly externalIdSet: CfnCondition;
  readonly sessionNameSet: CfnCondition;
}

/** What one stack holds for this construct. */
interface StackBinding {
  readonly anchor: Construct;
  readonly conditions?: Conditions;
  /** The variables every function of the stack gets; `BEDROCK_ASSUME_ROLE_TARGETS` only once there is a target. */
  readonly environment: Partial<Record<string, string>>;
  policy?: iam.Policy;
  /** The statement of `policy`: sts:AssumeRole & co. on the hub role and every target role. */
  statement?: iam.PolicyStatement;
}

/** A target role, as given. */
interface Target {
  readonly roleArn: string;
  readonly externalId?: string;
  /** The BedrockHubRole it is (addTargetRole), to check both sides against each other. */
  readonly role?: BedrockHubRole;
  /** How errors name it: `targets[1]`. */
  readonly label: string;
}

/** Which construct applies to a function, and how. A function assumes one hub role. */
interface Claim {
  readonly access: BedrockHubAccess;
  readonly viaAspect: boolean;
}

/** The variables this construct sets, and so owns, on the functions it applies to: the whole contract. */
const MANAGED_VARIABLES = [
  ENV.ROLE_ARN, ENV.EXTERNAL_ID, ENV.SESSION_NAME, ENV.DURATION_SECONDS,
  ENV.TARGETS, ENV.SESSION_TAGS, ENV.FUNCTION_NAME_TAG_KEY, ENV.SOURCE_IDENTITY,
];

/** The property that sets each variable, for error messages. */
const VARIABLE_PROPERTY: Record<string, string> = {
  [ENV.ROLE_ARN]: 'hubRoleArn or hubRole',
  [ENV.EXTERNAL_ID]: 'externalId',
  [ENV.SESSION_NAME]: 'sessionName',
  [ENV.DURATION_SECONDS]: 'sessionDuration',
  [ENV.TARGETS]: 'targets, addTarget, addTargetRole',
  [ENV.SESSION_TAGS]: 'sessionTags',
  [ENV.FUNCTION_NAME_TAG_KEY]: 'functionNameTagKey',
  [ENV.SOURCE_IDENTITY]: 'sourceIdentity',
};

const claims = new WeakMap<lambda.Function, Claim>();
const parameterOwners = new WeakMap<Stack, BedrockHubAccess>();

/** A role, user or group: something an `iam.Policy` can be attached to. */
interface PolicyHolder extends IResource {
  attachInlinePolicy(policy: iam.Policy): void;
}

function asPolicyHolder(principal: iam.IPrincipal): PolicyHolder | undefined {
  const candidate = principal as Partial<PolicyHolder>;
  return Construct.isConstruct(principal) && typeof candidate.attachInlinePolicy === 'function'
    ? (principal as unknown as PolicyHolder)
    : undefined;
}

/**
 * Gives Lambda functions of a workload account access to Amazon Bedrock through a role in a
 * central hub account.
 *
 * For each function it applies to, it
 * - grants the function's role `sts:AssumeRole` on exactly the hub role and the target roles, plus
 *   `sts:TagSession` / `sts:SetSourceIdentity` when session tags / a source identity are used (one
 *   shared policy statement per stack, whatever the number of functions), and
 * - sets the `BEDROCK_ASSUME_ROLE_*` environment variables that the runtime shim
 *   (`bedrock-hub-access/lambda-shim`) reads to build Bedrock clients on hub credentials.
 *
 * ```ts
 * const hub = new BedrockHubAccess(this, 'BedrockHub', {
 *   hubRoleArn: 'arn:aws:iam::111122223333:role/BedrockHubRole',
 * });
 * hub.applyToAll(this); // every lambda.Function in this stack, including ones added later
 * ```
 *
 * With the hub stack in the same app, build it from the `BedrockHubRole`: its ARN and ExternalId
 * are used, and synth fails, naming both sides, when they disagree (ExternalId, trusted accounts
 * and principal patterns, session tags, source identity, session duration):
 *
 * ```ts
 * BedrockHubAccess.fromHubRole(workloadStack, 'BedrockHub', hubRole).applyToAll(workloadStack);
 * ```
 *
 * Or let whoever deploys decide, with `BedrockHubRoleArn` & co. parameters that switch it off when empty:
 *
 * ```ts
 * BedrockHubAccess.fromParameters(this, 'BedrockHub').applyToAll(this);
 * ```
 *
 * BedrockHubAccess owns every `BEDROCK_ASSUME_ROLE_*` variable of the contract on the functions it
 * applies to (`_ARN`, `_EXTERNAL_ID`, `_SESSION_NAME`, `_DURATION_SECONDS`, `_TARGETS`,
 * `_SESSION_TAGS`, `_FUNCTION_NAME_TAG_KEY`, `_SOURCE_IDENTITY`): a value set by other means that
 * differs from what it sets is an error (set through other means, a target or a tag would lack its
 * IAM permission), as is a second BedrockHubAccess applied directly to the same function.
 */
export class BedrockHubAccess extends Construct {
  /**
   * Creates a BedrockHubAccess driven by deploy-time parameters, the way the GenAI IDP
   * Accelerator's hub mode works:
   *
   * - `BedrockHubRoleArn` (default empty): the hub role. Empty at deploy time means the stack
   *   gets no `sts:AssumeRole` statement and no `BEDROCK_ASSUME_ROLE_*` variable, exactly as
   *   if the construct were absent. Its `AllowedPattern` accepts one role ARN and rejects
   *   whitespace, so an ExternalId pasted into the same field fails the deployment up front.
   * - `BedrockHubRoleExternalId` (NoEcho, default empty): the ExternalId; empty sends none.
   *   NoEcho keeps it out of the stack's parameter listing; the functions' environment holds it.
   * - `BedrockHubRoleSessionName` (default empty): the RoleSessionName; empty uses the
   *   function's name.
   *
   * They appear as one group in the console (`AWS::CloudFormation::Interface` metadata), and are
   * switched by the conditions `BedrockHubRoleEnabled`, `BedrockHubRoleExternalIdSet` and
   * `BedrockHubRoleSessionNameSet`. A stack holds one such set.
   *
   * Functions it applies to must be in this stack or in its nested stacks (whose conditions
   * are derived from the same parameters); a CloudFormation condition cannot reach another stack.
   */
  public static fromParameters(scope: Construct, id: string, options: BedrockHubAccessParametersOptions = {}): BedrockHubAccess {
    const stack = Stack.of(scope);
    const owner = parameterOwners.get(stack);
    if (owner || stack.node.tryFindChild(PARAMETER.ROLE_ARN)) {
      const by = owner ? ` (created by BedrockHubAccess '${owner.node.path}')` : '';
      throw new Error(
        `BedrockHubAccess.fromParameters('${id}'): stack '${stack.node.path}' already has the ${PARAMETER.ROLE_ARN} parameter${by}. ` +
        'A template holds one set of hub parameters: reuse that BedrockHubAccess (applyTo / applyToAll) instead of calling fromParameters again.',
      );
    }

    const hubRoleArn = new CfnParameter(stack, PARAMETER.ROLE_ARN, {
      type: 'String',
      default: '',
      allowedPattern: PARAMETER_PATTERN.ROLE_ARN,
      constraintDescription:
        'must be empty (no hub: Bedrock is called in this account) or exactly one IAM role ARN, such as ' +
        'arn:aws:iam::111122223333:role/BedrockHubRole, with a 12-digit account and no spaces. ' +
        `If you pasted the role ARN and the ExternalId into this one field, put the ExternalId in ${PARAMETER.EXTERNAL_ID} instead.`,
      description:
        'ARN of the role to assume in the Amazon Bedrock hub account, e.g. arn:aws:iam::111122223333:role/BedrockHubRole. ' +
        'Leave empty to call Bedrock in this account: then no sts:AssumeRole permission and no BEDROCK_ASSUME_ROLE_* variable is deployed.',
    });
    const externalId = new CfnParameter(stack, PARAMETER.EXTERNAL_ID, {
      type: 'String',
      default: '',
      noEcho: true,
      allowedPattern: PARAMETER_PATTERN.EXTERNAL_ID,
      constraintDescription: 'must be empty or 2 to 1224 characters of letters, digits and + = , . @ : / _ - (no spaces).',
      description: `ExternalId required by the hub role's trust policy, passed to sts:AssumeRole. Leave empty if the trust policy requires none. Only used when ${PARAMETER.ROLE_ARN} is set.`,
    });
    const sessionName = new CfnParameter(stack, PARAMETER.SESSION_NAME, {
      type: 'String',
      default: '',
      allowedPattern: PARAMETER_PATTERN.SESSION_NAME,
      constraintDescription: 'must be empty or 2 to 64 characters of letters, digits and + = , . @ _ - (no spaces).',
      description: `RoleSessionName recorded by CloudTrail in the hub account. Leave empty to use each function's name. Only used when ${PARAMETER.ROLE_ARN} is set.`,
    });

    const enabled = new CfnCondition(stack, PARAMETER.ENABLED, {
      expression: Fn.conditionNot(Fn.conditionEquals(hubRoleArn.valueAsString, '')),
    });
    const conditions: Conditions = {
      enabled,
      externalIdSet: new CfnCondition(stack, PARAMETER.EXTERNAL_ID_SET, {
        expression: Fn.conditionAnd(enabled, Fn.conditionNot(Fn.conditionEquals(externalId.valueAsString, ''))),
      }),
      sessionNameSet: new CfnCondition(stack, PARAMETER.SESSION_NAME_SET, {
        expression: Fn.conditionAnd(enabled, Fn.conditionNot(Fn.conditionEquals(sessionName.valueAsString, ''))),
      }),
    };
    addParameterGroup(stack);

    const access = new BedrockHubAccess(scope, id, {
      hubRoleArn: hubRoleArn.valueAsString,
      externalId: externalId.valueAsString,
      sessionName: sessionName.valueAsString,
      sessionDuration: options.sessionDuration,
      targets: options.targets,
      sessionTags: options.sessionTags,
      functionNameTagKey: options.functionNameTagKey,
      sourceIdentity: options.sourceIdentity,
    });
    access._parameters = { hubRoleArn, externalId, sessionName, enabled };
    access.deployTime = { home: stack, conditions };
    parameterOwners.set(stack, access);
    if (options.functions) access.applyTo(...options.functions);
    return access;
  }

  /**
   * Creates a BedrockHubAccess for a `BedrockHubRole` of the same app (usually in the hub
   * account's stack): its ARN and ExternalId are used, and at synth both sides are checked against
   * each other. The same as `new BedrockHubAccess(scope, id, { ...options, hubRole })`.
   *
   * ```ts
   * const hubRole = new BedrockHubRole(hubStack, 'HubRole', { trustedAccounts: [workloadAccount], externalId, models });
   * BedrockHubAccess.fromHubRole(workloadStack, 'BedrockHub', hubRole).applyToAll(workloadStack);
   * ```
   */
  public static fromHubRole(scope: Construct, id: string, hubRole: BedrockHubRole, options: BedrockHubAccessOptions = {}): BedrockHubAccess {
    return new BedrockHubAccess(scope, id, { ...options, hubRole });
  }

  /** ARN of the hub role (a token in parameter mode). */
  public readonly hubRoleArn: string;

  /**
   * The hub role, when given as a `BedrockHubRole`.
   *
   * @default - given by ARN only
   */
  public readonly hubRole?: BedrockHubRole;

  /**
   * Static session tags passed on every AssumeRole.
   *
   * @default - none
   */
  public readonly sessionTags?: { [key: string]: string };

  /**
   * The session tag key that carries each function's name.
   *
   * @default - none
   */
  public readonly functionNameTagKey?: string;

  /**
   * `SourceIdentity` set on every AssumeRole.
   *
   * @default - none
   */
  public readonly sourceIdentity?: string;

  /**
   * `RoleSessionName` given to the functions.
   *
   * @default - the function's name
   */
  public readonly sessionName?: string;

  /**
   * Duration of hub sessions.
   *
   * @default - the runtime shim's default
   */
  public readonly sessionDuration?: Duration;

  private readonly externalId?: string;
  private readonly durationSeconds?: string;
  private readonly targetList: Target[] = [];
  private readonly bindings = new Map<Stack, StackBinding>();
  private readonly applied: lambda.Function[] = [];
  private readonly endpoints: { readonly vpc: ec2.IVpc; readonly endpoint: ec2.InterfaceVpcEndpoint }[] = [];
  private _parameters?: BedrockHubAccessParameters;
  private deployTime?: { readonly home: Stack; readonly conditions: Conditions };

  constructor(scope: Construct, id: string, props: BedrockHubAccessProps) {
    super(scope, id);

    const hub = this.hubRoleOf(props);
    this.checkRoleArn(hub.roleArn);
    if (hub.externalId !== undefined && !Token.isUnresolved(hub.externalId)) {
      const problem = describeExternalIdProblem(hub.externalId);
      if (problem) {
        throw new Error(`${this.describe()}: externalId ${problem} Fix the value, or leave externalId out if the hub role's trust policy requires none.`);
      }
    }
    if (props.sessionName !== undefined && !Token.isUnresolved(props.sessionName)) {
      const problem = describeSessionNameProblem(props.sessionName);
      if (problem) {
        throw new Error(`${this.describe()}: sessionName ${problem} Fix the value, or leave sessionName out to use each function's name.`);
      }
    }
    if (props.sessionDuration !== undefined) {
      const seconds = props.sessionDuration.toSeconds({ integral: false });
      const problem = Token.isUnresolved(seconds) ? undefined : describeDurationProblem(seconds);
      if (problem) {
        throw new Error(`${this.describe()}: sessionDuration ${problem} Use a Duration between Duration.minutes(15) and Duration.hours(1).`);
      }
      this.durationSeconds = Tokenization.stringifyNumber(seconds);
    }
    this.checkSessionTags(props.sessionTags ?? {}, props.functionNameTagKey);
    if (props.sourceIdentity !== undefined && !Token.isUnresolved(props.sourceIdentity)) {
      const problem = describeSourceIdentityProblem(props.sourceIdentity);
      if (problem) {
        throw new Error(`${this.describe()}: sourceIdentity ${problem} Use 2 to 64 letters, digits and + = , . @ _ -, e.g. 'orders-service'.`);
      }
    }

    this.hubRoleArn = hub.roleArn;
    this.hubRole = props.hubRole;
    this.externalId = hub.externalId;
    this.sessionName = props.sessionName;
    this.sessionDuration = props.sessionDuration;
    this.sessionTags = props.sessionTags && Object.keys(props.sessionTags).length > 0 ? { ...props.sessionTags } : undefined;
    this.functionNameTagKey = props.functionNameTagKey;
    this.sourceIdentity = props.sourceIdentity;

    this.node.addValidation({ validate: () => [...this.validateFunctions(), ...this.validatePairing()] });

    for (const target of props.targets ?? []) {
      this.addTarget(target.roleArn, { externalId: target.externalId, account: target.account });
    }
    if (props.functions) this.applyTo(...props.functions);
  }

  /**
   * The target roles so far, with their ExternalIds.
   */
  public get targets(): HubTarget[] {
    return this.targetList.map(asTargetRole);
  }

  /**
   * Adds a role in a further account, for the Bedrock resources that live there (agents,
   * knowledge bases): the functions may assume it (`sts:AssumeRole`, and `sts:TagSession` /
   * `sts:SetSourceIdentity` when used, on exactly this ARN, in the stack's shared statement), and
   * find it in `BEDROCK_ASSUME_ROLE_TARGETS`, where the runtime shim's `hub.forAccount(account)`
   * and `hub.forResource(arn)` pick it up. Functions applied before and after get it.
   *
   * Checked at synth: a role ARN (as the hub role's is), in the stack's partition, in the
   * `account` given, one per account, not in the hub role's account (that one is the hub's). When
   * a `BedrockHubRole` with this ARN is in the same app, both sides are checked against each other.
   *
   * @param roleArn the role's ARN, e.g. `arn:aws:iam::333333333333:role/BedrockAgentsRole`
   */
  public addTarget(roleArn: string, options: HubTargetOptions = {}): void {
    this.pushTarget({ roleArn, externalId: options.externalId, label: `targets[${this.targetList.length}]` }, options.account);
  }

  /**
   * Adds a `BedrockHubRole` of the same app (in another account) as a target, as `addTarget` does
   * with its ARN and ExternalId; both sides are checked against each other at synth.
   */
  public addTargetRole(role: BedrockHubRole, options: HubTargetOptions = {}): void {
    const label = `targets[${this.targetList.length}]`;
    const { roleArn, externalId } = this.roleSettings(role, options.externalId, `addTargetRole (${label})`, 'addTargetRole\'s externalId option');
    this.pushTarget({ roleArn, externalId, role, label }, options.account);
  }

  /**
   * The deploy-time parameters and condition, when this construct was made by
   * {@link BedrockHubAccess.fromParameters}.
   *
   * @default - none: the hub role is fixed at synth time
   */
  public get parameters(): BedrockHubAccessParameters | undefined {
    return this._parameters;
  }

  /** The functions hub access was applied to so far. */
  public get functions(): lambda.Function[] {
    return [...this.applied];
  }

  /**
   * Applies hub access to functions: grants each function's role `sts:AssumeRole` on the hub role
   * and sets the `BEDROCK_ASSUME_ROLE_*` environment variables. Applying twice is harmless.
   *
   * Fails on a function defined outside this app (`lambda.Function.fromFunctionArn` and the like:
   * its environment cannot be set from here), on a Lambda@Edge function (no environment
   * variables), on a function another BedrockHubAccess already applies to, and on a function
   * with a `BEDROCK_ASSUME_ROLE_*` variable set by other means to something else.
   */
  public applyTo(...functions: lambda.Function[]): void {
    for (const fn of functions) this.apply(fn, false);
  }

  /**
   * Applies hub access to every `lambda.Function` in `scope`, nested constructs and nested stacks
   * included, also to functions added after this call (through an Aspect, run at synthesis).
   *
   * Skipped, so that aws-cdk-lib's own machinery keeps working as it is:
   * - singleton provider functions (`lambda.SingletonFunction`, which backs `BucketDeployment`,
   *   `AwsCustomResource`…) and the functions of `custom_resources.Provider` frameworks (info
   *   message on each);
   * - Lambda@Edge functions, which cannot have environment variables (acknowledgeable warning
   *   `bedrock-hub-access:edgeFunctionSkipped`);
   * - in parameter mode, functions in stacks the parameters cannot reach (acknowledgeable warning
   *   `bedrock-hub-access:outsideParameterStack`);
   * - functions another BedrockHubAccess was applied to directly: the direct one wins;
   * - everything under `options.exclude`.
   *
   * CloudFormation-level providers (`CustomResourceProvider`, log retention) are not
   * `lambda.Function`s and are never touched. Call `applyTo` on a skipped function to include it.
   */
  public applyToAll(scope: IConstruct, options: ApplyToAllOptions = {}): void {
    Aspects.of(scope).add(new BedrockHubAccessAspect(this, options), { priority: AspectPriority.MUTATING });
  }

  /**
   * Grants `sts:AssumeRole` on exactly the hub role and the target roles, plus `sts:TagSession`
   * when session tags are used and `sts:SetSourceIdentity` when a source identity is.
   *
   * Roles, users and groups get it through one policy per stack that this construct shares
   * among all of them (in parameter mode a conditional one, absent when `BedrockHubRoleArn` is
   * empty); targets added later are added to it. Other principals get a statement in their own
   * policy, with the targets known at the time of the call; parameter mode cannot make that
   * conditional, so there they are an error.
   *
   * A role imported with `mutable: false` (or `withoutPolicyUpdates()`), or one in another
   * account, is left unchanged: the returned grant then reports `success === false`.
   */
  public grantAssumeRole(grantee: iam.IGrantable): iam.Grant {
    const principal = grantee.grantPrincipal;
    const options = { actions: this.stsActions(), resourceArns: this.assumableRoleArns() };
    const holder = asPolicyHolder(principal);
    if (holder) {
      return iam.Grant.addToPrincipal({ ...options, grantee: new SharedPolicyPrincipal(principal, () => this.attachPolicy(holder)) });
    }
    if (this.deployTime) {
      throw new Error(
        `${this.describe()}: grantAssumeRole(${principal}): in parameter mode the grant must disappear when ${PARAMETER.ROLE_ARN} is empty, ` +
        'which only a policy attached to a role, user or group can do. Grant to the role (or user, or group) behind this principal.',
      );
    }
    return iam.Grant.addToPrincipal({ ...options, grantee });
  }

  /**
   * Makes STS reachable from the functions in `vpc` that hub access applies to, now or later:
   * an STS interface endpoint with private DNS (so the standard regional STS hostname resolves
   * to it), open on port 443 to those functions' security groups only.
   *
   * A VPC can have one STS endpoint with private DNS: if the app already defines one for this
   * VPC, that one is used (and `options` are ignored). Calling it again for the same VPC returns
   * the same endpoint. The endpoint does not depend on the deploy-time parameters of
   * parameter mode: it is plain network infrastructure.
   *
   * Without an STS endpoint (or a NAT route to the public one), `sts:AssumeRole` from a VPC
   * function hangs until it times out; functions in a VPC that has none get the warning
   * `bedrock-hub-access:noStsEndpoint`.
   */
  public addStsEndpoint(vpc: ec2.IVpc, options: StsEndpointOptions = {}): ec2.InterfaceVpcEndpoint {
    const known = this.endpoints.find((e) => e.vpc === vpc || e.vpc.vpcId === vpc.vpcId);
    if (known) return known.endpoint;

    const existing = stsEndpointsInApp(this).find((e) => e.vpcId === vpc.vpcId);
    const endpoint = existing?.endpoint ?? new ec2.InterfaceVpcEndpoint(this, this.endpoints.length === 0 ? 'StsEndpoint' : `StsEndpoint${this.endpoints.length + 1}`, {
      vpc,
      service: ec2.InterfaceVpcEndpointAwsService.STS,
      privateDnsEnabled: true,
      open: false,
      subnets: options.subnets,
      securityGroups: options.securityGroups,
    });
    this.endpoints.push({ vpc, endpoint });
    for (const fn of this.applied) {
      if (isFunctionInVpc(fn, vpc)) endpoint.connections.allowDefaultPortFrom(fn, STS_INGRESS_DESCRIPTION);
    }
    return endpoint;
  }

  /**
   * Applies hub access to a function found by {@link BedrockHubAccessAspect}: like `applyTo`, but
   * a function applied directly by another BedrockHubAccess is left to it, and in parameter mode
   * a function out of the parameters' reach is skipped with a warning.
   *
   * @internal
   */
  public _applyFromAspect(fn: lambda.Function): void {
    const claim = claims.get(fn);
    if (claim?.access === this) return;
    if (claim && !claim.viaAspect) {
      Annotations.of(fn).addInfo(
        `BedrockHubAccess '${this.node.path}' (applyToAll) left this function to BedrockHubAccess '${claim.access.node.path}', which was applied to it directly.`,
      );
      return;
    }
    if (this.deployTime && !isSameOrNestedIn(Stack.of(fn), this.deployTime.home)) {
      Annotations.of(fn).addWarningV2(
        WARNINGS.OUTSIDE_PARAMETER_STACK.id,
        `BedrockHubAccess '${this.node.path}' (applyToAll) skipped this function: it is in stack '${Stack.of(fn).node.path}', ` +
        `which the ${PARAMETER.ROLE_ARN} parameter of stack '${this.deployTime.home.node.path}' cannot switch. ` +
        'Call BedrockHubAccess.fromParameters in that stack for its functions, or acknowledge this warning if the function needs no hub access.',
      );
      return;
    }
    this.apply(fn, true);
  }

  private apply(fn: lambda.Function, viaAspect: boolean): void {
    this.assertDefinedHere(fn);
    const claim = claims.get(fn);
    if (claim?.access === this) return;
    if (claim) {
      throw new Error(
        `${this.describe()} (hub role ${this.describeArn()}) cannot apply to function '${fn.node.path}': ` +
        `BedrockHubAccess '${claim.access.node.path}' (hub role ${claim.access.describeArn()}) already does${claim.viaAspect ? ' through applyToAll' : ''}, ` +
        `and a function assumes one hub role. Apply only one of them to this function${claim.viaAspect || viaAspect ? ' (applyToAll takes an exclude option)' : ''}.`,
      );
    }
    if (isLambdaAtEdge(fn)) {
      throw new Error(
        `${this.describe()}: function '${fn.node.path}' is a Lambda@Edge function (its role trusts edgelambda.amazonaws.com), ` +
        'and Lambda@Edge functions cannot have environment variables, which hub access needs. Call Bedrock from a regional function instead.',
      );
    }
    const role = fn.role;
    if (!role) {
      throw new Error(
        `${this.describe()}: function '${fn.node.path}' has no execution role, so it cannot be granted sts:AssumeRole on the hub role. ` +
        'Give the function a role (every lambda.Function defined in this app has one).',
      );
    }

    const binding = this.bindingFor(Stack.of(fn), fn);
    this.assertNoForeignVariables(fn, binding.environment);

    const grant = this.grantAssumeRole(fn);
    if (!grant.success) {
      Annotations.of(fn).addWarningV2(
        WARNINGS.ROLE_NOT_UPDATED.id,
        `The role of this function ('${role.node.path}') cannot be changed from this app (imported with mutable: false, ` +
        `withoutPolicyUpdates(), or in another account), so BedrockHubAccess '${this.node.path}' could not grant it sts:AssumeRole on ${this.describeArn()}. ` +
        'Grant it where the role is managed, or every AssumeRole call of this function will be denied.',
      );
    }
    for (const [key, value] of Object.entries(binding.environment)) {
      if (value !== undefined) fn.addEnvironment(key, value);
    }
    claims.set(fn, { access: this, viaAspect });
    this.applied.push(fn);

    for (const { vpc, endpoint } of this.endpoints) {
      if (isFunctionInVpc(fn, vpc)) endpoint.connections.allowDefaultPortFrom(fn, STS_INGRESS_DESCRIPTION);
    }
  }

  /** Rejects anything that is not a `lambda.Function` defined in this app (a jsii caller can pass anything). */
  private assertDefinedHere(fn: lambda.Function): void {
    if (fn instanceof lambda.Function) return;
    const given: unknown = fn;
    const what = Construct.isConstruct(given) ? `'${given.node.path}'` : `the value ${String(given)}`;
    throw new Error(
      `${this.describe()}: ${what} is not a lambda.Function defined in this app. ` +
      'A function imported with lambda.Function.fromFunctionArn / fromFunctionAttributes, an alias or a version cannot have its environment set from here: ' +
      'apply BedrockHubAccess in the app that defines the function, or there set the BEDROCK_ASSUME_ROLE_* variables and grant sts:AssumeRole on the hub role to its role.',
    );
  }

  /**
   * Throws when the function already has one of the variables this construct manages with a value
   * other than the one this construct sets. Values are never repeated: one may be an ExternalId.
   */
  private assertNoForeignVariables(fn: lambda.Function, ours: Partial<Record<string, string>>): void {
    const problem = this.foreignVariable(fn, ours);
    if (problem) throw new Error(problem);
  }

  private foreignVariable(fn: lambda.Function, ours: Partial<Record<string, string>>): string | undefined {
    const stack = Stack.of(fn);
    const current = currentVariables(fn);
    for (const key of MANAGED_VARIABLES) {
      if (!(key in current)) continue;
      const expected = ours[key];
      if (expected !== undefined && JSON.stringify(stack.resolve(expected)) === JSON.stringify(current[key])) continue;
      return `${this.describe()}: function '${fn.node.path}' has the environment variable ${key} set by other means to a value ` +
        `${expected === undefined ? 'that BedrockHubAccess does not set' : 'other than the one BedrockHubAccess sets'}. ` +
        `BedrockHubAccess owns ${MANAGED_VARIABLES.join(', ')} on the functions it applies to: remove ` +
        `${key} from the function's environment and configure it through BedrockHubAccess's properties (${VARIABLE_PROPERTY[key]}).`;
    }
    return undefined;
  }

  /** Everything that can only be judged once the app is complete. Warnings are annotations; errors fail synthesis. */
  private validateFunctions(): string[] {
    const errors: string[] = [];
    let appEndpoints: ReturnType<typeof stsEndpointsInApp> | undefined;
    for (const fn of this.applied) {
      const binding = this.bindingFor(Stack.of(fn), fn);
      const foreign = this.foreignVariable(fn, binding.environment);
      if (foreign) errors.push(foreign);
      if (isLambdaAtEdge(fn)) {
        errors.push(
          `${this.describe()}: function '${fn.node.path}' was made a Lambda@Edge function (its role trusts edgelambda.amazonaws.com) after hub access was applied; ` +
          'Lambda@Edge functions cannot have environment variables. Do not apply hub access to it.',
        );
      }
      if (!fn.isBoundToVpc || this.endpoints.some((e) => isFunctionInVpc(fn, e.vpc))) continue;
      appEndpoints ??= stsEndpointsInApp(this);
      if (appEndpoints.some((e) => endpointServesFunction(e, fn))) continue;
      Annotations.of(fn).addWarningV2(
        WARNINGS.NO_STS_ENDPOINT.id,
        'This function runs in a VPC for which this app defines no STS interface endpoint. Unless its subnets reach the internet through a NAT gateway, ' +
        'sts:AssumeRole of the Bedrock hub role will hang or fail, and with it every Bedrock call. ' +
        `Add one with addStsEndpoint(vpc) on BedrockHubAccess '${this.node.path}', or acknowledge this warning if the VPC has an STS endpoint or NAT route defined elsewhere.`,
      );
    }
    return errors;
  }

  /** The binding for a stack: its conditions (parameter mode) and environment values. */
  private bindingFor(stack: Stack, subject: IConstruct): StackBinding {
    const existing = this.bindings.get(stack);
    if (existing) return existing;

    const home = Stack.of(this);
    const anchor = stack === home ? this : new Construct(stack, `BedrockHubAccess${Names.uniqueId(this)}`);
    let conditions: Conditions | undefined;
    if (this.deployTime) {
      if (!isSameOrNestedIn(stack, this.deployTime.home)) {
        throw new Error(
          `${this.describe()}: '${subject.node.path}' is in stack '${stack.node.path}', but the ${PARAMETER.ROLE_ARN} parameter that switches hub access ` +
          `on and off is in stack '${this.deployTime.home.node.path}', and a CloudFormation condition cannot reach another stack. ` +
          `Call BedrockHubAccess.fromParameters in stack '${stack.node.path}' for its functions.`,
        );
      }
      conditions = stack === this.deployTime.home ? this.deployTime.conditions : this.deriveConditions(anchor);
    }

    const when = (condition: CfnCondition | undefined, value: string): string =>
      condition ? Token.asString(Fn.conditionIf(condition.logicalId, value, Aws.NO_VALUE)) : value;
    const environment: Partial<Record<string, string>> = {
      [ENV.ROLE_ARN]: when(conditions?.enabled, this.hubRoleArn),
      [ENV.EXTERNAL_ID]: this.externalId === undefined ? undefined : when(conditions?.externalIdSet, this.externalId),
      [ENV.SESSION_NAME]: this.sessionName === undefined ? undefined : when(conditions?.sessionNameSet, this.sessionName),
      [ENV.DURATION_SECONDS]: this.durationSeconds === undefined ? undefined : when(conditions?.enabled, this.durationSeconds),
      [ENV.TARGETS]: this.targetList.length === 0 ? undefined : when(conditions?.enabled, this.targetsValue(stack)),
      [ENV.SESSION_TAGS]: this.sessionTags === undefined ? undefined : when(conditions?.enabled, stack.toJsonString(this.sessionTags)),
      [ENV.FUNCTION_NAME_TAG_KEY]: this.functionNameTagKey === undefined ? undefined : when(conditions?.enabled, this.functionNameTagKey),
      [ENV.SOURCE_IDENTITY]: this.sourceIdentity === undefined ? undefined : when(conditions?.enabled, this.sourceIdentity),
    };
    const binding: StackBinding = { anchor, conditions, environment };
    this.bindings.set(stack, binding);
    return binding;
  }

  /** The conditions of a nested stack: same expressions, the parameters passed in by CloudFormation. */
  private deriveConditions(anchor: Construct): Conditions {
    const parameters = this._parameters!;
    const enabled = new CfnCondition(anchor, 'Enabled', {
      expression: Fn.conditionNot(Fn.conditionEquals(parameters.hubRoleArn.valueAsString, '')),
    });
    return {
      enabled,
      externalIdSet: new CfnCondition(anchor, 'ExternalIdSet', {
        expression: Fn.conditionAnd(enabled, Fn.conditionNot(Fn.conditionEquals(parameters.externalId.valueAsString, ''))),
      }),
      sessionNameSet: new CfnCondition(anchor, 'SessionNameSet', {
        expression: Fn.conditionAnd(enabled, Fn.conditionNot(Fn.conditionEquals(parameters.sessionName.valueAsString, ''))),
      }),
    };
  }

  /** Attaches the stack's shared AssumeRole policy to a role, user or group, if it accepts policies. */
  private attachPolicy(holder: PolicyHolder): iam.AddToPrincipalPolicyResult {
    if (isImmutableRole(holder as unknown as iam.IRole)) return { statementAdded: false };
    const binding = this.bindingFor(Stack.of(holder), holder);
    if (!binding.policy) {
      binding.statement = new iam.PolicyStatement({
        sid: 'AssumeBedrockHubRole',
        actions: this.stsActions(),
        resources: this.assumableRoleArns(),
      });
      binding.policy = new iam.Policy(binding.anchor, 'AssumeHubRolePolicy', { statements: [binding.statement] });
      if (binding.conditions) {
        (binding.policy.node.defaultChild as iam.CfnPolicy).cfnOptions.condition = binding.conditions.enabled;
      }
    }
    if (Token.compareStrings(holder.env.account, binding.policy.env.account) === TokenComparison.DIFFERENT) {
      return { statementAdded: false };
    }
    holder.attachInlinePolicy(binding.policy);
    return { statementAdded: true, policyDependable: binding.policy };
  }

  /** The hub role's ARN and the ExternalId sent to it, from `hubRoleArn` or `hubRole`. */
  private hubRoleOf(props: BedrockHubAccessProps): TargetRole {
    if (props.hubRole !== undefined && props.hubRoleArn !== undefined) {
      throw new Error(
        `${this.describe()}: both hubRole and hubRoleArn are given. Give one: hubRole (BedrockHubAccess.fromHubRole) when the BedrockHubRole is in this app ` +
        '(its ARN and ExternalId are then taken from it, and both sides are checked against each other), hubRoleArn otherwise.',
      );
    }
    if (props.hubRole !== undefined) return this.roleSettings(props.hubRole, props.externalId, 'hubRole', 'externalId');
    if (props.hubRoleArn === undefined) {
      throw new Error(
        `${this.describe()}: no hub role is given. Give hubRoleArn (e.g. 'arn:aws:iam::111122223333:role/BedrockHubRole'), ` +
        'or hubRole when the BedrockHubRole is in this app (BedrockHubAccess.fromHubRole), or use BedrockHubAccess.fromParameters to decide at deploy time.',
      );
    }
    return { roleArn: props.hubRoleArn, externalId: props.externalId };
  }

  /** The ARN of a BedrockHubRole and the ExternalId to send it (`externalId` if given, else the role's). */
  private roleSettings(role: BedrockHubRole, externalId: string | undefined, prop: string, externalIdProp: string): TargetRole {
    const given: unknown = role;
    if (!(given instanceof BedrockHubRole)) {
      throw new Error(`${this.describe()}: ${prop} must be a BedrockHubRole defined in this app; for any other role, give its ARN.`);
    }
    const where = `${prop}: BedrockHubRole '${role.node.path}'`;
    if (Token.isUnresolved(role.roleArn)) {
      throw new Error(
        `${this.describe()}: ${where} has no concrete ARN, because its stack has no concrete account (env), so the workload side cannot name it. ` +
        'Give the hub stack an environment (new Stack(app, \'Hub\', { env: { account: \'111122223333\', region: \'us-east-1\' } })), or give the role ARN instead.',
      );
    }
    if (externalId !== undefined || !role._trust.externalIdRequired || role._trust.externalId === undefined) return { roleArn: role.roleArn, externalId };
    if (Token.isUnresolved(role._trust.externalId)) {
      throw new Error(
        `${this.describe()}: ${where} requires an ExternalId that is a token (such as a NoEcho parameter of the hub stack), whose value cannot be passed to the workload stack. ` +
        `Pass the same value as ${externalIdProp} (for instance from a NoEcho CfnParameter of the workload stack).`,
      );
    }
    return { roleArn: role.roleArn, externalId: role._trust.externalId };
  }

  /** Checks static tags and the function-name key together: keys, values, count, case clashes. */
  private checkSessionTags(tags: { [key: string]: string }, functionNameTagKey: string | undefined): void {
    const checked: Record<string, string> = {};
    for (const [key, value] of Object.entries(tags)) {
      if (Token.isUnresolved(key)) {
        throw new Error(`${this.describe()}: sessionTags has a token as a key; give tag keys literally (values may be tokens).`);
      }
      // A token value is checked by STS at run time; the shim reports it.
      checked[key] = Token.isUnresolved(value) ? '' : value;
    }
    if (functionNameTagKey !== undefined) {
      if (Token.isUnresolved(functionNameTagKey)) {
        throw new Error(`${this.describe()}: functionNameTagKey is a token; give the tag key literally, e.g. 'lambda-function'.`);
      }
      const problem = describeTagKeyProblem(functionNameTagKey);
      if (problem) throw new Error(`${this.describe()}: functionNameTagKey: ${problem} Use a key such as 'lambda-function'.`);
      const clash = Object.keys(checked).find((key) => key.toLowerCase() === functionNameTagKey.toLowerCase());
      if (clash !== undefined) {
        throw new Error(
          `${this.describe()}: functionNameTagKey '${functionNameTagKey}' is also a key of sessionTags ('${clash}'); STS treats tag keys case-insensitively, so a session would carry it twice. ` +
          'Use another key for the function name, or remove it from sessionTags.',
        );
      }
      // Function names are 1–64 of [A-Za-z0-9_-]: always a valid tag value.
      checked[functionNameTagKey] = 'function-name';
    }
    const problem = describeSessionTagsProblem(checked);
    if (problem) {
      const counted = functionNameTagKey !== undefined && /^has \d+ tags/.test(problem) ? ' (counting the functionNameTagKey tag)' : '';
      throw new Error(`${this.describe()}: sessionTags${/^has /.test(problem) ? ' ' : ': '}${problem}${counted} Fix the tags; the same rules apply at run time.`);
    }
  }

  /** Checks a target against the ones before it and the hub role, and adds it everywhere. */
  private pushTarget(target: Target, account: string | undefined): void {
    const where = `${this.describe()}: ${target.label}`;
    const { roleArn, externalId } = target;
    if (!Token.isUnresolved(roleArn)) {
      const problem = describeRoleArnProblem(roleArn);
      if (problem) throw new Error(`${where} roleArn ${problem}`);
      const parts = parseRoleArn(roleArn)!;
      const stack = Stack.of(this);
      if (!Token.isUnresolved(stack.partition) && stack.partition !== parts.partition) {
        throw new Error(`${where} roleArn is in the partition '${parts.partition}', but this stack deploys to '${stack.partition}', and roles cannot be assumed across partitions.`);
      }
      if (account !== undefined && !Token.isUnresolved(account)) {
        const accountProblem = describeAccountIdProblem(account);
        if (accountProblem) throw new Error(`${where} account ${accountProblem}`);
        if (account !== parts.account) {
          throw new Error(
            `${where} roleArn '${roleArn}' is in account ${parts.account}, but account says ${account}: the ARN was probably copied from another account's role. ` +
            `Use the role of account ${account}, or correct account.`,
          );
        }
      }
      const hub = Token.isUnresolved(this.hubRoleArn) ? undefined : parseRoleArn(this.hubRoleArn);
      if (hub && hub.account === parts.account) {
        throw new Error(
          `${where} roleArn '${roleArn}' is in the hub role's account ${hub.account}, which the hub role (${this.hubRoleArn}) serves: a target is for resources of another account. ` +
          'Grant the hub role access to those resources instead, and remove the target.',
        );
      }
      const earlier = this.targetList.find((t) => !Token.isUnresolved(t.roleArn) && parseRoleArn(t.roleArn)!.account === parts.account);
      if (earlier) {
        throw new Error(
          `${where} roleArn '${roleArn}' is in account ${parts.account}, like ${earlier.label} ('${earlier.roleArn}'): the runtime shim picks the role by account, so give one role per account.`,
        );
      }
    }
    if (externalId !== undefined && !Token.isUnresolved(externalId)) {
      const problem = describeExternalIdProblem(externalId);
      if (problem) throw new Error(`${where} externalId ${problem}`);
    }
    const literal = [...this.targetList, target].filter((t) => !Token.isUnresolved(JSON.stringify(asTargetRole(t))));
    const parsed = parseTargets(JSON.stringify(literal.map(asTargetRole)));
    if ('problem' in parsed) throw new Error(`${where}: ${ENV.TARGETS} would be refused by the runtime shim: ${parsed.problem}`);

    const first = this.targetList.length === 0;
    this.targetList.push(target);
    for (const binding of this.bindings.values()) binding.statement?.addResources(roleArn);
    if (!first) return;
    // The first target: functions applied so far get the variable too.
    for (const [stack, binding] of this.bindings) {
      const value = this.targetsValue(stack);
      binding.environment[ENV.TARGETS] = binding.conditions
        ? Token.asString(Fn.conditionIf(binding.conditions.enabled.logicalId, value, Aws.NO_VALUE))
        : value;
    }
    for (const fn of this.applied) fn.addEnvironment(ENV.TARGETS, this.bindingFor(Stack.of(fn), fn).environment[ENV.TARGETS]!);
  }

  /** `BEDROCK_ASSUME_ROLE_TARGETS` for a stack: the JSON of every target, including ones added later. */
  private targetsValue(stack: Stack): string {
    return Lazy.string({
      produce: () => stack.toJsonString(this.targetList.map(asTargetRole)),
    });
  }

  /** The actions granted on the hub and target roles: AssumeRole, and TagSession / SetSourceIdentity when used. */
  private stsActions(): string[] {
    return [
      'sts:AssumeRole',
      ...(this.sessionTags !== undefined || this.functionNameTagKey !== undefined ? ['sts:TagSession'] : []),
      ...(this.sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : []),
    ];
  }

  /** The hub role and every target role. */
  private assumableRoleArns(): string[] {
    return [this.hubRoleArn, ...this.targetList.map((t) => t.roleArn)];
  }

  /**
   * Checks this construct against the BedrockHubRoles it assumes that are in this app: the one given
   * (`hubRole`, `addTargetRole`), or the one whose ARN was given.
   */
  private validatePairing(): string[] {
    const tagKeys = [...Object.keys(this.sessionTags ?? {}), ...(this.functionNameTagKey === undefined ? [] : [this.functionNameTagKey])];
    const seconds = this.sessionDuration?.toSeconds({ integral: false });
    const base = {
      description: this.describe(),
      sessionTagKeys: tagKeys,
      sourceIdentity: this.sourceIdentity,
      durationSeconds: seconds,
      functions: this.applied,
    };
    const pairs: [CallerSide, BedrockHubRole | undefined][] = [
      [{ ...base, roleKind: 'hub role', externalId: this.externalId, externalIdProperty: 'externalId' }, this.deployTime ? undefined : this.hubRole ?? this.findHubRole(this.hubRoleArn)],
      ...this.targetList.map((t): [CallerSide, BedrockHubRole | undefined] => [
        { ...base, roleKind: 'target role', externalId: t.externalId, externalIdProperty: `the externalId of ${t.label}` },
        t.role ?? this.findHubRole(t.roleArn),
      ]),
    ];
    const errors: string[] = [];
    for (const [caller, role] of pairs) {
      if (!role) continue;
      const result = checkPairing(caller, role);
      errors.push(...result.errors);
      for (const warning of result.warnings) Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
    return errors;
  }

  /** The BedrockHubRole of this app with this (concrete) ARN, if any. */
  private findHubRole(roleArn: string): BedrockHubRole | undefined {
    if (Token.isUnresolved(roleArn)) return undefined;
    return this.node.root.node.findAll().find((c): c is BedrockHubRole => c instanceof BedrockHubRole && c.roleArn === roleArn);
  }

  private checkRoleArn(arn: string): void {
    if (Token.isUnresolved(arn)) {
      // Only the literal parts can be checked; whitespace there is always wrong.
      const literal = Tokenization.reverseString(arn).mapTokens({ mapToken: () => '' }).join({ join: (l, r) => `${l}${r}` });
      if (/\s/.test(String(literal))) {
        throw new Error(`${this.describe()}: hubRoleArn contains whitespace, so it is not a role ARN. Pass the ARN alone, and an ExternalId in externalId.`);
      }
      return;
    }
    const problem = describeRoleArnProblem(arn);
    if (problem) throw new Error(`${this.describe()}: hubRoleArn ${problem}`);

    const parts = parseRoleArn(arn)!;
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.partition) && stack.partition !== parts.partition) {
      throw new Error(
        `${this.describe()}: hubRoleArn is in the partition '${parts.partition}', but this stack deploys to '${stack.partition}', and roles cannot be assumed across partitions. ` +
        `Use a hub role in '${stack.partition}'.`,
      );
    }
    if (!Token.isUnresolved(stack.account) && stack.account === parts.account) {
      Annotations.of(this).addWarningV2(
        WARNINGS.HUB_ROLE_IN_SAME_ACCOUNT.id,
        `hubRoleArn is in this stack's own account (${parts.account}): the functions will assume a role in their own account. ` +
        'That works, but it is no hub; use the hub account\'s role ARN, or acknowledge this warning if a same-account role is intended.',
      );
    }
  }

  private describe(): string {
    return `BedrockHubAccess '${this.node.path}'`;
  }

  private describeArn(): string {
    return Token.isUnresolved(this.hubRoleArn) ? '(a deploy-time value)' : this.hubRoleArn;
  }
}

/**
 * The principal behind a grant, seen through this construct's shared policy: adding the
 * AssumeRole statement means attaching that policy. Lets `iam.Grant.addToPrincipal` build a real,
 * composable grant without a statement per principal.
 */
class SharedPolicyPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;

  constructor(private readonly principal: iam.IPrincipal, private readonly attach: () => iam.AddToPrincipalPolicyResult) {}

  public get assumeRoleAction(): string {
    return this.principal.assumeRoleAction;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.principal.policyFragment;
  }

  public get principalAccount(): string | undefined {
    return this.principal.principalAccount;
  }

  public addToPrincipalPolicy(_statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return this.attach();
  }

  public toString(): string {
    return this.principal.toString();
  }
}

/** A target as `BEDROCK_ASSUME_ROLE_TARGETS` holds it: no `externalId` key when there is none. */
function asTargetRole({ roleArn, externalId }: TargetRole): TargetRole {
  return externalId === undefined ? { roleArn } : { roleArn, externalId };
}

/** The function's environment variables as they will be rendered (tokens resolved). */
function currentVariables(fn: lambda.Function): Record<string, unknown> {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const environment = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  return environment?.variables ?? {};
}

function isSameOrNestedIn(stack: Stack, home: Stack): boolean {
  for (let s: Stack | undefined = stack; s; s = s.nestedStackParent) {
    if (s === home) return true;
  }
  return false;
}

/** Adds the hub parameters as one group to the console's parameter form, keeping any groups already there. */
function addParameterGroup(stack: Stack): void {
  const existing = (stack.templateOptions.metadata?.[INTERFACE_METADATA] ?? {}) as {
    ParameterGroups?: unknown[];
    ParameterLabels?: Record<string, unknown>;
  };
  stack.addMetadata(INTERFACE_METADATA, {
    ...existing,
    ParameterGroups: [
      ...(existing.ParameterGroups ?? []),
      {
        Label: { default: 'Amazon Bedrock hub account (leave empty to call Bedrock in this account)' },
        Parameters: [PARAMETER.ROLE_ARN, PARAMETER.EXTERNAL_ID, PARAMETER.SESSION_NAME],
      },
    ],
    ParameterLabels: {
      ...(existing.ParameterLabels ?? {}),
      [PARAMETER.ROLE_ARN]: { default: 'Hub role ARN' },
      [PARAMETER.EXTERNAL_ID]: { default: 'Hub role ExternalId' },
      [PARAMETER.SESSION_NAME]: { default: 'Hub session name' },
    },
  });
}
