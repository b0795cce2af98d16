/**
 * Per-call overhead: a Bedrock call through `hub.client(...)` with warm hub credentials against a
 * plain client holding the same credentials as static ones, against the same server. What the shim
 * adds per request is the cache check, its credential provider (called on every request) and its
 * middlewares (request checks, error explanation, ExpiredToken retry and signing-key recorder).
 *
 * Four settings: Converse over h2c and GetFoundationModel over HTTP/1.1 on the emulator (which
 * verifies every signature and evaluates IAM policies, so its own work is most of each call);
 * Converse with no network at all (a canned response), where the client's own work is all there
 * is; and the same with the SDK's `cacheMiddleware` on both clients, which resolves the middleware
 * stack once per command instead of on every send and so leaves the shim's own per-request work.
 */

import { BedrockClient, GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { MODEL_ID, REGION, withWarmHub } from './scenario';
import { measureInterleaved, timingTable } from './support';
import type { Benchmark, Measured, Print } from './support';

/** The measurements of one setting. */
export interface CallOverheadResult {
  readonly setting: string;
  /** Baseline first, then the shim. */
  readonly measured: readonly Measured[];
  /** AssumeRole requests during the timed calls (0: the cache was warm throughout). */
  readonly assumeRolesDuringRun: number;
}

const FULL = { network: { warmup: 30, rounds: 200 }, local: { warmup: 300, rounds: 2000 } };
const SMOKE = { network: { warmup: 1, rounds: 2 }, local: { warmup: 1, rounds: 2 } };

const CONVERSE_REPLY = new TextEncoder().encode(JSON.stringify({
  output: { message: { role: 'assistant', content: [{ text: 'Hello.' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
  metrics: { latencyMs: 1 },
}));

/** A request handler that answers every request with one Converse reply, without a network. */
const cannedConverse: NonNullable<BedrockRuntimeClientConfig['requestHandler']> = {
  handle: async () => ({
    response: {
      statusCode: 200,
      reason: 'OK',
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': '00000000-0000-4000-8000-000000000000' },
      body: CONVERSE_REPLY,
    },
  }),
} as NonNullable<BedrockRuntimeClientConfig['requestHandler']>;

function converse(): ConverseCommand {
  return new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'Hello' }] }] });
}

/** One setting: the same call made by a plain client and by a hub client. */
interface Setting {
  readonly setting: string;
  readonly counts: { readonly warmup: number; readonly rounds: number };
  readonly plain: () => Promise<unknown>;
  readonly shim: () => Promise<unknown>;
  readonly close: () => void;
}

const PLAIN = 'plain client, static hub credentials';
const SHIM = 'hub.client(), warm hub credentials';

export const callOverhead: Benchmark<CallOverheadResult[]> = {
  name: 'call-overhead',
  title: 'per-call latency of a Bedrock call through hub.client() vs a plain client (same credentials, same server)',
  async run(print: Print, options = {}) {
    const counts = options.smoke ? SMOKE : FULL;
    const results = await withWarmHub(async ({ scenario, credentials, hub }) => {
      const { endpoint } = scenario;
      const settings: Setting[] = [];
      {
        const plain = new BedrockRuntimeClient({ endpoint, region: REGION, credentials });
        const shim = hub.client(BedrockRuntimeClient, { endpoint });
        settings.push({
          setting: 'Converse, bedrock-runtime over h2c, emulator',
          counts: counts.network,
          plain: () => plain.send(converse()),
          shim: () => shim.send(converse()),
          close: () => [plain, shim].forEach((c) => c.destroy()),
        });
      }
      {
        const plain = new BedrockClient({ endpoint, region: REGION, credentials });
        const shim = hub.client(BedrockClient, { endpoint });
        const command = (): GetFoundationModelCommand => new GetFoundationModelCommand({ modelIdentifier: MODEL_ID });
        settings.push({
          setting: 'GetFoundationModel, bedrock control plane over HTTP/1.1, emulator',
          counts: counts.network,
          plain: () => plain.send(command()),
          shim: () => shim.send(command()),
          close: () => [plain, shim].forEach((c) => c.destroy()),
        });
      }
      {
        const plain = new BedrockRuntimeClient({ region: REGION, credentials, requestHandler: cannedConverse });
        const shim = hub.client(BedrockRuntimeClient, { requestHandler: cannedConverse });
        settings.push({
          setting: 'Converse, no network (canned response): the client\'s own work only',
          counts: counts.local,
          plain: () => plain.send(converse()),
          shim: () => shim.send(converse()),
          close: () => [plain, shim].forEach((c) => c.destroy()),
        });
      }

      {
        // The SDK resolves the middleware stack on every send unless told to cache it per command;
        // the shim's middlewares are four more entries to resolve. With the cache, what is left is
        // the shim's own per-request work.
        const plain = new BedrockRuntimeClient({ region: REGION, credentials, requestHandler: cannedConverse, cacheMiddleware: true });
        const shim = hub.client(BedrockRuntimeClient, { requestHandler: cannedConverse, cacheMiddleware: true });
        settings.push({
          setting: 'Converse, no network, cacheMiddleware: true on both clients',
          counts: counts.local,
          plain: () => plain.send(converse()),
          shim: () => shim.send(converse()),
          close: () => [plain, shim].forEach((c) => c.destroy()),
        });
      }

      const measuredSettings: CallOverheadResult[] = [];
      for (const s of settings) {
        const before = scenario.hubAssumeRoleCount();
        const measured = await measureInterleaved([{ name: PLAIN, run: s.plain }, { name: SHIM, run: s.shim }], s.counts);
        const assumeRolesDuringRun = scenario.hubAssumeRoleCount() - before;
        s.close();
        measuredSettings.push({ setting: s.setting, measured, assumeRolesDuringRun });
        print(`${s.setting}: ${s.counts.warmup} warm-up + ${s.counts.rounds} timed calls each, alternating; AssumeRole during the run: ${assumeRolesDuringRun}`);
        print(timingTable(measured, { unit: 'call', referenceLabel: 'plain' }));
        print('');
      }
      return measuredSettings;
    });
    print('÷ plain: the shim client\'s latency over the plain client\'s, call by call (1.00x = no overhead).');
    return results;
  },
};
