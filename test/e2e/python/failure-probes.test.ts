/**
 * The reference's "How to verify", point 7, and its troubleshooting table, for a Python function:
 * each misconfiguration ends in a `BedrockHubError` of the Python shim whose layer and hint name the
 * real cause, and no call is ever made with the function's own credentials instead. Each probe gets
 * a fresh emulator, loaded with the hub stack it needs and the workload stacks (a Node and a Python
 * function each) synthesized once for the file.
 */
import type { InvocationResult } from '../../../emulator';
import {
  EXTERNAL_ID, HUB_ACCOUNT, HubAccessMode, hubParameters, MODEL_ID, REGION, WORKLOAD_ACCOUNT, WORKLOAD_STACK_PREFIX,
} from '../../fixtures/hub-app/app';
import type { Operation, OperationError } from '../../fixtures/hub-app/handler';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { RunningExample, startExample, synthesizeExample, SynthesizedExample } from '../../fixtures/hub-app/scenario';
import { hubAssumeRoles, isBedrock } from '../../fixtures/hub-app/trail';
import { bedrockCallsWithLocalCredentials, describeEvents, resultOf } from '../helpers';

const PARAMETER_STACK = 'WorkloadParams';
const OTHER_ROLE_ARN = `arn:aws:iam::${HUB_ACCOUNT}:role/SomeOtherTeamRole`;

type HubVariant = 'default' | 'trusts-someone-else' | 'no-model-permission';

/** One probe: which hub, which workload, what goes wrong, and what the error must say. */
interface Probe {
  readonly name: string;
  readonly hub: HubVariant;
  readonly stack: string;
  readonly parameters?: Record<string, string>;
  readonly environment?: Record<string, string>;
  /** Breaks something in the running emulator; returns the operation that then fails. */
  readonly setup?: (running: RunningExample) => Operation | void;
  readonly layer: string;
  /** What the hint must say (each must match). */
  readonly hint: readonly RegExp[];
  /** Whether the failing call reaches Bedrock at all (with hub credentials). */
  readonly reachesBedrock: boolean;
}

const PROBES: readonly Probe[] = [
  {
    name: 'a missing ExternalId (parameter mode, BedrockHubRoleExternalId left empty)',
    hub: 'default',
    stack: PARAMETER_STACK,
    parameters: hubParameters('on-without-external-id'),
    layer: 'trust-policy',
    hint: [/BEDROCK_ASSUME_ROLE_EXTERNAL_ID is not set, so no ExternalId was sent/, /sts:ExternalId condition/],
    reachesBedrock: false,
  },
  {
    name: 'a trust policy that does not trust the caller',
    hub: 'trusts-someone-else',
    stack: WORKLOAD_STACK_PREFIX,
    layer: 'trust-policy',
    hint: [/the trust policy of arn:aws:iam::222222222222:role\/BedrockHubRole must allow arn:aws:sts::111111111111:assumed-role\/Workload-AskPythonFunctionServiceRole/],
    reachesBedrock: false,
  },
  {
    name: 'a hub role without model permission',
    hub: 'no-model-permission',
    stack: WORKLOAD_STACK_PREFIX,
    layer: 'hub-permission',
    hint: [/AssumeRole succeeded, so the workload side is fine/, /In the hub account 222222222222: allow bedrock:InvokeModel to the role/],
    reachesBedrock: true,
  },
  {
    name: 'model access off in the region',
    hub: 'default',
    stack: WORKLOAD_STACK_PREFIX,
    setup: ({ emulator }) => emulator.bedrock.setModelAccess({ accountId: HUB_ACCOUNT, region: REGION, modelId: MODEL_ID, enabled: false }),
    layer: 'hub-permission',
    hint: [/^Enable access to the model in the hub account 222222222222, region us-east-1 .*per account and per region/],
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
    name: 'a guardrail in the workload account',
    hub: 'default',
    stack: WORKLOAD_STACK_PREFIX,
    setup: ({ emulator }) => ({
      op: 'ApplyGuardrail',
      guardrailIdentifier: emulator.bedrock.addGuardrail({ accountId: WORKLOAD_ACCOUNT, region: REGION, name: 'workload-guardrail' }).arn,
    }),
    layer: 'resource-account',
    hint: [/Move it to account 222222222222 \(the hub role's, in us-east-1\)/],
    reachesBedrock: false,
  },
  {
    name: 'a hub role ARN the function\'s role was not granted',
    hub: 'default',
    stack: WORKLOAD_STACK_PREFIX,
    environment: { BEDROCK_ASSUME_ROLE_ARN: OTHER_ROLE_ARN },
    layer: 'caller-policy',
    hint: [/needs an identity-based policy allowing sts:AssumeRole on exactly arn:aws:iam::222222222222:role\/SomeOtherTeamRole/],
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

function workloadProfile(emulator: RunningExample['emulator']): { arn: string } {
  return emulator.bedrock.addApplicationInferenceProfile({
    accountId: WORKLOAD_ACCOUNT, region: REGION, name: 'workload-profile', copyFrom: `arn:aws:bedrock:${REGION}::foundation-model/${MODEL_ID}`,
  });
}

let workloads: SynthesizedExample;
const hubs = {} as Record<HubVariant, SynthesizedExample>;

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

beforeAll(() => {
  workloads = synthesizeExample({
    hub: false,
    workloads: [
      { stackName: WORKLOAD_STACK_PREFIX, python: true },
      { stackName: PARAMETER_STACK, mode: HubAccessMode.PARAMETERS, python: true },
    ],
  });
  hubs.default = synthesizeExample({ workloads: [] });
  hubs['trusts-someone-else'] = synthesizeExample({ hub: { trustedRoleArnPattern: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/OtherTeam-*` }, workloads: [] });
  hubs['no-model-permission'] = synthesizeExample({ hub: { modelPermission: false }, workloads: [] });
});

afterAll(() => {
  for (const synthesized of [workloads, ...Object.values(hubs)]) synthesized?.dispose();
});

describe.each(PROBES)('7. Python: $name', (probe) => {
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
    const lambda = await running.startPythonFunction(probe.stack, { environment: probe.environment });

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

  test('whose hint names the real cause', () => {
    for (const pattern of probe.hint) expect(error.hint).toMatch(pattern);
  });

  test('no call is made with the function\'s own credentials instead', () => {
    const events = running.emulator.cloudTrail.events;
    expect(describeEvents(bedrockCallsWithLocalCredentials(events))).toEqual([]);
    expect(describeEvents(events.filter((e) => isBedrock(e) && e.recipientAccountId === WORKLOAD_ACCOUNT))).toEqual([]);
    const bedrock = events.filter(isBedrock);
    if (probe.reachesBedrock) {
      // Made once, with hub credentials, and denied in the hub account.
      expect(hubAssumeRoles(events)).toHaveLength(1);
      expect(bedrock.map((e) => `${e.recipientAccountId} ${e.errorCode}`)).toEqual([`${HUB_ACCOUNT} AccessDeniedException`]);
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

test('Lambda reports the BedrockHubError itself when the Python handler raises it', async () => {
  // GIVEN a hub whose trust policy trusts someone else
  const running = await startExample({ assemblies: [hubs['trusts-someone-else'], workloads] });
  try {
    const lambda = await running.startPythonFunction(WORKLOAD_STACK_PREFIX);

    // WHEN the handler lets the error out
    const invocation = await lambda.invoke({ operations: [{ op: 'Converse' }], throwOnError: true });

    // THEN
    expect(invocation).toMatchObject({
      ok: false,
      error: { errorType: 'BedrockHubError', errorMessage: expect.stringMatching(/^bedrock-hub-access \(trust-policy\): The trust policy of arn:aws:iam::222222222222:role\/BedrockHubRole does not let/) },
    });
    expect(invocation.logs.join('\n')).not.toContain(EXTERNAL_ID);
  } finally {
    expect(await running.stop()).toEqual([]);
  }
});
