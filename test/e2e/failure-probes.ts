/**
 * The reference's "How to verify", point 7, and its troubleshooting table, written once for each
 * runtime's function (`failure-probes.test.ts` for Node.js, `python/failure-probes.test.ts` for
 * Python, which must give the same layers and hints): each misconfiguration
 * ends in a `BedrockHubError` whose layer and hint name the real cause, and no call is ever made
 * with the function's own credentials instead. Each probe gets a fresh emulator, loaded with the
 * hub stack it needs and the workload stacks synthesized once for the file. The emulator answers as
 * AWS does: a denied AssumeRole is STS's bare sentence (no reason clause), Bedrock's denials carry
 * the reason clause and the denying SCP's or managed policy's ARN, a global profile is authorized
 * on the region-less model ARN, a geographic profile in the region it routes to.
 */
import { bedrockCallsWithLocalCredentials, describeEvents, resultOf } from './helpers';
import type { FunctionUnderTest } from './verification-steps';
import type { AwsEmulator, InvocationResult } from '../../emulator';
import {
  EXTERNAL_ID, HUB_ACCOUNT, HubAccessMode, hubParameters, MODEL_ID, REGION, WORKLOAD_ACCOUNT, WORKLOAD_STACK_PREFIX,
} from '../fixtures/hub-app/app';
import type { Operation, OperationError } from '../fixtures/hub-app/handler';
import type { Boto3Lock } from '../fixtures/hub-app/python-runtime';
import { RunningExample, startExample, synthesizeExample, SynthesizedExample } from '../fixtures/hub-app/scenario';
import { hubAssumeRoles, isBedrock } from '../fixtures/hub-app/trail';

const PARAMETER_STACK = 'WorkloadParams';
const OTHER_ROLE_ARN = `arn:aws:iam::${HUB_ACCOUNT}:role/SomeOtherTeamRole`;
const HUB_ROLE_NAME = 'BedrockHubRole';
const SCP_ARN = 'arn:aws:organizations::999988887777:policy/o-exampleorg1/service_control_policy/p-examplescp1';
const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
const US_HAIKU = `us.${MODEL_ID}`;
const GLOBAL_SONNET = 'global.anthropic.claude-sonnet-4-6';

/** Adds an inline policy to the deployed hub role. */
function addHubPolicy(emulator: AwsEmulator, name: string, statements: unknown[]): void {
  emulator.identities.attachRolePolicy(HUB_ACCOUNT, HUB_ROLE_NAME, { name, document: { Version: '2012-10-17', Statement: statements as never } });
}

/** Sets a managed policy on the deployed hub role: attached, or as its permissions boundary. */
function putHubManagedPolicy(emulator: AwsEmulator, name: string, statements: unknown[], as: 'attached' | 'boundary'): string {
  const arn = `arn:aws:iam::${HUB_ACCOUNT}:policy/${name}`;
  emulator.identities.putManagedPolicy(arn, { Version: '2012-10-17', Statement: statements as never });
  const role = emulator.identities.roleByName(HUB_ACCOUNT, HUB_ROLE_NAME)!;
  emulator.identities.putRole(as === 'boundary' ? { ...role, permissionsBoundaryArn: arn } : { ...role, managedPolicyArns: [...role.managedPolicyArns, arn] });
  return arn;
}

type HubVariant = 'default' | 'trusts-someone-else' | 'no-model-permission';

/** One probe: which hub, which workload, what goes wrong, and what the error must say. */
interface Probe {
  readonly name: string;
  readonly hub: HubVariant;
  readonly stack: string;
  readonly parameters?: Record<string, string>;
  readonly environment?: Record<string, string>;
  /** For the Python function, the boto3 it runs with. @default 'lambda' (the one the Lambda Python runtime ships) */
  readonly boto3?: Boto3Lock;
  /** Breaks something in the running emulator; returns the operation that then fails. */
  readonly setup?: (running: RunningExample) => Operation | void;
  readonly layer: string;
  /** What the hint must say (each must match). */
  readonly hint: readonly RegExp[];
  /** Advice the hint must not give. */
  readonly notInHint?: readonly RegExp[];
  /** Whether the failing call reaches Bedrock at all (with hub credentials). */
  readonly reachesBedrock: boolean;
  /** The error Bedrock answers with, when it is reached. @default 'AccessDeniedException' */
  readonly bedrockError?: string;
}

/** Advice that does not exist any more, or that cannot fix a denial it is given for. */
const RETIRED_MODEL_ACCESS = /Model access page|Bedrock console > Model access|Enable access to the model/i;

/** The probes, for the function `fn` of the example workload. */
function probesFor(fn: FunctionUnderTest): readonly Probe[] {
  return [
    {
      name: 'a missing ExternalId (parameter mode, BedrockHubRoleExternalId left empty)',
      hub: 'default',
      stack: PARAMETER_STACK,
      parameters: hubParameters('on-without-external-id'),
      // STS's bare sentence: the hint leads with what the shim knows, no ExternalId sent.
      layer: 'assume-role-denied',
      hint: [/^What the shim knows: no ExternalId was sent \(BEDROCK_ASSUME_ROLE_EXTERNAL_ID is not set\): if the trust policy has an sts:ExternalId condition/],
      notInHint: [/because no resource-based policy/, /model access/i],
      reachesBedrock: false,
    },
    {
      name: 'a trust policy that does not trust the caller (STS\'s bare AssumeRole denial)',
      hub: 'trusts-someone-else',
      stack: WORKLOAD_STACK_PREFIX,
      layer: 'assume-role-denied',
      hint: [
        /an ExternalId was sent/,
        /The caller is in account 111111111111, the role in 222222222222/,
        new RegExp(`\\(1\\) the role trust policy of arn:aws:iam::222222222222:role/BedrockHubRole in the hub account 222222222222: it must allow arn:aws:iam::111111111111:role/Workload-${fn.functionId}ServiceRole`),
      ],
      notInHint: [/model access/i, /bedrock:InvokeModel/],
      reachesBedrock: false,
    },
    {
      name: 'a hub role without model permission',
      hub: 'no-model-permission',
      stack: WORKLOAD_STACK_PREFIX,
      layer: 'hub-permission',
      hint: [/^The hub role's identity-based policies \(account 222222222222\) lack bedrock:InvokeModel on this resource/, /BedrockModel/],
      notInHint: [RETIRED_MODEL_ACCESS, /model access/i],
      reachesBedrock: true,
    },
    {
      name: 'the hub account not subscribed to the model, and the hub role not allowed to subscribe it',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => emulator.bedrock.setModelSubscription({ accountId: HUB_ACCOUNT, modelId: MODEL_ID, subscribed: false }),
      layer: 'hub-permission',
      hint: [/allow aws-marketplace:ViewSubscriptions and aws-marketplace:Subscribe to arn:aws:iam::222222222222:role\/BedrockHubRole/, /Subscriptions are per account/],
      notInHint: [RETIRED_MODEL_ACCESS],
      reachesBedrock: true,
    },
    {
      name: 'a service control policy of the hub\'s organization denies the model',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => emulator.registerAccount({
        accountId: HUB_ACCOUNT,
        organizationId: 'o-exampleorg1',
        serviceControlPolicies: [{ name: SCP_ARN, document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: INVOKE, Resource: '*' }] } }],
      }),
      layer: 'hub-permission',
      hint: [new RegExp(`^The service control policy \\(${SCP_ARN.replace(/[/.]/g, '\\$&')}\\) of organization o-exampleorg1 of account 222222222222, managed from its management account 999988887777 explicitly denies bedrock:InvokeModel: no allow on the role can override it`)],
      notInHint: [/allow bedrock:InvokeModel to the role/i, /model access/i, /create the resource/i],
      reachesBedrock: true,
    },
    {
      name: 'the hub role\'s permissions boundary does not allow the model',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => void putHubManagedPolicy(emulator, 'HubRoleBoundary', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }], 'boundary'),
      layer: 'hub-permission',
      hint: [/^The role's permissions boundary lacks bedrock:InvokeModel on this resource: add it to the boundary policy in account 222222222222/],
      notInHint: [/model access/i, /marketplace/i],
      reachesBedrock: true,
    },
    {
      name: 'a cross-region profile routed to a destination region the hub role lacks',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => {
        // The profile itself is allowed; the model only in the source region (the hub app's grant).
        addHubPolicy(emulator, 'UsProfile', [{ Effect: 'Allow', Action: INVOKE, Resource: `arn:aws:bedrock:${REGION}:${HUB_ACCOUNT}:inference-profile/${US_HAIKU}` }]);
        return { op: 'Converse', modelId: US_HAIKU };
      },
      layer: 'hub-permission',
      hint: [/^The profile routed the call from us-east-1 to us-east-2, where the role is not allowed the model/, /destinationRegions: \[\.\.\., 'us-east-2'\]/],
      notInHint: [/model access/i, /create the resource/i],
      reachesBedrock: true,
    },
    {
      name: 'a global profile without the region-less model ARN',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => {
        addHubPolicy(emulator, 'GlobalProfile', [{
          Effect: 'Allow',
          Action: INVOKE,
          Resource: [`arn:aws:bedrock:${REGION}:${HUB_ACCOUNT}:inference-profile/${GLOBAL_SONNET}`, `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-sonnet-4-6`],
        }]);
        return { op: 'Converse', modelId: GLOBAL_SONNET };
      },
      layer: 'hub-permission',
      hint: [/A global inference profile is authorized on the region-less ARN arn:aws:bedrock:::foundation-model\/anthropic\.claude-sonnet-4-6/, /BedrockModel\.crossRegionProfile\('global\.anthropic\.claude-sonnet-4-6'\)/],
      notInHint: [/model access/i],
      reachesBedrock: true,
    },
    {
      name: 'a model Bedrock does not serve on demand, called by its model id',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: () => ({ op: 'Converse', modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0' }),
      layer: 'model-routing',
      hint: [/^Call it with the inference profile id us\.anthropic\.claude-3-5-haiku-20241022-v1:0/, /BedrockModel\.crossRegionProfile\('us\.anthropic\.claude-3-5-haiku-20241022-v1:0'/],
      notInHint: [/check that the model exists/i, /model access/i],
      reachesBedrock: true,
      bedrockError: 'ValidationException',
    },
    {
      name: 'a policy that requires a guardrail, and a call without one',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => void putHubManagedPolicy(emulator, 'RequireGuardrail', [{
        Effect: 'Deny', Action: INVOKE, Resource: '*', Condition: { Null: { 'bedrock:GuardrailIdentifier': 'true' } },
      }], 'attached'),
      layer: 'hub-permission',
      hint: [new RegExp(`denies it explicitly.*arn:aws:iam::${HUB_ACCOUNT}:policy/RequireGuardrail`), /The request carried no guardrail: .*bedrock:GuardrailIdentifier condition\), pass guardrailConfig/],
      notInHint: [/model access/i],
      reachesBedrock: true,
    },
    {
      name: 'an application inference profile in the workload account (Converse)',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => ({ op: 'Converse', modelId: workloadProfile(emulator).arn }),
      layer: 'resource-account',
      hint: [/Move it to account 222222222222 \(the hub role's, in us-east-1\)/],
      reachesBedrock: false,
    },
    {
      name: 'an application inference profile in the workload account (GetInferenceProfile)',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => ({ op: 'GetInferenceProfile', inferenceProfileIdentifier: workloadProfile(emulator).arn }),
      // The Python function: the botocore of the Lambda runtime (1.34.145) predates GetInferenceProfile.
      boto3: 'latest',
      layer: 'resource-account',
      hint: [/Move it to account 222222222222/],
      reachesBedrock: false,
    },
    {
      name: 'a guardrail in the workload account',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => ({
        op: 'ApplyGuardrail',
        guardrailIdentifier: emulator.bedrock.addGuardrail({ accountId: WORKLOAD_ACCOUNT, region: REGION, name: 'workload-guardrail' }).arn,
      }),
      layer: 'resource-account',
      hint: [/Move it to account 222222222222 \(the hub role's, in us-east-1\) and use that ARN\.$/],
      reachesBedrock: false,
    },
    {
      name: 'a hub role ARN the function\'s role was not granted',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      environment: { BEDROCK_ASSUME_ROLE_ARN: OTHER_ROLE_ARN },
      layer: 'assume-role-denied',
      hint: [/\(2\) The role exists/, /\(3\) The execution role's identity-based policy allows sts:AssumeRole on exactly arn:aws:iam::222222222222:role\/SomeOtherTeamRole/],
      reachesBedrock: false,
    },
    {
      name: 'STS unreachable (connections to it are reset)',
      hub: 'default',
      stack: WORKLOAD_STACK_PREFIX,
      setup: ({ emulator }) => void emulator.faults.inject({ service: 'sts', operation: 'AssumeRole', kind: 'reset' }),
      layer: 'sts-unreachable',
      hint: [/STS interface VPC endpoint \(com\.amazonaws\.us-east-1\.sts\) with private DNS enabled/],
      reachesBedrock: false,
    },
  ];
}

function workloadProfile(emulator: RunningExample['emulator']): { arn: string } {
  return emulator.bedrock.addApplicationInferenceProfile({
    accountId: WORKLOAD_ACCOUNT, region: REGION, name: 'workload-profile', copyFrom: `arn:aws:bedrock:${REGION}::foundation-model/${MODEL_ID}`,
  });
}

/** How a runtime's suite names its tests. */
export interface FailureProbeTitles {
  /** Put before each probe's name: `'7. '`, `'7. Python: '`. */
  readonly describePrefix: string;
  /** The test that the handler's rethrown error reaches Lambda as a BedrockHubError. */
  readonly rethrowTitle: string;
}

/** Registers the failure probes, and the rethrown-error test, for `fn` in the calling suite. */
export function verifyFailureProbes(fn: FunctionUnderTest, options: FailureProbeTitles): void {
  let workloads: SynthesizedExample;
  const hubs = {} as Record<HubVariant, SynthesizedExample>;

  beforeAll(() => {
    workloads = synthesizeExample({
      hub: false,
      workloads: [
        { stackName: WORKLOAD_STACK_PREFIX, python: fn.python },
        { stackName: PARAMETER_STACK, mode: HubAccessMode.PARAMETERS, python: fn.python },
      ],
    });
    hubs.default = synthesizeExample({ workloads: [] });
    hubs['trusts-someone-else'] = synthesizeExample({ hub: { trustedRoleArnPattern: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/OtherTeam-*` }, workloads: [] });
    hubs['no-model-permission'] = synthesizeExample({ hub: { modelPermission: false }, workloads: [] });
  });

  afterAll(() => {
    for (const synthesized of [workloads, ...Object.values(hubs)]) synthesized?.dispose();
  });

  describe.each(probesFor(fn))(`${options.describePrefix}$name`, (probe) => {
    let running: RunningExample;
    let invocation: InvocationResult;
    let error: OperationError;

    beforeAll(async () => {
      // GIVEN the probe's hub and workload, and what it breaks
      running = await startExample({
        assemblies: [hubs[probe.hub], workloads],
        parameters: probe.parameters ? { [probe.stack]: probe.parameters } : undefined,
      });
      const operation = probe.setup?.(running) ?? { op: 'Converse' };
      const lambda = await fn.start(running, probe.stack, { environment: probe.environment, boto3: probe.boto3 });

      // WHEN the function makes the call
      invocation = await lambda.invoke({ operations: [operation] });
      const [outcome] = resultOf(invocation).results;
      if (outcome.ok) throw new Error(`${probe.name}: the call succeeded`);
      error = outcome.error;
    });

    afterAll(async () => {
      expect(await running.stop()).toEqual([]);
    });

    test(`ends in a BedrockHubError of layer ${probe.layer}`, () => {
      expect(error).toMatchObject({ name: 'BedrockHubError', layer: probe.layer });
      expect(error.message).toMatch(new RegExp(`^bedrock-hub-access \\(${probe.layer}\\): `));
    });

    test('whose hint names the real cause, and gives no advice that cannot help', () => {
      for (const pattern of probe.hint) expect(error.hint).toMatch(pattern);
      for (const pattern of probe.notInHint ?? []) expect(error.hint).not.toMatch(pattern);
    });

    test('no call is made with the function\'s own credentials instead', () => {
      const events = running.emulator.cloudTrail.events;
      expect(describeEvents(bedrockCallsWithLocalCredentials(events))).toEqual([]);
      expect(describeEvents(events.filter((e) => isBedrock(e) && e.recipientAccountId === WORKLOAD_ACCOUNT))).toEqual([]);
      const bedrock = events.filter(isBedrock);
      if (probe.reachesBedrock) {
        // Made once, with hub credentials, and denied in the hub account.
        expect(hubAssumeRoles(events)).toHaveLength(1);
        expect(bedrock.map((e) => `${e.recipientAccountId} ${e.errorCode}`)).toEqual([`${HUB_ACCOUNT} ${probe.bedrockError ?? 'AccessDeniedException'}`]);
      } else {
        // Nothing was sent to Bedrock at all.
        expect(describeEvents(bedrock)).toEqual([]);
      }
    });

    test('neither the error nor the function\'s log shows the ExternalId', () => {
      expect(JSON.stringify(error)).not.toContain(EXTERNAL_ID);
      expect(invocation.logs.join('\n')).not.toContain(EXTERNAL_ID);
    });
  });

  test(options.rethrowTitle, async () => {
    // GIVEN a hub whose trust policy trusts someone else
    const running = await startExample({ assemblies: [hubs['trusts-someone-else'], workloads] });
    try {
      const lambda = await fn.start(running, WORKLOAD_STACK_PREFIX);

      // WHEN the handler lets the error out
      const invocation = await lambda.invoke({ operations: [{ op: 'Converse' }], throwOnError: true });

      // THEN
      expect(invocation).toMatchObject({
        ok: false,
        error: { errorType: 'BedrockHubError', errorMessage: expect.stringMatching(/^bedrock-hub-access \(assume-role-denied\): AssumeRole on arn:aws:iam::222222222222:role\/BedrockHubRole was denied for/) },
      });
      expect(invocation.logs.join('\n')).not.toContain(EXTERNAL_ID);
    } finally {
      expect(await running.stop()).toEqual([]);
    }
  });
}
