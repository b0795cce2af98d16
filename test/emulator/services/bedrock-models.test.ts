import { bodyFormatOf, deltas, embeddingOf, estimateTokens, geographyOf, promptFromInvokeBody } from '../../../emulator/services/bedrock-models';

test.each([
  ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic'],
  ['amazon.nova-pro-v1:0', 'nova'],
  ['amazon.titan-embed-text-v2:0', 'titan-embed'],
  ['amazon.titan-text-express-v1', 'titan-text'],
  ['meta.llama3-8b-instruct-v1:0', 'llama'],
  ['cohere.command-r-v1:0', 'generic'],
])('%s speaks the %s body format', (modelId, format) => {
  expect(bodyFormatOf(modelId)).toBe(format);
});

test.each([
  ['us-east-1', 'us'], ['us-west-2', 'us'], ['eu-central-1', 'eu'], ['ap-southeast-2', 'apac'], ['us-gov-west-1', undefined], ['sa-east-1', undefined],
])('%s is in the %s geography', (region, geography) => {
  expect(geographyOf(region)).toBe(geography);
});

test('prompts are read from each provider\'s body', () => {
  expect(promptFromInvokeBody('anthropic', { system: 'be brief', messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }] }))
    .toEqual({ system: 'be brief', messages: [{ role: 'user', text: 'ab' }] });
  expect(promptFromInvokeBody('llama', { prompt: 'p' })).toEqual({ messages: [{ role: 'user', text: 'p' }] });
  expect(() => promptFromInvokeBody('titan-text', { prompt: 'p' })).toThrow(/required key \[inputText\] not found/);
});

test('streaming deltas rejoin to the text, embeddings are deterministic unit vectors', () => {
  const text = 'one two three four five six seven';
  expect(deltas(text).join('')).toBe(text);
  const vector = embeddingOf('hello', 8);
  expect(embeddingOf('hello', 8)).toEqual(vector);
  expect(Math.sqrt(vector.reduce((n, v) => n + v * v, 0))).toBeCloseTo(1, 10);
  expect(estimateTokens('')).toBe(1);
  expect(estimateTokens('12345678')).toBe(2);
});
