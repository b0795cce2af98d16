import { Annotations, AspectPriority, Aspects, Duration, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { ApplyToAllOptions, BedrockHubAccessAspect } from './bedrock-hub-access-aspect';
import { BedrockHubAccessParameters } from './bedrock-hub-access-parameters';
import { BedrockHubAccessCommonOptions, BedrockHubAccessOptions, BedrockHubAccessProps } from './bedrock-hub-access-props';
import { BedrockHubRole } from './bedrock-hub-role';
import { ENV } from './contract';
import { HubTarget, HubTargetOptions } from './hub-target';
import {
  checkExternalId, checkHubRoleArn, checkSessionSettings, checkSessionTags, checkStsRegions, checkTarget, hubRoleOf, hubRoleSettings, Target,
} from './private/access-checks';
import { describeConstruct } from './private/errors';
import { checkApplicable, claim, claimOf, lateEdgeProblem } from './private/function-claims';
import { currentVariables, foreignVariableProblem } from './private/function-environment';
import { provideShim, warnAboutBearerTokens } from './private/function-shims';
import { CallerSide, checkPairings, findHubRole } from './private/pairing';
import { addParameters, isSameOrNestedIn, PARAMETER } from './private/parameter-mode';
import { asPolicyHolder, PolicyHolder, SharedPolicyPrincipal } from './private/shared-policy';
import { attachSharedPolicy, DeployTime, EnvironmentSettings, StackBinding, StackBindings } from './private/stack-binding';
import { StsEndpoints } from './private/sts-endpoints';
import { TargetRoles } from './private/target-roles';
import { warn } from './private/warnings';
import { StsEndpointOptions } from './sts-endpoint-options';


const parameterOwners = new WeakMap<Stack, BedrockHubAccess>();

/**
 * Gives Lambda functions of a workload account access to Amazon Bedrock through a role in a
 * central hub account.
 *
 * For each function it applies to, it
 * - grants the function's role `sts:AssumeRole` on exactly the hub role and the target roles, plus
 *   `sts:TagSession` / `sts:SetSourceIdentity` when session tags / a source identity are used (one
 *   shared policy statement per stack, whatever the number of functions), and
 * - sets the `BEDROCK_ASSUME_ROLE_*` environment variables that the runtime shim
 *   (`bedrock-hub-access/lambda-shim`) reads to build Bedrock clients on hub credentials, and
 * - gives Python functions the Python shim (`import bedrock_hub_access`) as a Lambda layer, one
 *   per stack (see `pythonLayer`); for a runtime no shim serves (Java, .NET, Ruby, OS-only,
 *   container images) it warns (`bedrock-hub-access:runtimeWithoutShim`) that nothing in the
 *   function reads the variables.
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
  public static fromParameters(scope: Construct, id: string, options: BedrockHubAccessCommonOptions = {}): BedrockHubAccess {
    const stack = Stack.of(scope);
    const owner = parameterOwners.get(stack);
    if (owner || stack.node.tryFindChild(PARAMETER.ROLE_ARN)) {
      const by = owner ? ` (created by BedrockHubAccess '${owner.node.path}')` : '';
      throw new Error(
        `BedrockHubAccess.fromParameters('${id}'): stack '${stack.node.path}' already has the ${PARAMETER.ROLE_ARN} parameter${by}. ` +
        'A template holds one set of hub parameters: reuse that BedrockHubAccess (applyTo / applyToAll) instead of calling fromParameters again.',
      );
    }

    const { parameters, conditions } = addParameters(stack);
    const { hubRoleArn, externalId, sessionName } = parameters;

    const access = new BedrockHubAccess(scope, id, {
      hubRoleArn: hubRoleArn.valueAsString,
      externalId: externalId.valueAsString,
      sessionName: sessionName.valueAsString,
      sessionDuration: options.sessionDuration,
      targets: options.targets,
      sessionTags: options.sessionTags,
      functionNameTagKey: options.functionNameTagKey,
      sourceIdentity: options.sourceIdentity,
      pythonLayer: options.pythonLayer,
      stsRegions: options.stsRegions,
    });
    access._parameters = { hubRoleArn, externalId, sessionName, enabled: conditions.enabled };
    access.deployTime = { home: stack, conditions, parameters };
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
   * STS regions AssumeRole is called in, most preferred first.
   *
   * @default - the function's region only
   */
  public readonly stsRegions?: string[];

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
  private readonly pythonLayer: boolean;
  private readonly durationSeconds?: string;
  private readonly targetRoles = new TargetRoles();
  private readonly bindings: StackBindings = new StackBindings(this, (stack) => this.environmentSettings(stack), () => this.deployTime);
  private readonly applied: lambda.Function[] = [];
  private readonly endpoints = new StsEndpoints(this);
  private _parameters?: BedrockHubAccessParameters;
  private deployTime?: DeployTime;

  constructor(scope: Construct, id: string, props: BedrockHubAccessProps) {
    super(scope, id);

    const hub = hubRoleOf(this, props);
    checkHubRoleArn(this, hub.roleArn);
    checkExternalId(this, hub.externalId);
    checkSessionSettings(this, props);
    if (props.sessionDuration !== undefined) {
      this.durationSeconds = Tokenization.stringifyNumber(props.sessionDuration.toSeconds({ integral: false }));
    }
    checkSessionTags(this, props.sessionTags ?? {}, props.functionNameTagKey);
    checkStsRegions(this, props.stsRegions);

    this.hubRoleArn = hub.roleArn;
    this.hubRole = props.hubRole;
    this.externalId = hub.externalId;
    this.sessionName = props.sessionName;
    this.sessionDuration = props.sessionDuration;
    this.sessionTags = props.sessionTags && Object.keys(props.sessionTags).length > 0 ? { ...props.sessionTags } : undefined;
    this.functionNameTagKey = props.functionNameTagKey;
    this.sourceIdentity = props.sourceIdentity;
    this.pythonLayer = props.pythonLayer ?? true;
    this.stsRegions = props.stsRegions && props.stsRegions.length > 0 ? [...props.stsRegions] : undefined;

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
    return this.targetRoles.asHubTargets();
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
    this.pushTarget({ roleArn, externalId: options.externalId, label: this.targetRoles.nextLabel }, options.account);
  }

  /**
   * Adds a `BedrockHubRole` of the same app (in another account) as a target, as `addTarget` does
   * with its ARN and ExternalId; both sides are checked against each other at synth.
   */
  public addTargetRole(role: BedrockHubRole, options: HubTargetOptions = {}): void {
    const label = this.targetRoles.nextLabel;
    const { roleArn, externalId } = hubRoleSettings(this, role, options.externalId, `addTargetRole (${label})`, 'addTargetRole\'s externalId option');
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
   * and sets the `BEDROCK_ASSUME_ROLE_*` environment variables; adds the Python shim layer to
   * Python functions (unless `pythonLayer` is false). Applying twice is harmless.
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
      return iam.Grant.addToPrincipal({ ...options, grantee: new SharedPolicyPrincipal(principal, () => this.attachSharedPolicy(holder)) });
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
    return this.endpoints.add(vpc, options, this.applied);
  }

  /**
   * Applies hub access to a function found by {@link BedrockHubAccessAspect}: like `applyTo`, but
   * a function applied directly by another BedrockHubAccess is left to it, and in parameter mode
   * a function out of the parameters' reach is skipped with a warning.
   *
   * @internal
   */
  public _applyFromAspect(fn: lambda.Function): void {
    const existing = claimOf(fn);
    if (existing?.access === this) return;
    if (existing && !existing.viaAspect) {
      Annotations.of(fn).addInfo(
        `BedrockHubAccess '${this.node.path}' (applyToAll) left this function to BedrockHubAccess '${existing.access.node.path}', which was applied to it directly.`,
      );
      return;
    }
    if (this.deployTime && !isSameOrNestedIn(Stack.of(fn), this.deployTime.home)) {
      warn(fn, 'OUTSIDE_PARAMETER_STACK',
        `BedrockHubAccess '${this.node.path}' (applyToAll) skipped this function: it is in stack '${Stack.of(fn).node.path}', ` +
        `which the ${PARAMETER.ROLE_ARN} parameter of stack '${this.deployTime.home.node.path}' cannot switch. ` +
        'Call BedrockHubAccess.fromParameters in that stack for its functions, or acknowledge this warning if the function needs no hub access.',
      );
      return;
    }
    this.apply(fn, true);
  }

  private apply(fn: lambda.Function, viaAspect: boolean): void {
    if (claimOf(fn)?.access === this) return;
    const mine = { access: this, hubRole: this.describeArn(), viaAspect };
    checkApplicable(mine, fn, viaAspect);

    const binding = this.bindingFor(Stack.of(fn), fn);
    const foreign = foreignVariableProblem(this.describe(), fn, binding.environment);
    if (foreign) throw new Error(foreign);

    if (!this.grantToFunction(fn)) {
      warn(fn, 'ROLE_NOT_UPDATED',
        `The role of this function ('${fn.role!.node.path}') cannot be changed from this app (imported with mutable: false, ` +
        `withoutPolicyUpdates(), or in another account), so BedrockHubAccess '${this.node.path}' could not grant it sts:AssumeRole on ${this.describeArn()}. ` +
        'Grant it where the role is managed, or every AssumeRole call of this function will be denied.',
      );
    }
    for (const [key, value] of Object.entries(binding.environment)) {
      if (value !== undefined) fn.addEnvironment(key, value);
    }
    provideShim(this, fn, this.pythonLayer);
    claim(fn, mine);
    this.applied.push(fn);
    this.endpoints.allowFrom(fn);
  }

  /**
   * {@link grantAssumeRole} for a function being applied to, without building the `iam.Grant` no one
   * reads (per function, that was the largest part of what applyToAll adds to synth): its role gets
   * the shared policy. Whether the grant took effect.
   */
  private grantToFunction(fn: lambda.Function): boolean {
    const holder = asPolicyHolder(fn.grantPrincipal);
    return holder ? this.attachSharedPolicy(holder).statementAdded : this.grantAssumeRole(fn).success;
  }

  /** Attaches the holder's stack's shared AssumeRole policy to a role, user or group. */
  private attachSharedPolicy(holder: PolicyHolder): iam.AddToPrincipalPolicyResult {
    return attachSharedPolicy(this.bindingFor(Stack.of(holder), holder), holder, this.stsActions(), this.assumableRoleArns());
  }

  /** Everything that can only be judged once the app is complete. Warnings are annotations; errors fail synthesis. */
  private validateFunctions(): string[] {
    // Each function's environment resolved once for both checks that read it.
    const variables = new Map(this.applied.map((fn) => [fn, currentVariables(fn)]));
    const errors = this.applied.flatMap((fn) => {
      const foreign = foreignVariableProblem(this.describe(), fn, this.bindingFor(Stack.of(fn), fn).environment, variables.get(fn));
      const edge = lateEdgeProblem(this, fn);
      return [foreign, edge].filter((e): e is string => e !== undefined);
    });
    this.endpoints.warnWhereMissing(this.applied);
    warnAboutBearerTokens(variables);
    if (this.stsRegions) this.endpoints.warnNoRouteToOtherRegions(this.applied, this.stsRegions);
    return errors;
  }

  /** The binding for a stack: its conditions (parameter mode) and environment values. */
  private bindingFor(stack: Stack, subject: IConstruct): StackBinding {
    return this.bindings.for(stack, subject);
  }

  /** The environment settings of a stack. */
  private environmentSettings(stack: Stack): EnvironmentSettings {
    return {
      hubRoleArn: this.hubRoleArn,
      externalId: this.externalId,
      sessionName: this.sessionName,
      durationSeconds: this.durationSeconds,
      targets: this.targetRoles.value(stack),
      sessionTags: this.sessionTags,
      functionNameTagKey: this.functionNameTagKey,
      sourceIdentity: this.sourceIdentity,
      stsRegions: this.stsRegions?.join(','),
    };
  }

  /** Checks a target against the ones before it and the hub role, and adds it everywhere. */
  private pushTarget(target: Target, account: string | undefined): void {
    checkTarget(this, target, account, this.hubRoleArn, this.targetRoles.all);
    const first = this.targetRoles.add(target);
    this.bindings.addTarget(target.roleArn, first);
    if (!first) return;
    // The first target: functions applied so far get the variable too.
    for (const fn of this.applied) fn.addEnvironment(ENV.TARGETS, this.bindingFor(Stack.of(fn), fn).environment[ENV.TARGETS]!);
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
    return [this.hubRoleArn, ...this.targetRoles.roleArns()];
  }

  /**
   * Checks this construct against the BedrockHubRoles it assumes that are in this app: the one given
   * (`hubRole`, `addTargetRole`), or the one whose ARN was given.
   */
  private validatePairing(): string[] {
    const base = {
      description: this.describe(),
      sessionTagKeys: [...Object.keys(this.sessionTags ?? {}), ...(this.functionNameTagKey === undefined ? [] : [this.functionNameTagKey])],
      sourceIdentity: this.sourceIdentity,
      durationSeconds: this.sessionDuration?.toSeconds({ integral: false }),
      functions: this.applied,
    };
    return checkPairings(this, [
      [{ ...base, roleKind: 'hub role', externalId: this.externalId, externalIdProperty: 'externalId' },
        this.deployTime ? undefined : this.hubRole ?? findHubRole(this, this.hubRoleArn)],
      ...this.targetRoles.all.map((t): [CallerSide, BedrockHubRole | undefined] => [
        { ...base, roleKind: 'target role', externalId: t.externalId, externalIdProperty: `the externalId of ${t.label}` },
        t.role ?? findHubRole(this, t.roleArn),
      ]),
    ]);
  }

  private describe(): string {
    return describeConstruct(this);
  }

  private describeArn(): string {
    return Token.isUnresolved(this.hubRoleArn) ? '(a deploy-time value)' : this.hubRoleArn;
  }
}
