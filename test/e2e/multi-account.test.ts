/**
 * Both sides from one definition, end to end: a hub account with a BedrockHubRole, a target account
 * whose BedrockHubRole reaches an agent and a knowledge base (the cross-account agents reference), a
 * workload whose BedrockHubAccess is built from both roles with session tags and a source identity.
 * The templates are synthesized (the handler bundled by NodejsFunction's esbuild), loaded into the
 * emulator, and the bundled handler is run as a warm Lambda environment; every claim is read from the
 * emulator's CloudTrail.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  addTargetResources, AGENT_ALIAS_ARN, AGENT_ID, ALIAS_ID, buildApp, ELSEWHERE, functionPath, HUB, HUB_ROLE_ARN, KNOWLEDGE_BASE_ARN, MODEL_ID, REGION,
  stopAndClean, TARGET, TARGET_ROLE_ARN, WORKLOAD,
} from './fixtures/multi-account-app';
import type { Call, CallResult } from './fixtures/multi-account-handler';
import { bedrockCallsWithLocalCredentials, describeEvents } from './helpers';
import { AwsEmulator, ManualClock } from '../../emulator';
import type { CloudTrailEvent, LambdaRunner } from '../../emulator';

const outdir = mkdtempSync(join(tmpdir(), 'multi-account-'));
let emulator: AwsEmulator;
let lambda: LambdaRunner;
let functionName: string;
let first: CallResult[];
let events: readonly CloudTrailEvent[];

/** The handler's results; fails the test with the Lambda error and logs if the invocation failed. */
async function invoke(calls: Call[]): Promise<CallResult[]> {
  const invocation = await lambda.invoke({ calls });
  if (!invocation.ok) {
    throw new Error(`invocation failed: ${invocation.error.errorType}: ${invocation.error.errorMessage}\n${invocation.logs.join('\n')}`);
  }
  return invocation.result as CallResult[];
}

const userArn = (e: CloudTrailEvent) => e.userIdentity.arn;
const assumeRolesOn = (roleArn: string, recipient: string) => events.filter((e) => e.eventName === 'AssumeRole'
  && e.recipientAccountId === recipient && (e.requestParameters as { roleArn?: string } | null)?.roleArn === roleArn);

beforeAll(async () => {
  // GIVEN the three stacks, synthesized once (synth fails if the sides disagree)
  const { stacks } = buildApp(outdir);
  emulator = await AwsEmulator.start({ clock: new ManualClock(), defaultRegion: REGION });
  for (const stack of stacks) emulator.loadStack(stack);
  addTargetResources(emulator);
  lambda = await emulator.startLambda(functionPath());
  functionName = emulator.lambdaFunction(functionPath()).functionName;

  // WHEN the orchestrator calls a model in the hub, an agent and a knowledge base in the target account
  first = await invoke([
    { op: 'Converse', modelId: MODEL_ID },
    { op: 'InvokeAgent', agentAliasArn: AGENT_ALIAS_ARN },
    { op: 'Retrieve', knowledgeBaseArn: KNOWLEDGE_BASE_ARN },
  ]);
  events = [...emulator.cloudTrail.events];
});

afterAll(async () => {
  expect(await stopAndClean(emulator, outdir)).toEqual([]);
});

describe('targets: resources of another account through that account\'s role', () => {
  test('every call succeeds', () => {
    expect(first.filter((r) => !r.ok)).toEqual([]);
    expect(first.map((r) => r.ok && r.text.length > 0)).toEqual([true, true, true]);
  });

  test('the agent and the knowledge base are called in the target account, under the target role\'s session named after the function', () => {
    const targetSession = `arn:aws:sts::${TARGET}:assumed-role/OrchestratorAgentsRole/${functionName}`;
    const calls = events.filter((e) => e.eventName === 'InvokeAgent' || e.eventName === 'Retrieve');
    expect(calls.map((e) => [e.eventName, e.recipientAccountId, userArn(e), e.errorCode])).toEqual([
      ['InvokeAgent', TARGET, targetSession, undefined],
      ['Retrieve', TARGET, targetSession, undefined],
    ]);
    expect(calls[0].userIdentity.sessionContext?.sessionIssuer.arn).toBe(TARGET_ROLE_ARN);
    expect(first[1]).toMatchObject({ ok: true, signedAs: targetSession });
  });

  test('the model is called in the hub, under the hub role\'s session', () => {
    const converse = events.filter((e) => e.eventName === 'Converse');
    expect(converse.map((e) => [e.recipientAccountId, userArn(e), e.errorCode])).toEqual([
      [HUB, `arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/${functionName}`, undefined],
    ]);
  });

  test('one AssumeRole per role, each with its own ExternalId (never shown)', () => {
    expect(assumeRolesOn(HUB_ROLE_ARN, HUB)).toHaveLength(1);
    expect(assumeRolesOn(TARGET_ROLE_ARN, TARGET)).toHaveLength(1);
    for (const e of [...assumeRolesOn(HUB_ROLE_ARN, HUB), ...assumeRolesOn(TARGET_ROLE_ARN, TARGET)]) {
      expect(e.errorCode).toBeUndefined();
      expect(e).toMatchObject({ requestParameters: { externalId: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, userIdentity: { type: 'AWSAccount', accountId: WORKLOAD } });
    }
    expect(JSON.stringify(events)).not.toMatch(/hub-external-id|agents-external-id/);
  });

  test('no Bedrock call is signed with the function\'s own credentials', () => {
    expect(describeEvents(bedrockCallsWithLocalCredentials(events))).toEqual([]);
  });
});

describe('attribution: session tags and source identity in CloudTrail', () => {
  test('the hub\'s AssumeRole event carries the session tags, the function name among them, and the source identity', () => {
    const [assumeRole] = assumeRolesOn(HUB_ROLE_ARN, HUB);
    expect(assumeRole.requestParameters).toMatchObject({
      roleSessionName: functionName,
      tags: [{ key: 'team', value: 'orders' }, { key: 'lambda-function', value: functionName }],
      sourceIdentity: 'orders-service',
    });
    expect(assumeRole.responseElements).toMatchObject({ sourceIdentity: 'orders-service' });
  });

  test('so does the target\'s', () => {
    const [assumeRole] = assumeRolesOn(TARGET_ROLE_ARN, TARGET);
    expect(assumeRole.requestParameters).toMatchObject({
      tags: [{ key: 'team', value: 'orders' }, { key: 'lambda-function', value: functionName }],
      sourceIdentity: 'orders-service',
    });
  });

  test('every Bedrock call of the sessions carries the source identity', () => {
    const bedrock = events.filter((e) => e.eventSource === 'bedrock.amazonaws.com');
    expect(bedrock).toHaveLength(3);
    for (const e of bedrock) expect(e.userIdentity.sessionContext?.sourceIdentity).toBe('orders-service');
  });
});

describe('resource locality: refused in the function, before any request', () => {
  test('an application inference profile ARN in the workload account fails with layer resource-account, and nothing is sent', async () => {
    // GIVEN
    const before = emulator.cloudTrail.events.length;
    const profileArn = `arn:aws:bedrock:${REGION}:${WORKLOAD}:application-inference-profile/a1b2c3d4e5f6`;

    // WHEN
    const [result] = await invoke([{ op: 'Converse', modelId: profileArn }]);

    // THEN
    expect(result).toMatchObject({ ok: false, name: 'BedrockHubError', layer: 'resource-account' });
    expect(result.ok === false && result.message).toMatch(
      new RegExp(`modelId is the application-inference-profile ${profileArn} in account ${WORKLOAD}, but this client signs as the hub role ${HUB_ROLE_ARN} in account ${HUB}, where that application-inference-profile cannot be used\\. Nothing was sent\\.`),
    );
    expect(describeEvents(emulator.cloudTrail.events.slice(before))).toEqual([]);
  });

  test('an agent in an account without a role fails with layer no-target-role, and nothing is sent', async () => {
    const before = emulator.cloudTrail.events.length;
    const [result] = await invoke([{ op: 'InvokeAgent', agentAliasArn: `arn:aws:bedrock:${REGION}:${ELSEWHERE}:agent-alias/${AGENT_ID}/${ALIAS_ID}` }]);
    expect(result).toMatchObject({ ok: false, layer: 'no-target-role' });
    expect(result.ok === false && result.message).toContain(`No role is configured for account ${ELSEWHERE}`);
    expect(describeEvents(emulator.cloudTrail.events.slice(before))).toEqual([]);
  });
});

describe('what synth checks between the sides, STS enforces at run time', () => {
  test('the same function without the tag the hub requires is denied by the hub\'s trust policy', async () => {
    // GIVEN the function's environment without the function-name tag key (as if set by hand, unchecked)
    const untagged = await emulator.startLambda(functionPath(), { environment: { BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: '' } });
    const before = emulator.cloudTrail.events.length;

    // WHEN
    const invocation = await untagged.invoke({ calls: [{ op: 'Converse', modelId: MODEL_ID }] });

    // THEN
    expect(invocation.ok).toBe(true);
    const [result] = invocation.ok ? invocation.result as CallResult[] : [];
    // STS answers with its bare sentence: the diagnosis says what it knows, tags sent included.
    expect(result).toMatchObject({ ok: false, name: 'BedrockHubError', layer: 'assume-role-denied' });
    expect(result.ok === false && result.message).toMatch(/the role trust policy of .* must allow .*sts:TagSession/);
    const denied = emulator.cloudTrail.events.slice(before).filter((e) => e.eventName === 'AssumeRole' && e.recipientAccountId === HUB);
    expect(denied.map((e) => [e.errorCode, (e.requestParameters as { tags?: unknown }).tags])).toEqual([['AccessDenied', [{ key: 'team', value: 'orders' }]]]);
    expect(emulator.cloudTrail.events.slice(before).filter((e) => e.eventSource === 'bedrock.amazonaws.com')).toEqual([]);
  });
});
