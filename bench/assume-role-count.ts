/**
 * AssumeRole requests: N clients × M concurrent Bedrock calls on a cold process, through the shim
 * (one credential cache for every client, one in-flight AssumeRole) against the two ways handlers
 * hand-roll it:
 *
 * - a client per call with its own AssumeRole first (the pattern of `reference/002`);
 * - a credential provider per client that calls AssumeRole, which the SDK memoizes per client: what
 *   `fromTemporaryCredentials` of `@aws-sdk/credential-providers` gives each client it is passed to
 *   (that package is not a dependency here, so the provider is written out, as teams write it).
 *
 * The emulator counts the AssumeRole requests it answers; each round starts cold.
 */

import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { STSClient } from '@aws-sdk/client-sts';
import { getBedrockHubSession, resetBedrockHubSessions } from '../lambda-shim';
import { HubScenario, MODEL_ID, REGION } from './scenario';
import { formatDuration, formatRatio, formatTable, measureInterleaved, ratio, summarize } from './support';
import type { Benchmark, Print, Variant } from './support';

/** One shape: this many clients, each sending this many calls at once. */
export interface Shape {
  readonly clients: number;
  readonly calls: number;
}

/** What one variant did in one shape. */
export interface AssumeRoleCountRow {
  readonly variant: string;
  /** AssumeRole requests the emulator answered, per round. */
  readonly assumeRoles: readonly number[];
  /** Wall time of a whole round (every call answered), in ms. */
  readonly times: readonly number[];
}

/** The rows of one shape. */
export interface AssumeRoleCountResult {
  readonly shape: Shape;
  readonly rows: readonly AssumeRoleCountRow[];
}

const FULL = { shapes: [{ clients: 3, calls: 50 }, { clients: 10, calls: 20 }], rounds: 3 };
const SMOKE = { shapes: [{ clients: 2, calls: 3 }], rounds: 1 };

function converse(): ConverseCommand {
  return new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'Hello' }] }] });
}

/** Sends `calls` Converse requests at once on each client and waits for all of them. */
async function callAll(clients: readonly BedrockRuntimeClient[], calls: number): Promise<void> {
  await Promise.all(clients.flatMap((client) => Array.from({ length: calls }, () => client.send(converse()))));
}

/** A variant that counts AssumeRole requests and remembers them. */
function counted(scenario: HubScenario, name: string, counts: number[], variant: Omit<Variant, 'name'>): Variant {
  let before = 0;
  return {
    name,
    prepare: async () => {
      await variant.prepare?.();
      before = scenario.hubAssumeRoleCount();
    },
    run: variant.run,
    cleanup: async () => {
      counts.push(scenario.hubAssumeRoleCount() - before);
      await variant.cleanup?.();
    },
  };
}

async function measureShape(scenario: HubScenario, shape: Shape, rounds: number): Promise<AssumeRoleCountResult> {
  const { endpoint, masterCredentials, env } = scenario;
  const n = shape.clients;

  // Reference 002: every call assumes the role, then builds a client on the credentials.
  let sharedSts: STSClient | undefined;
  const perCall = {
    prepare: () => {
      sharedSts = scenario.stsClient();
    },
    run: () => Promise.all(Array.from({ length: n * shape.calls }, async () => {
      const credentials = await scenario.assumeHubRole(sharedSts);
      const client = new BedrockRuntimeClient({ endpoint, region: REGION, credentials });
      try {
        await client.send(converse());
      } finally {
        client.destroy();
      }
    })),
    cleanup: () => sharedSts?.destroy(),
  };

  // One AssumeRole provider per client, each with its own STS client, memoized by its SDK client.
  let providerClients: BedrockRuntimeClient[] = [];
  let providerSts: STSClient[] = [];
  const perClient = {
    prepare: () => {
      providerSts = [];
      providerClients = Array.from({ length: n }, () => {
        let sts: STSClient | undefined;
        const credentials = (): ReturnType<HubScenario['assumeHubRole']> => {
          if (!sts) {
            sts = scenario.stsClient();
            providerSts.push(sts);
          }
          return scenario.assumeHubRole(sts);
        };
        return new BedrockRuntimeClient({ endpoint, region: REGION, credentials });
      });
    },
    run: () => callAll(providerClients, shape.calls),
    cleanup: () => {
      for (const client of providerClients) client.destroy();
      for (const sts of providerSts) sts.destroy();
    },
  };

  // The shim: one session, a client per module, one cache behind all of them.
  let hubClients: BedrockRuntimeClient[] = [];
  const shim = {
    prepare: () => {
      resetBedrockHubSessions();
      hubClients = Array.from({ length: n }, () => getBedrockHubSession({ env, masterCredentials }).client(BedrockRuntimeClient, { endpoint }));
    },
    run: () => callAll(hubClients, shape.calls),
    cleanup: () => {
      for (const client of hubClients) client.destroy();
      resetBedrockHubSessions();
    },
  };

  const names = ['client per call, own AssumeRole', 'AssumeRole provider per client', 'shim: hub.client() per client'];
  const counts: number[][] = names.map(() => []);
  const measured = await measureInterleaved(
    [perCall, perClient, shim].map((variant, i) => counted(scenario, names[i], counts[i], variant)),
    { warmup: 0, rounds },
  );
  return { shape, rows: measured.map((m, i) => ({ variant: m.name, assumeRoles: counts[i], times: m.samples })) };
}

function countCell(counts: readonly number[]): string {
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  return min === max ? String(min) : `${min}–${max}`;
}

function report(result: AssumeRoleCountResult, print: Print): void {
  const { clients, calls } = result.shape;
  const shim = result.rows[result.rows.length - 1];
  const shimCount = summarize(shim.assumeRoles).median;
  const shimTime = summarize(shim.times);
  print(`${clients} clients × ${calls} concurrent calls = ${clients * calls} Converse calls per round, cold; ${shim.times.length} rounds, interleaved`);
  print(formatTable(
    ['variant', 'AssumeRole per round', 'AssumeRole ÷ shim', 'median round', 'p90 round', 'median ÷ shim'],
    result.rows.map((row) => {
      const time = summarize(row.times);
      return [
        row.variant,
        countCell(row.assumeRoles),
        formatRatio(ratio(summarize(row.assumeRoles).median, shimCount)),
        formatDuration(time.median),
        formatDuration(time.p90),
        formatRatio(ratio(time.median, shimTime.median)),
      ];
    }),
  ));
}

export const assumeRoleCount: Benchmark<AssumeRoleCountResult[]> = {
  name: 'assume-role-count',
  title: 'AssumeRole requests at the server: the shim (one shared cache, single flight) vs hand-rolled AssumeRole',
  async run(print, options = {}) {
    const { shapes, rounds } = options.smoke ? SMOKE : FULL;
    const scenario = await HubScenario.start();
    const results: AssumeRoleCountResult[] = [];
    try {
      // Module caches and JIT, once, before anything counts.
      await measureShape(scenario, { clients: 1, calls: 1 }, 1);
      for (const shape of shapes) {
        const result = await measureShape(scenario, shape, rounds);
        results.push(result);
        report(result, print);
        print('');
      }
    } finally {
      resetBedrockHubSessions();
      await scenario.stop();
    }
    print('AssumeRole ÷ shim: how many times the shim\'s AssumeRole requests the variant sends for the same calls;');
    print('median ÷ shim: the variant\'s wall time for the whole round over the shim\'s (STS and Bedrock on one local emulator).');
    return results;
  },
};
