/**
 * The end-to-end suite every framework gets: its recipe stays on the hub on each Node.js runtime,
 * with and without `AWS_BEARER_TOKEN_BEDROCK` (a key of the workload account) in the environment,
 * streaming where the framework streams; the framework given only the hub's credentials bypasses
 * the hub once the key is set (which is what the recipe prevents, and proves the check can fail);
 * an AccessDenied from the hub comes out explained with a layer.
 */
import { appendFileSync } from 'fs';
import type { FrameworkEvent } from './harness';
import { runtimesFor, versionOf } from './runtimes';
import { bedrockCalls, describeEvents, FrameworkScenario, HandlerFormat, HUB_ACCOUNT, outcomeOf, startFrameworkScenario } from './scenario';
import type { CloudTrailEvent } from '../../../emulator';

/** What the suite needs to know about a framework. */
export interface FrameworkSpec {
  /** The handler file under handlers/ (without `.ts`). */
  readonly handler: string;
  /** The framework's package (its version and `engines` pick the runtimes). */
  readonly packageName: string;
  /** Whether the framework streams (then both a plain and a streamed call are made). */
  readonly streams: boolean;
  /** Only streams (Strands agents). */
  readonly streamsOnly?: boolean;
  /** Endpoints of the handler (`event.endpoint`). @default [undefined] */
  readonly endpoints?: readonly string[];
  /** How NodejsFunction bundles the handler. @default 'cjs' */
  readonly format?: HandlerFormat;
  /**
   * What the framework given only the hub's credentials does without the key: `hub call`, or
   * `no call` for clients that only take API keys (OpenAI's `BedrockOpenAI`).
   * @default 'hub call'
   */
  readonly credentialsOnlyWithoutKey?: 'hub call' | 'no call';
  /** Whether the handler has an `override` recipe (the API key put back on top of the recipe). */
  readonly overridable?: boolean;
}

const MINUTE = 60_000;

/** Access keys Lambda issued to the execution role (the function's own credentials). */
function executionRoleKeys(events: readonly CloudTrailEvent[]): Set<string> {
  return new Set(events
    .filter((e) => e.eventName === 'AssumeRole' && e.userIdentity.invokedBy === 'lambda.amazonaws.com')
    .map((e) => (e.responseElements as { credentials?: { accessKeyId?: string } } | null)?.credentials?.accessKeyId)
    .filter((key): key is string => key !== undefined));
}

/** Appends a row of the results table to `FRAMEWORK_MATRIX_FILE`, when set. */
function record(row: Record<string, unknown>): void {
  if (process.env.FRAMEWORK_MATRIX_FILE) appendFileSync(process.env.FRAMEWORK_MATRIX_FILE, `${JSON.stringify(row)}\n`);
}

/** Declares the suite for one framework. */
export function frameworkSuite(spec: FrameworkSpec): void {
  const runtimes = runtimesFor(spec.packageName);
  const version = versionOf(spec.packageName);
  const endpoints = spec.endpoints ?? [undefined];
  const streamModes = spec.streamsOnly ? [true] : spec.streams ? [false, true] : [false];
  let scenario: FrameworkScenario;

  beforeAll(async () => {
    scenario = await startFrameworkScenario(spec.handler, spec.format);
  }, 5 * MINUTE);

  afterAll(async () => {
    expect(await scenario?.stop()).toEqual([]);
  });

  describe.each(runtimes.map((runtime) => [runtime.version, runtime] as const))(`${spec.packageName}@${version} on Node %s`, (_, runtime) => {
    test.each([['unset', false], ['set', true]] as const)('the recipe calls Bedrock only in the hub, as the hub role, with AWS_BEARER_TOKEN_BEDROCK %s', async (_label, bearer) => {
      // GIVEN the bundled function, with the workload account's API key in its environment or not
      const lambda = await scenario.start(runtime, bearer ? { AWS_BEARER_TOKEN_BEDROCK: scenario.apiKey.token } : {});
      try {
        for (const endpoint of endpoints) {
          for (const stream of streamModes) {
            // WHEN it calls the model through the framework
            const event: FrameworkEvent = { stream, endpoint };
            const { result, events, logs } = await scenario.invoke(lambda, event);

            // THEN the answer came back, from calls in the hub account by the hub role's session only
            const calls = bedrockCalls(events);
            const context = `${JSON.stringify(event)} on Node ${runtime.version}\n${describeEvents(events).join('\n')}\n${logs.join('\n')}`;
            expect({ result, context }).toMatchObject({ result: { ok: true } });
            expect(result.text).toMatch(/\S/);
            if (stream) expect(result.chunks).toBeGreaterThan(1);
            expect({ outcome: outcomeOf(result, events, scenario.functionName), context }).toMatchObject({ outcome: 'hub call' });
            const local = executionRoleKeys(scenario.emulator.cloudTrail.events);
            expect(calls.filter((e) => e.userIdentity.accessKeyId !== undefined && local.has(e.userIdentity.accessKeyId))).toEqual([]);
            expect(calls.every((e) => e.recipientAccountId === HUB_ACCOUNT && e.additionalEventData?.callWithBearerToken === undefined)).toBe(true);
            record({ framework: spec.packageName, version, node: runtime.version, bearer, endpoint, stream, recipe: 'hub', outcome: outcomeOf(result, events, scenario.functionName) });
          }
        }
        // AND the shim warned about the key, by name, never by value
        const warnings = lambda.logs.filter((line) => line.includes('AWS_BEARER_TOKEN_BEDROCK is set while hub mode is on'));
        expect(warnings).toHaveLength(bearer ? 1 : 0);
        expect(lambda.logs.join('\n')).not.toContain(scenario.apiKey.token);
      } finally {
        await lambda.stop();
      }
    }, 5 * MINUTE);
  });

  test.each([['unset', false], ['set', true]] as const)(
    `given only the hub's credentials, ${spec.packageName} with AWS_BEARER_TOKEN_BEDROCK %s: ${spec.credentialsOnlyWithoutKey ?? 'hub call'} without the key, bypass with it`,
    async (_label, bearer) => {
      const runtime = runtimes[runtimes.length - 1];
      const lambda = await scenario.start(runtime, bearer ? { AWS_BEARER_TOKEN_BEDROCK: scenario.apiKey.token } : {});
      try {
        for (const endpoint of endpoints) {
          const { result, events } = await scenario.invoke(lambda, { recipe: 'naive', endpoint, stream: spec.streamsOnly });
          const outcome = outcomeOf(result, events, scenario.functionName);
          record({ framework: spec.packageName, version, node: runtime.version, bearer, endpoint, recipe: 'naive', outcome });
          expect({ outcome, events: describeEvents(events) }).toMatchObject({ outcome: bearer ? 'bypass' : spec.credentialsOnlyWithoutKey ?? 'hub call' });
        }
      } finally {
        await lambda.stop();
      }
    }, 5 * MINUTE);

  if (spec.overridable) {
    test('the recipe with the API key put back on top is refused: nothing is sent, a BedrockHubError names the variable', async () => {
      const runtime = runtimes[runtimes.length - 1];
      const lambda = await scenario.start(runtime, { AWS_BEARER_TOKEN_BEDROCK: scenario.apiKey.token });
      try {
        const { result, events } = await scenario.invoke(lambda, { recipe: 'override', stream: spec.streamsOnly });
        const outcome = outcomeOf(result, events, scenario.functionName);
        record({ framework: spec.packageName, version, node: runtime.version, bearer: true, recipe: 'override', outcome });
        expect({ outcome, result, events: describeEvents(events) }).toMatchObject({ outcome: 'refused', result: { error: { name: 'BedrockHubError', layer: 'configuration' } } });
        expect(result.error!.message).toMatch(/AWS_BEARER_TOKEN_BEDROCK/);
        expect(result.error!.message).not.toContain(scenario.apiKey.token);
      } finally {
        await lambda.stop();
      }
    }, 5 * MINUTE);
  }

  test('an AccessDenied from the hub is explained with a layer', async () => {
    // GIVEN the hub account is not subscribed to the models, and the hub role may not subscribe it
    scenario.emulator.bedrock.setModelSubscription({ accountId: HUB_ACCOUNT, subscribed: false });
    const runtime = runtimes[runtimes.length - 1];
    const lambda = await scenario.start(runtime, { AWS_BEARER_TOKEN_BEDROCK: scenario.apiKey.token });
    try {
      for (const endpoint of endpoints) {
        // WHEN the function calls a model through the framework
        const { result, events } = await scenario.invoke(lambda, { endpoint, stream: spec.streamsOnly });
        // THEN it fails with the hub's layer named, after a call in the hub (never around it)
        expect({ result, events: describeEvents(events) }).toMatchObject({ result: { ok: false, error: { name: 'BedrockHubError', layer: 'hub-permission' } } });
        expect(result.error!.message).toMatch(/aws-marketplace:ViewSubscriptions/);
        expect(outcomeOf(result, events, scenario.functionName)).toBe('hub call');
      }
    } finally {
      scenario.emulator.bedrock.setModelSubscription({ accountId: HUB_ACCOUNT, subscribed: true });
      await lambda.stop();
    }
  }, 5 * MINUTE);
}
