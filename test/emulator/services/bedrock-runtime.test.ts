import {
  ApplyGuardrailCommand, BedrockRuntimeClient, ContentBlock, ConverseCommand, ConverseStreamCommand, InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator, IssuedCredentials, PolicyDocument } from '../../../emulator';
import { allow, clientConfig, errorOf, EXTERNAL_ID, HUB, HUB_ROLE_ARN, policy, REGION, startHubAndWorkload, stopChecked, WORKLOAD } from '../fixtures';

const HAIKU_PROFILE = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const SESSION = `arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/fn`;

let emulator: AwsEmulator;

afterEach(() => stopChecked(emulator));

async function hub(permissions?: PolicyDocument): Promise<IssuedCredentials> {
  ({ emulator } = await startHubAndWorkload({ hub: { permissions } }));
  return emulator.roleSessionCredentials(HUB_ROLE_ARN, 'fn');
}

function runtime(credentials: IssuedCredentials, region = REGION): BedrockRuntimeClient {
  return new BedrockRuntimeClient(clientConfig(emulator, credentials, region));
}

function converse(modelId: string, text = 'hello hub'): ConverseCommand {
  return new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text }] }] });
}

function textOf(content: ContentBlock[] | undefined): string {
  return (content ?? []).map((c) => c.text ?? '').join('');
}

test('the whole chain: Lambda role → AssumeRole with external ID → Converse in the hub, recorded in the hub\'s trail', async () => {
  // GIVEN
  ({ emulator } = await startHubAndWorkload());
  const lambda = await emulator.lambdaCredentials('Handler');

  // WHEN
  const assumed = await new STSClient(clientConfig(emulator, lambda)).send(new AssumeRoleCommand({
    RoleArn: HUB_ROLE_ARN, RoleSessionName: lambda.functionName, ExternalId: EXTERNAL_ID,
  }));
  const credentials = {
    accessKeyId: assumed.Credentials!.AccessKeyId!,
    secretAccessKey: assumed.Credentials!.SecretAccessKey!,
    sessionToken: assumed.Credentials!.SessionToken!,
  };
  const output = await runtime(credentials).send(converse(HAIKU_PROFILE));

  // THEN
  expect(textOf(output.output?.message?.content)).toBe(`Echo from ${HAIKU}: hello hub`);
  expect(output.stopReason).toBe('end_turn');
  expect(output.usage).toEqual({ inputTokens: 3, outputTokens: expect.any(Number), totalTokens: expect.any(Number) });
  const [event] = emulator.cloudTrail.find({ eventName: 'Converse' });
  expect(event).toMatchObject({
    eventSource: 'bedrock.amazonaws.com',
    recipientAccountId: HUB,
    requestParameters: { modelId: HAIKU_PROFILE },
    additionalEventData: { inferenceRegion: 'us-east-2' },
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${HUB}:assumed-role/BedrockHubRole/${lambda.functionName}`, sessionContext: { sessionIssuer: { userName: 'BedrockHubRole' } } },
  });
});

describe('authorization on the real resource ARNs', () => {
  const invoke = 'bedrock:InvokeModel';
  const fm = (region: string, id = HAIKU): string => `arn:aws:bedrock:${region}::foundation-model/${id}`;
  const profile = `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/${HAIKU_PROFILE}`;

  test.each<[string, PolicyDocument, string, string | undefined]>([
    ['a system profile with the profile and every destination region allowed', allow(invoke, [profile, 'arn:aws:bedrock:*::foundation-model/*']), HAIKU_PROFILE, undefined],
    ['a system profile when the destination region it routes to is not allowed', allow(invoke, [profile, fm('us-east-1')]), HAIKU_PROFILE,
      `User: ${SESSION} is not authorized to perform: ${invoke} on resource: ${fm('us-east-2')} because no identity-based policy allows the ${invoke} action`],
    ['a system profile when the profile itself is not allowed', allow(invoke, 'arn:aws:bedrock:*::foundation-model/*'), HAIKU_PROFILE,
      `User: ${SESSION} is not authorized to perform: ${invoke} on resource: ${profile} because no identity-based policy allows the ${invoke} action`],
    ['an on-demand model ID with the model allowed', allow(invoke, fm('us-east-1', NOVA)), NOVA, undefined],
    ['an on-demand model ARN with the model allowed', allow(invoke, fm('us-east-1', NOVA)), fm('us-east-1', NOVA), undefined],
    ['a model another statement denies', policy(['Allow', invoke, '*'], ['Deny', invoke, fm('*', NOVA)]), NOVA,
      `User: ${SESSION} is not authorized to perform: ${invoke} on resource: ${fm('us-east-1', NOVA)} with an explicit deny in an identity-based policy`],
  ])('Converse with %s', async (_, permissions, modelId, denial) => {
    // GIVEN
    const credentials = await hub(permissions);

    // WHEN
    const outcome = await runtime(credentials).send(converse(modelId)).catch((error: Error) => error);

    // THEN
    if (denial) {
      expect(outcome).toMatchObject({ name: 'AccessDeniedException', message: denial, $metadata: { httpStatusCode: 403 } });
    } else {
      expect(outcome).not.toBeInstanceOf(Error);
    }
  });

  test('streaming needs bedrock:InvokeModelWithResponseStream, not bedrock:InvokeModel', async () => {
    const credentials = await hub(allow(invoke, '*'));
    const error = await errorOf(runtime(credentials).send(new ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })));
    expect(error.message).toBe(`User: ${SESSION} is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: ${fm('us-east-1', NOVA)} `
      + 'because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action');
  });

  test('an application inference profile in the hub needs the profile and its model', async () => {
    // GIVEN a profile in the hub copying a system profile
    const credentials = await hub();
    const appProfile = emulator.bedrock.addApplicationInferenceProfile({ accountId: HUB, region: REGION, name: 'team-a', copyFrom: profile });

    // WHEN / THEN
    await expect(runtime(credentials).send(converse(appProfile.arn))).resolves.toBeDefined();
    expect(emulator.cloudTrail.find({ eventName: 'Converse' }).at(-1)?.resources).toEqual([{ ARN: appProfile.arn, accountId: HUB }]);
  });

  test.each<[string, PolicyDocument | undefined, RegExp]>([
    ['the hub\'s policy names only hub profiles', undefined, /because no identity-based policy allows the bedrock:InvokeModel action$/],
    ['the hub\'s policy allows any account\'s profiles', allow(invoke, '*'), /because no resource-based policy allows the bedrock:InvokeModel action$/],
  ])('an application inference profile in the workload account is denied when %s', async (_, permissions, reason) => {
    // GIVEN the profile lives in the workload account
    const credentials = await hub(permissions);
    const appProfile = emulator.bedrock.addApplicationInferenceProfile({ accountId: WORKLOAD, region: REGION, name: 'local', copyFrom: fm(REGION, NOVA) });

    // WHEN
    const error = await errorOf(runtime(credentials).send(converse(appProfile.arn)));

    // THEN
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toMatch(new RegExp(`on resource: arn:aws:bedrock:us-east-1:${WORKLOAD}:application-inference-profile/`));
    expect(error.message).toMatch(reason);
  });
});

describe('model availability', () => {
  test.each<[string, string, string, string]>([
    ['an unknown model', 'anthropic.claude-99', 'ValidationException', 'The provided model identifier is invalid.'],
    ['a model that only runs through an inference profile', HAIKU, 'ValidationException',
      `Invocation of model ID ${HAIKU} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`],
    ['a profile of another geography', `eu.${HAIKU}`, 'ValidationException', 'The provided model identifier is invalid.'],
    ['an application inference profile that does not exist', `arn:aws:bedrock:us-east-1:${HUB}:application-inference-profile/abcdefghijkl`, 'ValidationException',
      'The provided model identifier is invalid.'],
  ])('%s is rejected', async (_, modelId, code, message) => {
    const credentials = await hub();
    const error = await errorOf(runtime(credentials).send(converse(modelId)));
    expect(error).toMatchObject({ name: code, message });
  });

  test('a Marketplace model the hub is not subscribed to: refused when the role lacks the Marketplace actions, in every region', async () => {
    // GIVEN
    const credentials = await hub();
    emulator.bedrock.setModelSubscription({ accountId: HUB, modelId: HAIKU, subscribed: false });

    // WHEN
    const error = await errorOf(runtime(credentials).send(converse(HAIKU_PROFILE)));

    // THEN
    expect(error).toMatchObject({ name: 'AccessDeniedException', message: expect.stringMatching(/^Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions \(aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe\)/) });
    await expect(runtime(credentials, 'us-west-2').send(converse(HAIKU_PROFILE))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(runtime(credentials).send(converse(NOVA))).resolves.toBeDefined();
    expect(emulator.bedrock.isSubscribed(HUB, HAIKU)).toBe(false);
  });

  test('a role allowed the Marketplace actions via Bedrock subscribes the account on its first call', async () => {
    // GIVEN
    const credentials = await hub({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: '*' },
        { Effect: 'Allow', Action: ['aws-marketplace:ViewSubscriptions', 'aws-marketplace:Subscribe'], Resource: '*', Condition: { StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } } },
      ],
    });
    emulator.bedrock.setModelSubscription({ accountId: HUB, modelId: HAIKU, subscribed: false });

    // WHEN
    await runtime(credentials).send(converse(HAIKU_PROFILE));

    // THEN
    expect(emulator.bedrock.isSubscribed(HUB, HAIKU)).toBe(true);
    expect(emulator.bedrock.isSubscribed(WORKLOAD, HAIKU)).toBe(true);
  });

  test('an embedding model cannot converse, and cannot stream', async () => {
    const credentials = await hub();
    await expect(runtime(credentials).send(converse('amazon.titan-embed-text-v2:0'))).rejects.toMatchObject({
      name: 'ValidationException', message: 'This action doesn\'t support the model that you provided. Try again with a supported text or chat model.',
    });
    await expect(runtime(credentials).send(new InvokeModelWithResponseStreamCommand({ modelId: 'amazon.titan-embed-text-v2:0', body: '{"inputText":"x"}' })))
      .rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('event streams parsed by the real client', () => {
  test('ConverseStream yields the same text as Converse, then the stop reason and usage', async () => {
    // GIVEN
    const credentials = await hub();
    const client = runtime(credentials);
    const text = 'one two three four five six seven';

    // WHEN
    const whole = await client.send(converse(NOVA, text));
    const streamed = await client.send(new ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text }] }] }));
    const events: string[] = [];
    let joined = '';
    for await (const event of streamed.stream!) {
      events.push(Object.keys(event).filter((k) => (event as unknown as Record<string, unknown>)[k] !== undefined)[0]);
      joined += event.contentBlockDelta?.delta?.text ?? '';
      if (event.metadata) {
        expect(event.metadata.usage).toEqual(whole.usage);
      }
    }

    // THEN
    expect(joined).toBe(textOf(whole.output?.message?.content));
    expect(events[0]).toBe('messageStart');
    expect(events.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    expect(events.filter((e) => e === 'contentBlockDelta').length).toBeGreaterThan(1);
  });

  test('InvokeModelWithResponseStream yields Anthropic chunks', async () => {
    const credentials = await hub();
    const output = await runtime(credentials).send(new InvokeModelWithResponseStreamCommand({
      modelId: HAIKU_PROFILE,
      body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'stream this please' }] }),
    }));
    const chunks: Array<{ type: string; delta?: { text?: string } }> = [];
    for await (const event of output.body!) {
      chunks.push(JSON.parse(Buffer.from(event.chunk!.bytes!).toString('utf8')));
    }
    expect(chunks[0].type).toBe('message_start');
    expect(chunks.at(-1)).toMatchObject({ 'type': 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: expect.any(Number) } });
    expect(chunks.map((c) => c.delta?.text ?? '').join('')).toBe(`Echo from ${HAIKU}: stream this please`);
  });
});

describe('InvokeModel body formats', () => {
  test.each<[string, unknown, (body: any) => void]>([
    ['anthropic.claude-3-haiku-20240307-v1:0', { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
      (b) => expect(b).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Echo from anthropic.claude-3-haiku-20240307-v1:0: hi' }] })],
    [NOVA, { messages: [{ role: 'user', content: [{ text: 'hi' }] }] },
      (b) => expect(b).toMatchObject({ output: { message: { role: 'assistant', content: [{ text: `Echo from ${NOVA}: hi` }] } }, stopReason: 'end_turn' })],
    ['amazon.titan-text-express-v1', { inputText: 'hi' }, (b) => expect(b.results[0]).toMatchObject({ outputText: 'Echo from amazon.titan-text-express-v1: hi', completionReason: 'FINISH' })],
    ['amazon.titan-embed-text-v2:0', { inputText: 'hi', dimensions: 256 }, (b) => expect(b.embedding).toHaveLength(256)],
    ['meta.llama3-8b-instruct-v1:0', { prompt: 'hi' }, (b) => expect(b).toMatchObject({ generation: 'Echo from meta.llama3-8b-instruct-v1:0: hi', stop_reason: 'stop' })],
  ])('%s', async (modelId, request, check) => {
    const credentials = await hub();
    const output = await runtime(credentials).send(new InvokeModelCommand({ modelId, body: JSON.stringify(request), contentType: 'application/json' }));
    check(JSON.parse(Buffer.from(output.body).toString('utf8')));
  });

  test('a body the model cannot read is a ValidationException', async () => {
    const credentials = await hub();
    await expect(runtime(credentials).send(new InvokeModelCommand({ modelId: NOVA, body: '{"inputText":"wrong format"}' })))
      .rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^Malformed input request/) });
  });
});

describe('guardrails', () => {
  test.each<[string, string, string]>([
    ['intervenes on a blocked word', 'tell me the forbidden recipe', 'GUARDRAIL_INTERVENED'],
    ['passes clean text', 'tell me a recipe', 'NONE'],
  ])('ApplyGuardrail %s', async (_, text, action) => {
    // GIVEN a guardrail in the hub
    const credentials = await hub();
    const guardrail = emulator.bedrock.addGuardrail({ accountId: HUB, region: REGION, name: 'g', blockedWords: ['forbidden'], blockedInputMessaging: 'Blocked.' });

    // WHEN
    const output = await runtime(credentials).send(new ApplyGuardrailCommand({
      guardrailIdentifier: guardrail.guardrailId, guardrailVersion: '1', source: 'INPUT', content: [{ text: { text } }],
    }));

    // THEN
    expect(output.action).toBe(action);
    expect(output.outputs).toEqual(action === 'NONE' ? [] : [{ text: 'Blocked.' }]);
  });

  test('a guardrail in the workload account is denied to the hub role', async () => {
    const credentials = await hub();
    const guardrail = emulator.bedrock.addGuardrail({ accountId: WORKLOAD, region: REGION, name: 'local' });
    const error = await errorOf(runtime(credentials).send(new ApplyGuardrailCommand({
      guardrailIdentifier: guardrail.arn, guardrailVersion: 'DRAFT', source: 'INPUT', content: [{ text: { text: 'x' } }],
    })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toMatch(new RegExp(`perform: bedrock:ApplyGuardrail on resource: ${guardrail.arn} because no identity-based policy allows`));
  });

  test('a guardrail ID that does not exist in the hub is not found', async () => {
    const credentials = await hub();
    const error = await errorOf(runtime(credentials).send(new ApplyGuardrailCommand({
      guardrailIdentifier: 'nosuchguardrail', guardrailVersion: 'DRAFT', source: 'INPUT', content: [{ text: { text: 'x' } }],
    })));
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'The guardrail identifier or version provided in the request does not exist.' });
  });

  test('Converse with a guardrail needs bedrock:ApplyGuardrail and stops when it intervenes', async () => {
    const credentials = await hub();
    const guardrail = emulator.bedrock.addGuardrail({ accountId: HUB, region: REGION, name: 'g', blockedWords: ['forbidden'], blockedInputMessaging: 'Blocked.' });
    const output = await runtime(credentials).send(new ConverseCommand({
      modelId: NOVA,
      messages: [{ role: 'user', content: [{ text: 'the forbidden question' }] }],
      guardrailConfig: { guardrailIdentifier: guardrail.guardrailId, guardrailVersion: 'DRAFT' },
    }));
    expect(output.stopReason).toBe('guardrail_intervened');
    expect(textOf(output.output?.message?.content)).toBe('Blocked.');
  });
});

test('a custom responder answers, and sees who asked', async () => {
  const credentials = await hub();
  emulator.bedrock.setResponder((input) => ({ text: `${input.accountId} asked ${input.foundationModelId}`, outputTokens: 7 }));
  const output = await runtime(credentials).send(converse(HAIKU_PROFILE));
  expect(textOf(output.output?.message?.content)).toBe(`${HUB} asked ${HAIKU}`);
  expect(output.usage?.outputTokens).toBe(7);
});
