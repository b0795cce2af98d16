/**
 * hubFetch and bearerRefusingFetch against the emulator: real HTTP, signatures verified, the
 * CloudTrail record says who called.
 */
import { AwsEmulator, ManualClock } from '../../emulator';
import { BedrockHubError, bearerRefusingFetch, getBedrockHubSession, hubFetch, resetBedrockHubSessions } from '../../lambda-shim';
import type { BedrockHubSession } from '../../lambda-shim';

const HUB = '111122223333';
const WORKLOAD = '444455556666';
const REGION = 'us-east-1';
const ROLE_ARN = `arn:aws:iam::${HUB}:role/BedrockHubRole`;
const EXTERNAL_ID = 'signed-fetch-external-id';

let emulator: AwsEmulator;
let hub: BedrockHubSession;

beforeAll(async () => {
  emulator = await AwsEmulator.start({ clock: new ManualClock(), defaultRegion: REGION });
  emulator.putRole({
    accountId: HUB,
    roleName: 'BedrockHubRole',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }],
    },
    policies: [{
      name: 'inference',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:*::foundation-model/*' },
          { Effect: 'Allow', Action: 'bedrock-mantle:CreateInference', Resource: `arn:aws:bedrock-mantle:*:${HUB}:project/*` },
        ],
      },
    }],
  });
  const workload = emulator.createUser(WORKLOAD, 'function', [{
    name: 'assume', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN }] },
  }]);
  hub = getBedrockHubSession({
    env: {
      BEDROCK_ASSUME_ROLE_ARN: ROLE_ARN,
      BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
      AWS_LAMBDA_FUNCTION_NAME: 'signed-fetch-fn',
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_STS: emulator.endpoint,
    },
    masterCredentials: workload,
  });
});

afterAll(async () => {
  resetBedrockHubSessions();
  const problems = [...emulator.problems];
  await emulator.stop();
  expect(problems).toEqual([]);
});

const chat = JSON.stringify({ model: 'openai.gpt-oss-120b-1:0', messages: [{ role: 'user', content: 'Say hello.' }] });
const HUB_SESSION = `arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/signed-fetch-fn`;

describe('hubFetch', () => {
  test('signs as the hub role, and the bearer token the client set never leaves the process', async () => {
    // GIVEN an OpenAI-style client request with an API key in Authorization
    const fetchAsHub = hubFetch(hub);

    // WHEN
    const response = await fetchAsHub(`${emulator.endpoint}/openai/v1/chat/completions`, {
      method: 'POST', headers: { 'authorization': 'Bearer sk-not-for-bedrock', 'content-type': 'application/json' }, body: chat,
    });

    // THEN
    expect(response.status).toBe(200);
    const event = emulator.cloudTrail.events.at(-1)!;
    expect(event).toMatchObject({ eventName: 'ChatCompletions', recipientAccountId: HUB, userIdentity: { type: 'AssumedRole', arn: HUB_SESSION } });
    expect(event.additionalEventData?.callWithBearerToken).toBeUndefined();
  });

  test('signs for bedrock-mantle when told, from a Request object with a streamed body', async () => {
    // GIVEN
    const request = new Request(`${emulator.endpoint}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([chat]).stream(),
      duplex: 'half',
    } as RequestInit);

    // WHEN
    const response = await hubFetch(hub, { service: 'bedrock-mantle' })(request);

    // THEN
    expect(response.status).toBe(200);
    expect(emulator.cloudTrail.events.at(-1)).toMatchObject({ eventSource: 'bedrock-mantle.amazonaws.com', recipientAccountId: HUB, userIdentity: { arn: HUB_SESSION } });
  });

  test('signs query strings and encoded paths as the SDK does', async () => {
    // WHEN a Converse call on a model id that needs encoding, with a query string
    const response = await hubFetch(hub)(`${emulator.endpoint}/model/${encodeURIComponent('anthropic.claude-3-haiku-20240307-v1:0')}/converse?trace=1&a=b`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    });

    // THEN the emulator verified the signature
    expect(response.status).toBe(200);
  });
});

describe('bearerRefusingFetch', () => {
  const sent: string[] = [];
  const next = async (input: string | URL | Request): Promise<Response> => {
    sent.push(String(input instanceof Request ? input.url : input));
    return new Response('{}');
  };

  type FetchArguments = [input: string | Request, init?: RequestInit];
  test.each<[string, (url: string) => FetchArguments]>([
    ['a headers object', (url) => [url, { headers: { Authorization: 'Bearer ABSK-secret-value' } }]],
    ['a Headers instance', (url) => [url, { headers: new Headers({ authorization: 'bearer ABSK-secret-value' }) }]],
    ['a Request', (url) => [new Request(url, { headers: { authorization: 'Bearer ABSK-secret-value' } })]],
  ])('refuses a bearer token in %s, without sending it or showing it', async (_, args) => {
    // WHEN
    const error = await bearerRefusingFetch(next)(...args('https://bedrock-runtime.us-east-1.amazonaws.com/model/x/converse'))
      .then(() => undefined, (e: unknown) => e);

    // THEN
    expect(error).toBeInstanceOf(BedrockHubError);
    expect(error).toMatchObject({ layer: 'configuration', message: expect.stringContaining('AWS_BEARER_TOKEN_BEDROCK') });
    expect((error as Error).message).not.toContain('ABSK-secret-value');
    expect(sent).toEqual([]);
  });

  test('passes a SigV4-signed request on', async () => {
    await bearerRefusingFetch(next)('https://bedrock-runtime.us-east-1.amazonaws.com/x', { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261130/us-east-1/bedrock/aws4_request' } });
    expect(sent).toEqual(['https://bedrock-runtime.us-east-1.amazonaws.com/x']);
  });
});
