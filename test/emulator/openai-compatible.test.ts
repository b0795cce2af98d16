/**
 * Bedrock's OpenAI-compatible endpoints in the emulator, and what the AI frameworks send to
 * Bedrock over plain HTTP/1.1: requests signed by another SigV4 implementation (aws4fetch, which
 * the Vercel AI SDK signs with) are verified like the SDK's, Converse streams as a chunked event
 * stream, chat completions answer in OpenAI's shapes and stream as server-sent events.
 */
import { AwsClient } from 'aws4fetch';
import { AwsEmulator, decodeEventStream, ManualClock } from '../../emulator';
import type { IssuedCredentials } from '../../emulator';

const HUB = '111122223333';
const REGION = 'us-east-1';
const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const GPT_OSS = 'openai.gpt-oss-120b-1:0';

let emulator: AwsEmulator;
let caller: IssuedCredentials;
let runtimeOnly: IssuedCredentials;

beforeAll(async () => {
  emulator = await AwsEmulator.start({ clock: new ManualClock(), defaultRegion: REGION });
  caller = emulator.createUser(HUB, 'inference', [{
    name: 'bedrock',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: 'arn:aws:bedrock:*::foundation-model/*' },
        { Effect: 'Allow', Action: 'bedrock-mantle:CreateInference', Resource: `arn:aws:bedrock-mantle:*:${HUB}:project/*` },
      ],
    },
  }]);
  runtimeOnly = emulator.createUser(HUB, 'runtime-only', [{
    name: 'bedrock',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] },
  }]);
});

afterAll(async () => {
  const problems = [...emulator.problems];
  await emulator.stop();
  expect(problems).toEqual([]);
});

/** aws4fetch, as the AI SDK configures it. */
function signer(credentials: IssuedCredentials, service: string): AwsClient {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  return new AwsClient({ accessKeyId, secretAccessKey, sessionToken, service, region: REGION });
}

function post(client: AwsClient, path: string, body: unknown): Promise<Response> {
  return client.fetch(`${emulator.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'Say hello.' }], ...extra });

describe('requests signed by aws4fetch', () => {
  test('Converse over HTTP/1.1 is verified and answered', async () => {
    // WHEN
    const response = await post(signer(caller, 'bedrock'), `/model/${encodeURIComponent(CLAUDE)}/converse`, { messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }] });

    // THEN
    expect(response.status).toBe(200);
    expect((await response.json() as any).output.message.content[0].text).toMatch(/\S/);
    expect(emulator.cloudTrail.events.at(-1)).toMatchObject({ eventName: 'Converse', recipientAccountId: HUB, userIdentity: { arn: `arn:aws:iam::${HUB}:user/inference` } });
  });

  test('ConverseStream over HTTP/1.1 answers a chunked event stream', async () => {
    // WHEN
    const response = await post(signer(caller, 'bedrock'), `/model/${encodeURIComponent(CLAUDE)}/converse-stream`, { messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }] });

    // THEN
    expect(response.status).toBe(200);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    const events = decodeEventStream(Buffer.from(await response.arrayBuffer())).map((m) => m.headers[':event-type']);
    expect(events[0]).toBe('messageStart');
    expect(events.filter((e) => e === 'contentBlockDelta').length).toBeGreaterThan(0);
    expect(events.at(-1)).toBe('metadata');
  });

  test('a request altered after signing is refused', async () => {
    // GIVEN a signed request whose body changes on the way
    const signed = await signer(caller, 'bedrock').sign(`${emulator.endpoint}/model/${encodeURIComponent(CLAUDE)}/converse`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'a' }] }] }),
    });

    // WHEN
    const response = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'b' }] }] }) });

    // THEN
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^InvalidSignatureException/);
  });
});

describe('chat completions on bedrock-runtime (/openai/v1, signed as bedrock)', () => {
  test('answers a chat.completion, authorized as bedrock:InvokeModel on the model', async () => {
    // WHEN
    const response = await post(signer(caller, 'bedrock'), '/openai/v1/chat/completions', chat(GPT_OSS));

    // THEN
    expect(response.status).toBe(200);
    const completion = await response.json() as any;
    expect(completion).toMatchObject({ object: 'chat.completion', model: GPT_OSS, choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }] });
    expect(completion.usage.total_tokens).toBe(completion.usage.prompt_tokens + completion.usage.completion_tokens);
    expect(emulator.cloudTrail.events.at(-1)).toMatchObject({
      eventSource: 'bedrock.amazonaws.com',
      eventName: 'ChatCompletions',
      recipientAccountId: HUB,
      resources: [{ ARN: `arn:aws:bedrock:${REGION}::foundation-model/${GPT_OSS}` }],
    });
  });

  test('streams server-sent chat.completion.chunk events over HTTP/1.1, usage last, then [DONE]', async () => {
    // WHEN
    const response = await post(signer(caller, 'bedrock'), '/openai/v1/chat/completions', chat(GPT_OSS, { stream: true, stream_options: { include_usage: true } }));

    // THEN
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const data = (await response.text()).split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.filter((c) => c.choices[0]?.delta?.content).length).toBeGreaterThan(1);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  test('a model the caller may not invoke is an AccessDeniedException that OpenAI and AWS clients can both read', async () => {
    // GIVEN a caller allowed on no model
    const nobody = emulator.createUser(HUB, 'nobody');

    // WHEN
    const response = await post(signer(nobody, 'bedrock'), '/openai/v1/chat/completions', chat(GPT_OSS));

    // THEN
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException:/);
    const body = await response.json() as any;
    expect(body.message).toMatch(new RegExp(`User: arn:aws:iam::${HUB}:user/nobody is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:${REGION}::foundation-model/${GPT_OSS}`));
    expect(body.error).toEqual({ message: body.message, type: 'AccessDeniedException', code: 'AccessDeniedException' });
  });
});

describe('chat completions on bedrock-mantle (signed as bedrock-mantle)', () => {
  test.each(['/v1/chat/completions', '/openai/v1/chat/completions'])('%s answers, authorized as bedrock-mantle:CreateInference on the default project', async (path) => {
    // WHEN
    const response = await post(signer(caller, 'bedrock-mantle'), path, chat('openai.gpt-oss-120b'));

    // THEN
    expect(response.status).toBe(200);
    expect((await response.json() as any).choices[0].message.content).toMatch(/\S/);
    expect(emulator.cloudTrail.events.at(-1)).toMatchObject({
      eventSource: 'bedrock-mantle.amazonaws.com',
      eventName: 'CreateInference',
      recipientAccountId: HUB,
      resources: [{ ARN: `arn:aws:bedrock-mantle:${REGION}:${HUB}:project/default` }],
    });
  });

  test('a caller with bedrock permissions only is denied on mantle, naming the action and the project', async () => {
    // WHEN
    const response = await post(signer(runtimeOnly, 'bedrock-mantle'), '/v1/chat/completions', chat('openai.gpt-oss-120b'));

    // THEN
    expect(response.status).toBe(403);
    expect((await response.json() as any).message).toMatch(`is not authorized to perform: bedrock-mantle:CreateInference on resource: arn:aws:bedrock-mantle:${REGION}:${HUB}:project/default`);
  });
});
