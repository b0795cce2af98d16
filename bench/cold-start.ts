/**
 * Cold start: what the hub costs before the first answer.
 *
 * 1. The first call in a warm process: a fresh client's first Converse, with static credentials
 *    (baseline), with a hand-rolled AssumeRole provider, and through a fresh hub session (AssumeRole
 *    on a new STS connection, then the call). Clients are built untimed; only the first `send` is timed.
 * 2. Construction: `getBedrockHubSession()` + `hub.client()` against `new BedrockRuntimeClient()`.
 * 3. A new process, as a Lambda cold start: `require` of the bundled handler (the SDK modules it
 *    loads, the shim's setup) and its first invocation, in a child `node` per sample.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { STSClient } from '@aws-sdk/client-sts';
import { getBedrockHubSession, resetBedrockHubSessions } from '../lambda-shim';
import { bundleHandlers } from './bundle-size';
import type { HandlerBundle } from './bundle-size';
import { baseEnvironment, credentialEnvironment, HUB_ENVIRONMENT, runHandlerProcess } from './process-support';
import { HubScenario, MODEL_ID, REGION } from './scenario';
import type { StaticCredentials } from './scenario';
import { formatDuration, formatRatio, formatTable, hrtimeMs, measureInterleaved, ratio, summarize, timingTable } from './support';
import type { Benchmark, Measured, Variant } from './support';

/** What the cold-start benchmark measured. */
export interface ColdStartResult {
  readonly firstCall: readonly Measured[];
  readonly construction: readonly Measured[];
  readonly process: readonly ProcessMeasured[];
}

/** One handler's child-process samples, in ms. */
export interface ProcessMeasured {
  readonly name: string;
  /** `require` of the bundle: SDK modules, module-scope setup. */
  readonly init: readonly number[];
  /** The first invocation. */
  readonly invoke: readonly number[];
  /** Spawn to exit, as the parent saw it. */
  readonly wall: readonly number[];
}

const FULL = { firstCall: { warmup: 3, rounds: 25 }, construction: { warmup: 5, rounds: 100, batch: 20 }, process: { warmup: 1, rounds: 10 } };
const SMOKE = { firstCall: { warmup: 0, rounds: 1 }, construction: { warmup: 0, rounds: 1, batch: 2 }, process: { warmup: 0, rounds: 1 } };

function converse(): ConverseCommand {
  return new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'Hello' }] }] });
}

/** Variants that build a client untimed and time its first call. */
function firstCallVariants(scenario: HubScenario, hubCredentials: StaticCredentials): Variant[] {
  const { endpoint, env, masterCredentials } = scenario;
  let plain: BedrockRuntimeClient | undefined;
  let handRolled: BedrockRuntimeClient | undefined;
  let sts: STSClient | undefined;
  let shim: BedrockRuntimeClient | undefined;
  return [
    {
      name: 'plain client, static credentials',
      prepare: () => {
        plain = new BedrockRuntimeClient({ endpoint, region: REGION, credentials: hubCredentials });
      },
      run: () => plain!.send(converse()),
      cleanup: () => plain?.destroy(),
    },
    {
      name: 'hand-rolled AssumeRole provider',
      prepare: () => {
        sts = undefined;
        // Its STS client is built on first use, as fromTemporaryCredentials and the shim build theirs.
        handRolled = new BedrockRuntimeClient({
          endpoint,
          region: REGION,
          credentials: () => scenario.assumeHubRole(sts ??= scenario.stsClient()),
        });
      },
      run: () => handRolled!.send(converse()),
      cleanup: () => {
        handRolled?.destroy();
        sts?.destroy();
      },
    },
    {
      name: 'shim: fresh hub session',
      prepare: () => {
        resetBedrockHubSessions();
        shim = getBedrockHubSession({ env, masterCredentials }).client(BedrockRuntimeClient, { endpoint });
      },
      run: () => shim!.send(converse()),
      cleanup: () => {
        shim?.destroy();
        resetBedrockHubSessions();
      },
    },
  ];
}

/** Variants that build clients, `batch` per sample, destroying them untimed afterwards. */
function constructionVariants(scenario: HubScenario): Variant[] {
  const { endpoint, env, masterCredentials } = scenario;
  const config = { endpoint, region: REGION };
  const built: BedrockRuntimeClient[] = [];
  const destroyAll = (): void => {
    for (const client of built.splice(0)) client.destroy();
  };
  const held = (): ReturnType<typeof getBedrockHubSession> => getBedrockHubSession({ env, masterCredentials });
  let session = held();
  return [
    {
      name: 'new BedrockRuntimeClient(config)',
      run: () => built.push(new BedrockRuntimeClient({ ...config, credentials: masterCredentials })),
      cleanup: destroyAll,
    },
    {
      name: 'hub.client() on a held session',
      prepare: () => {
        session = held();
      },
      run: () => built.push(session.client(BedrockRuntimeClient, config)),
      cleanup: destroyAll,
    },
    {
      name: 'getBedrockHubSession() + hub.client()',
      run: () => built.push(getBedrockHubSession({ env, masterCredentials }).client(BedrockRuntimeClient, config)),
      cleanup: destroyAll,
    },
    {
      name: 'reset + first getBedrockHubSession() + hub.client()',
      run: () => {
        resetBedrockHubSessions();
        built.push(getBedrockHubSession({ env, masterCredentials }).client(BedrockRuntimeClient, config));
      },
      cleanup: () => {
        destroyAll();
        resetBedrockHubSessions();
      },
    },
  ];
}

/** Runs a bundled handler once in a new `node` process; its own timings, and the wall time. */
async function runProcess(bundle: HandlerBundle, env: Record<string, string>): Promise<{ init: number; invoke: number; wall: number }> {
  const start = hrtimeMs();
  const { require: init, invoke } = await runHandlerProcess(bundle.file, env);
  return { init, invoke, wall: hrtimeMs() - start };
}

async function measureProcesses(
  scenario: HubScenario, hubCredentials: StaticCredentials, counts: { warmup: number; rounds: number },
): Promise<ProcessMeasured[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-start-'));
  try {
    const bundles = await bundleHandlers(outdir);
    const base = baseEnvironment(scenario, outdir);
    const hub = { ...base, ...credentialEnvironment(scenario.masterCredentials), ...HUB_ENVIRONMENT };
    const envOf: Record<HandlerBundle['name'], Record<string, string>> = {
      'plain': { ...base, ...credentialEnvironment(hubCredentials) },
      'hand-rolled': hub,
      'shim': hub,
    };
    const samples = bundles.map((b) => ({ name: b.label, init: [] as number[], invoke: [] as number[], wall: [] as number[] }));
    await measureInterleaved(bundles.map((bundle, i): Variant => ({
      name: bundle.label,
      run: async () => {
        const sample = await runProcess(bundle, envOf[bundle.name]);
        samples[i].init.push(sample.init);
        samples[i].invoke.push(sample.invoke);
        samples[i].wall.push(sample.wall);
      },
    })), counts);
    // measureInterleaved keeps only the counted rounds; so do the samples here.
    return samples.map((s) => ({
      name: s.name,
      init: s.init.slice(counts.warmup),
      invoke: s.invoke.slice(counts.warmup),
      wall: s.wall.slice(counts.warmup),
    }));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function processTable(measured: readonly ProcessMeasured[]): string {
  const [plain] = measured;
  const cells = (values: readonly number[], reference: readonly number[]): string[] => {
    const s = summarize(values);
    return [formatDuration(s.median), formatDuration(s.p90), formatRatio(ratio(s.median, summarize(reference).median))];
  };
  return formatTable(
    ['handler', 'samples', 'require median', 'p90', '÷ plain', 'first invoke median', 'p90', '÷ plain', 'process wall median', 'p90', '÷ plain'],
    measured.map((m) => [
      m.name, String(m.wall.length), ...cells(m.init, plain.init), ...cells(m.invoke, plain.invoke), ...cells(m.wall, plain.wall),
    ]),
  );
}

export const coldStart: Benchmark<ColdStartResult> = {
  name: 'cold-start',
  title: 'first call (AssumeRole + call) vs a plain first call; client construction; a new process',
  async run(print, options = {}) {
    const counts = options.smoke ? SMOKE : FULL;
    const scenario = await HubScenario.start();
    try {
      const hubCredentials = await scenario.assumeHubRole();

      const firstCall = await measureInterleaved(firstCallVariants(scenario, hubCredentials), counts.firstCall);
      print(`first call of a new client in a warm process: ${counts.firstCall.warmup} warm-up + ${counts.firstCall.rounds} rounds, interleaved`);
      print(timingTable(firstCall, { unit: 'first call', referenceLabel: 'plain' }));
      print('');

      const construction = await measureInterleaved(constructionVariants(scenario), counts.construction);
      print(`client construction: ${counts.construction.warmup} warm-up + ${counts.construction.rounds} rounds of ${counts.construction.batch}, interleaved`);
      print(timingTable(construction, { unit: 'client', referenceLabel: 'new' }));
      print('');

      const processes = await measureProcesses(scenario, hubCredentials, counts.process);
      print(`a new node process per sample (bundled handler, @aws-sdk/* from node_modules): ${counts.process.warmup} warm-up + ` +
        `${counts.process.rounds} rounds, interleaved`);
      print(processTable(processes));
      print('');
      print('÷ plain / ÷ new: the variant\'s median over the plain client\'s (first call, process) or `new BedrockRuntimeClient()`\'s (construction).');
      print('require = loading the bundle: the SDK modules it pulls in (client-sts too, for hub handlers) and module-scope setup.');
      return { firstCall, construction, process: processes };
    } finally {
      resetBedrockHubSessions();
      await scenario.stop();
    }
  },
};
