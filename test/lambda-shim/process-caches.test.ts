import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { EmulatedHub, MODEL, assumeRoleCalls, hubEnv, startEmulatedHub, stopEmulatedHub } from './emulated-hub';
import { resetBedrockHubSessions } from '../../lambda-shim/process-caches';
import { BedrockHubSession, getBedrockHubSession } from '../../lambda-shim/session';

const converse = () => new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
const ATTRIBUTION = {
  BEDROCK_ASSUME_ROLE_SESSION_TAGS: JSON.stringify({ 'team': 'orders', 'cost-center': '1234' }),
  BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'lambda-function',
  BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'orders-service',
};

let emulated: EmulatedHub;
const clients: { destroy(): void }[] = [];

beforeEach(async () => {
  emulated = await startEmulatedHub();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  resetBedrockHubSessions();
  await stopEmulatedHub(emulated);
});

function sessionEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return hubEnv(emulated, extra);
}

function hubSession(extra: Record<string, string | undefined> = {}): BedrockHubSession {
  return getBedrockHubSession({ env: sessionEnv(extra), clock: emulated.clock.now, masterCredentials: emulated.master });
}

function runtimeClient(hub: BedrockHubSession): BedrockRuntimeClient {
  const client = hub.client(BedrockRuntimeClient, { endpoint: emulated.endpoint });
  clients.push(client);
  return client;
}

describe('the process-wide caches', () => {
  test('sessions are cached per configuration and region, and share the role\'s credential cache', async () => {
    const first = hubSession();
    expect(hubSession()).toBe(first);
    expect(getBedrockHubSession({ env: sessionEnv() })).toBe(first);
    expect(hubSession({ AWS_REGION: 'eu-west-1' })).not.toBe(first);
    expect(hubSession({ BEDROCK_ASSUME_ROLE_SESSION_NAME: 'other' }).credentials).not.toBe(first.credentials);

    // A session in another region built with the same role session still makes one AssumeRole per (role, …, STS region)
    await runtimeClient(first).send(converse());
    await runtimeClient(hubSession()).send(converse());
    expect(assumeRoleCalls(emulated.emulator)).toHaveLength(1);
  });

  test('tags and source identity are part of the role session: a change is a new cache', () => {
    const first = hubSession(ATTRIBUTION);
    expect(hubSession({ ...ATTRIBUTION, BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'other' }).credentials).not.toBe(first.credentials);
    expect(hubSession({ ...ATTRIBUTION, BEDROCK_ASSUME_ROLE_SESSION_TAGS: '{"team":"billing"}' }).credentials).not.toBe(first.credentials);
    expect(hubSession({ ...ATTRIBUTION }).credentials).toBe(first.credentials);
  });
});
