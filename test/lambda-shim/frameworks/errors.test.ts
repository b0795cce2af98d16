/**
 * explainFrameworkError on the error shapes the frameworks throw for Bedrock's AccessDenied (the
 * shapes as the AI SDK, the Anthropic and OpenAI SDKs build them; the end-to-end tests in
 * test/e2e/frameworks throw the real ones).
 */
import { MARKETPLACE_SUBSCRIPTION_DENIED } from '../../../emulator/services/bedrock-resources';
import { BedrockHubError, explainFrameworkError, getBedrockHubSession, resetBedrockHubSessions } from '../../../lambda-shim';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/BedrockHubRole';
/** Bedrock's answer when the hub role may not start the model's AWS Marketplace subscription (the first call in an account). */
const NO_ACCESS = MARKETPLACE_SUBSCRIPTION_DENIED;
const HEADERS = { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/' };

const hub = getBedrockHubSession({
  env: { BEDROCK_ASSUME_ROLE_ARN: ROLE_ARN, AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'fn' },
  masterCredentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'unused' },
});
afterAll(() => resetBedrockHubSessions());

function sdkError(): Error {
  return Object.assign(new Error(NO_ACCESS), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 }, $fault: 'client' });
}

test.each([
  ['an AWS SDK service exception (LangChain, Strands, LlamaIndex)', sdkError()],
  ['one wrapped as a cause', new Error('model call failed', { cause: sdkError() })],
  ['the AI SDK\'s APICallError', Object.assign(new Error(NO_ACCESS), { name: 'AI_APICallError', statusCode: 403, responseHeaders: HEADERS, responseBody: JSON.stringify({ message: NO_ACCESS }) })],
  ['the AI SDK\'s RetryError around it', Object.assign(new Error('Failed after 3 attempts'), {
    name: 'AI_RetryError', errors: [Object.assign(new Error('x'), { statusCode: 403, responseHeaders: HEADERS, responseBody: JSON.stringify({ message: NO_ACCESS }) })],
  })],
  ['the Anthropic / OpenAI SDKs\' APIError', Object.assign(new Error('403 status code'), { status: 403, headers: new Headers(HEADERS), error: { message: NO_ACCESS } })],
])('%s is explained as hub-permission, with the framework\'s error as cause', (_, thrown) => {
  // WHEN
  const explained = explainFrameworkError(hub, thrown);

  // THEN
  expect(explained).toBeInstanceOf(BedrockHubError);
  expect(explained).toMatchObject({ layer: 'hub-permission', cause: thrown });
  expect((explained as Error).message).toMatch(/^bedrock-hub-access \(hub-permission\): The first call to this model in the hub account 111122223333 starts its AWS Marketplace subscription, and .* may not make it\./);
});

test('an error with no Bedrock answer in it comes back unchanged', () => {
  const thrown = new TypeError('fetch failed');
  expect(explainFrameworkError(hub, thrown)).toBe(thrown);
});

test('a BedrockHubError comes back unchanged', () => {
  const thrown = new BedrockHubError('configuration', 'p', 'h');
  expect(explainFrameworkError(hub, thrown)).toBe(thrown);
});

test('with hub mode off, nothing is explained', () => {
  const off = getBedrockHubSession({ env: { AWS_REGION: 'us-east-1' } });
  const thrown = sdkError();
  expect(explainFrameworkError(off, thrown)).toBe(thrown);
});
