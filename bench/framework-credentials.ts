/**
 * `hub.credentials` is cheap per call. Frameworks that take a credential provider call it on
 * every request (the Vercel AI SDK's and Anthropic's Bedrock SDKs, the OpenAI SDK's SigV4 provider),
 * so the shim's provider must answer from its cache: 1,000 calls through a framework cost one
 * AssumeRole, and the same time per call as static credentials.
 *
 * The framework: Anthropic's Bedrock SDK (it runs on this machine's Node and signs every request
 * itself, asking its provider each time), against the emulator (InvokeModel over HTTP/1.1, every
 * signature verified, IAM evaluated). Two variants, interleaved call by call: the same hub role
 * credentials given as static values, and the recipe `anthropicBedrockOptions(hub)`. A second
 * setting times the provider alone: `await hub.credentials()` against `await` of a constant.
 */

import AnthropicBedrock from '@anthropic-ai/bedrock-sdk';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { anthropicBedrockOptions } from '../lambda-shim';
import { MODEL_ID, REGION, withWarmHub } from './scenario';
import { measureInterleaved, timingTable } from './support';
import type { Benchmark, Measured, Print } from './support';

/** The outcome of one setting. */
export interface FrameworkCredentialsResult {
  readonly setting: string;
  /** Static credentials first, then the hub's provider. */
  readonly measured: readonly Measured[];
  /** Timed calls per variant. */
  readonly calls: number;
  /** How often the framework (or the loop) asked the hub's provider for credentials. */
  readonly providerCalls: number;
  /** AssumeRole requests in the hub during the timed calls (0: one AssumeRole, before, served them all). */
  readonly assumeRolesDuringRun: number;
  /** AssumeRole requests in the hub since the session was created. */
  readonly assumeRolesTotal: number;
}

const FULL = { network: { warmup: 50, rounds: 1000 }, local: { warmup: 1000, rounds: 1000, batch: 100 } };
const SMOKE = { network: { warmup: 1, rounds: 2 }, local: { warmup: 1, rounds: 2, batch: 1 } };

const STATIC = 'static hub credentials';
const HUB = 'hub.credentials (the recipe)';

/** A provider that counts its calls. */
function counted(provider: AwsCredentialIdentityProvider): { provider: AwsCredentialIdentityProvider; calls: () => number } {
  let calls = 0;
  return { provider: (options) => { calls++; return provider(options); }, calls: () => calls };
}

export const frameworkCredentials: Benchmark<FrameworkCredentialsResult[]> = {
  name: 'framework-credentials',
  title: '1,000 calls through a framework (Anthropic\'s Bedrock SDK) on hub.credentials vs static credentials: AssumeRole count and time per call',
  async run(print: Print, options = {}) {
    const counts = options.smoke ? SMOKE : FULL;
    const results = await withWarmHub(async ({ scenario, credentials, hub, assumeRolesBeforeSession }) => {
      const { endpoint } = scenario;
      const hubProvider = counted(hub.credentials!);

      const request = { model: MODEL_ID, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };
      const common = { baseURL: endpoint, maxRetries: 0 };
      const withStatic = new AnthropicBedrock({
        ...common,
        awsRegion: REGION,
        apiKey: null,
        awsAccessKey: credentials.accessKeyId,
        awsSecretKey: credentials.secretAccessKey,
        awsSessionToken: credentials.sessionToken,
      });
      const withHub = new AnthropicBedrock({ ...anthropicBedrockOptions(hub), ...common, providerChainResolver: async () => hubProvider.provider });

      const constant = { ...credentials };
      const settings = [
        {
          setting: `InvokeModel through AnthropicBedrock, emulator over HTTP/1.1: ${counts.network.rounds} calls each`,
          counts: counts.network,
          variants: [
            { name: STATIC, run: () => withStatic.messages.create(request) },
            { name: HUB, run: () => withHub.messages.create(request) },
          ],
        },
        {
          setting: 'the credential provider alone (what each framework call adds)',
          counts: counts.local,
          variants: [
            { name: STATIC, run: async () => constant },
            { name: HUB, run: () => hubProvider.provider() },
          ],
        },
      ];

      const measuredSettings: FrameworkCredentialsResult[] = [];
      for (const s of settings) {
        const assumeRolesBefore = scenario.hubAssumeRoleCount();
        const providerCallsBefore = hubProvider.calls();
        const measured = await measureInterleaved(s.variants, s.counts);
        const result: FrameworkCredentialsResult = {
          setting: s.setting,
          measured,
          calls: s.counts.rounds * ('batch' in s.counts ? s.counts.batch : 1),
          providerCalls: hubProvider.calls() - providerCallsBefore,
          assumeRolesDuringRun: scenario.hubAssumeRoleCount() - assumeRolesBefore,
          assumeRolesTotal: scenario.hubAssumeRoleCount() - assumeRolesBeforeSession,
        };
        measuredSettings.push(result);
        print(`${s.setting}; the hub's provider was asked ${result.providerCalls} times (warm-up included); ` +
          `AssumeRole in the hub: ${result.assumeRolesDuringRun} during the run, ${result.assumeRolesTotal} since the session was created`);
        print(timingTable(measured, { unit: 'call', referenceLabel: 'static' }));
        print('');
      }
      return measuredSettings;
    });
    print('÷ static: time per call with the hub\'s provider over time per call with static credentials (1.00x = no overhead).');
    return results;
  },
};
