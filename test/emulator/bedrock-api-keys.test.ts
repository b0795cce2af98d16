/**
 * Bedrock API keys: a key issued to an account acts as an IAM user of that account, so a call that
 * goes around the hub with `AWS_BEARER_TOKEN_BEDROCK` shows up in that account's trail.
 */
import { AwsEmulator, ManualClock } from '../../emulator';

const WORKLOAD = '444455556666';
const REGION = 'us-east-1';
const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';

let emulator: AwsEmulator;

beforeAll(async () => {
  emulator = await AwsEmulator.start({ clock: new ManualClock(), defaultRegion: REGION });
});

afterAll(async () => {
  const problems = [...emulator.problems];
  await emulator.stop();
  expect(problems).toEqual([]);
});

function converse(token: string): Promise<Response> {
  return fetch(`${emulator.endpoint}/model/${encodeURIComponent(CLAUDE)}/converse`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }] }),
  });
}

test('a key issued to the workload account calls Bedrock as its IAM user, recorded in the workload account with callWithBearerToken', async () => {
  // GIVEN
  const key = emulator.createBedrockApiKey({ accountId: WORKLOAD });

  // WHEN
  const response = await converse(key.token);

  // THEN
  expect(response.status).toBe(200);
  expect(key.token).toMatch(/^ABSK[A-Za-z0-9+/=]+$/);
  expect(key.userArn).toMatch(new RegExp(`^arn:aws:iam::${WORKLOAD}:user/BedrockAPIKey_[0-9a-f]{8}$`));
  expect(emulator.cloudTrail.events.at(-1)).toMatchObject({
    eventName: 'Converse',
    recipientAccountId: WORKLOAD,
    userIdentity: { type: 'IAMUser', arn: key.userArn },
    additionalEventData: { callWithBearerToken: true },
  });
});

test('each key is its own secret and its own user', () => {
  const first = emulator.createBedrockApiKey({ accountId: WORKLOAD });
  const second = emulator.createBedrockApiKey({ accountId: WORKLOAD });
  expect(first.token).not.toBe(second.token);
  expect(first.userName).not.toBe(second.userName);
});

test('a key the emulator did not issue is refused', async () => {
  const response = await converse('ABSKbm90LWEta2V5');
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({ message: 'Authentication failed: Please make sure your API Key is valid.' });
});
