import { BedrockClient, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { BedrockAgentRuntimeClient, InvokeAgentCommand, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { ApplyGuardrailCommand, BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EmulatedHub, HUB_ROLE_ARN, REGION, calls, hubEnv, issuedKeys, signers, startEmulatedHub, stopEmulatedHub } from './emulated-hub';
import { BedrockHubError, BedrockHubErrorLayer } from '../../lambda-shim/errors';
import { resetBedrockHubSessions } from '../../lambda-shim/process-caches';
import { RequestCheckContext, checkBedrockRequest } from '../../lambda-shim/request-checks';
import { BedrockHubSession, getBedrockHubSession } from '../../lambda-shim/session';
import {
  BedrockIdKind,
  describeAccountIdProblem,
  describeBedrockArnProblem,
  describeBedrockIdProblem,
  parseBedrockArn,
} from '../../src/contract';

const HUB = '111122223333';
const WORKLOAD = '222233334444';
const AGENTS = '333344445555';

describe('describeBedrockIdProblem: one row per id, the problem named, or none', () => {
  const table: [BedrockIdKind, string, RegExp | undefined][] = [
    ['agentId', 'PEGHWIVI5Y', undefined],
    ['agentId', 'PEGHWIVI5Y ', /^"PEGHWIVI5Y " has a trailing space; an agent id is 10 letters and digits/],
    ['agentId', 'pEGHWIVI5Y', undefined],
    ['agentId', 'PEGHWIVI5', /^"PEGHWIVI5" has 9 characters/],
    ['agentId', 'PEGH-IVI5Y', /^"PEGH-IVI5Y" is not valid: an agent id is 10 letters and digits/],
    ['agentId', '', /^"" has 0 characters/],
    ['agentAliasId', 'IO1GTTHP0M', undefined],
    ['agentAliasId', 'TSTALIASID', undefined],
    ['agentAliasId', 'IO1GTTHP0M"', /^"IO1GTTHP0M\\"" has a trailing '"'; an agent alias id is 10 letters and digits \(e\.g\. IO1GTTHP0M\), or TSTALIASID/],
    ['agentAliasId', '"IO1GTTHP0M"', /^"\\"IO1GTTHP0M\\"" is wrapped in '"'/],
    ['agentAliasId', '\'IO1GTTHP0M', /^"'IO1GTTHP0M" has a leading '''/],
    ['agentAliasId', 'IO1GTTHP0M\n', /^"IO1GTTHP0M\\n" has a trailing newline/],
    ['agentAliasId', 'IO1GT THP0', /^"IO1GT THP0" contains a space at character 6/],
    ['agentAliasId', 'IO1GTTHP0M\u200b', /^"IO1GTTHP0M\\u200b" has a trailing zero-width space/],
    ['agentAliasId', '\u201cIO1GTTHP0M\u201d', /has a leading '\u201c'/],
    ['knowledgeBaseId', 'KB12345678', undefined],
    ['knowledgeBaseId', 'KB1234567\t', /^"KB1234567\\t" has a trailing tab; a knowledge base id is 10 letters and digits/],
    ['knowledgeBaseId', 'kb12345678', undefined],
    ['guardrailId', 'gr4abc123xyz', undefined],
    ['guardrailId', 'GR4ABC', /^"GR4ABC" is not valid: a guardrail id is lower-case letters and digits/],
    ['guardrailIdentifier', 'gr4abc123xyz', undefined],
    ['guardrailIdentifier', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/gr4abc123xyz`, undefined],
    ['guardrailIdentifier', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/GR 1`, /contains a space at character 52/],
    ['guardrailIdentifier', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/GR-1`, /does not end in guardrail\/<lower-case letters and digits>/],
    ['guardrailIdentifier', `arn:aws:bedrock:us-east-1:${HUB}:knowledge-base/KB12345678`, /is a knowledge-base ARN; a guardrail identifier is its id/],
    ['guardrailVersion', 'DRAFT', undefined],
    ['guardrailVersion', '12', undefined],
    ['guardrailVersion', '0', /^"0" is not valid: a guardrail version is a number from 1, or DRAFT/],
    ['guardrailVersion', 'draft', /is not valid/],
    ['modelId', 'anthropic.claude-3-haiku-20240307-v1:0', undefined],
    ['modelId', 'us.amazon.nova-lite-v1:0', undefined],
    ['modelId', `arn:aws:bedrock:us-east-1:${HUB}:application-inference-profile/a1b2c3d4e5f6`, undefined],
    ['modelId', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', undefined],
    ['modelId', `arn:aws:bedrock:us-east-1:${HUB}:prompt/PROMPT12AB:3`, undefined],
    ['modelId', `arn:aws:sagemaker:us-east-1:${HUB}:endpoint/marketplace-model`, undefined],
    ['modelId', ' anthropic.claude-v2', /^" anthropic\.claude-v2" has a leading space; a model id looks like/],
    ['modelId', 'anthropic.claude-v2"', /has a trailing '"'/],
    ['modelId', 'arn:aws:s3:::bucket/key', /is an ARN of the 's3' service, not of Bedrock/],
    ['modelId', 'arn:aws:bedrock:us-east-1:1111:application-inference-profile/x', /has the account '1111', which is not 12 digits/],
    ['modelId', 'arn:aws-moon:bedrock:us-east-1:111122223333:prompt/PROMPT12AB', /unknown partition 'aws-moon'/],
    ['inferenceProfileIdentifier', 'us.anthropic.claude-3-haiku-20240307-v1:0', undefined],
    ['inferenceProfileIdentifier', `arn:aws:bedrock:us-east-1:${HUB}:application-inference-profile/a1b2c3d4e5f6`, undefined],
    ['inferenceProfileIdentifier', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/abc`, /is a guardrail ARN; an inference profile identifier is its id/],
  ];

  test.each(table)('%s %j', (kind, value, problem) => {
    const described = describeBedrockIdProblem(kind, value);
    if (problem === undefined) {
      expect(described).toBeUndefined();
    } else {
      expect(described).toMatch(problem);
    }
  });

  test('a long value is cut in the message', () => {
    expect(describeBedrockIdProblem('modelId', `${'a'.repeat(300)} `)).toMatch(/^"a{100}…" has a trailing space/);
  });
});

describe('Bedrock resource ARNs', () => {
  test.each([
    [`arn:aws:bedrock:us-east-1:${AGENTS}:agent-alias/PEGHWIVI5Y/IO1GTTHP0M`, { account: AGENTS, resourceType: 'agent-alias', resourceId: 'PEGHWIVI5Y/IO1GTTHP0M' }],
    [`arn:aws:bedrock:eu-west-1:${AGENTS}:knowledge-base/KB12345678`, { account: AGENTS, region: 'eu-west-1', resourceType: 'knowledge-base' }],
    [`arn:aws-us-gov:bedrock:us-gov-west-1:${HUB}:guardrail/gr4abc123xyz`, { partition: 'aws-us-gov', region: 'us-gov-west-1', resourceType: 'guardrail' }],
    ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0', { account: '', resourceType: 'foundation-model', resourceId: 'amazon.nova-lite-v1:0' }],
    [`arn:aws:bedrock:us-east-1:${HUB}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0`, { resourceType: 'inference-profile' }],
    [`arn:aws:bedrock:us-east-1:${HUB}:flow/FLOW123456/alias/ALIAS12345`, { resourceType: 'flow' }],
  ])('parses %s', (arn, parts) => {
    expect(parseBedrockArn(arn)).toMatchObject({ partition: 'aws', service: 'bedrock', region: 'us-east-1', account: HUB, ...parts });
    expect(describeBedrockArnProblem(arn)).toBeUndefined();
  });

  test.each([
    [`arn:aws:bedrock:us-east-1:${AGENTS}:agent-alias/PEGHWIVI5Y/IO1GTTHP0M"`, /has a trailing '"'/],
    [`arn:aws:bedrock:us-east-1:${AGENTS}:agent-alias/PEGHWIVI5Y`, /does not end in agent-alias\/<agent id>\/<alias id>/],
    [`arn:aws:bedrock:us-east-1:${AGENTS}:knowledge-base/kb1234567`, /does not end in knowledge-base\/<10 letters and digits>/],
    [`arn:aws:iam::${HUB}:role/BedrockHubRole`, /is an ARN of the 'iam' service, not of Bedrock/],
    ['PEGHWIVI5Y', /"PEGHWIVI5Y" is not an ARN: a Bedrock ARN looks like/],
    [`arn:aws:bedrock:us-east-1:${HUB}:nothing`, /is not a Bedrock resource ARN/],
  ])('refuses %j', (arn, problem) => {
    expect(parseBedrockArn(arn)).toBeUndefined();
    expect(describeBedrockArnProblem(arn)).toMatch(problem);
  });

  test.each([
    ['111122223333', undefined],
    ['011122223333', undefined],
    ['111122223333"', /^"111122223333\\"" has a trailing '"'; an account id is 12 digits\.$/],
    [' 111122223333', /has a leading space/],
    ['1111-2222-3333', /is not 12 digits; an account id is 12 digits, leading zeros included/],
    ['11112222333', /is not 12 digits/],
    ['', /^"" is not 12 digits/],
  ])('account id %j', (value, problem) => {
    const described = describeAccountIdProblem(value);
    if (problem === undefined) expect(described).toBeUndefined();
    else expect(described).toMatch(problem);
  });
});

describe('checkBedrockRequest: ids and resource accounts, by operation', () => {
  const ctx: RequestCheckContext = {
    kind: 'hub',
    roleArn: HUB_ROLE_ARN,
    account: HUB,
    region: 'us-east-1',
    roleFor: (account) => (account === AGENTS ? `arn:aws:iam::${AGENTS}:role/AgentRole` : undefined),
  };
  const arn = (account: string, resource: string) => `arn:aws:bedrock:us-east-1:${account}:${resource}`;
  const KB_CONFIG = (kb: Record<string, unknown>) => ({ retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: kb } });

  // operation, input, the layer (or undefined for "fine"), what the message and hint must say
  const table: [string, string, Record<string, unknown>, BedrockHubErrorLayer | undefined, RegExp?][] = [
    ['valid agent ids', 'InvokeAgent', { agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M', sessionId: 's', inputText: 'hi' }, undefined],
    ['alias id with a stray quote', 'InvokeAgent', { agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M"' }, 'invalid-identifier',
      /^bedrock-hub-access \(invalid-identifier\): InvokeAgent: agentAliasId "IO1GTTHP0M\\"" has a trailing '"'; .*Nothing was sent/],
    ['agent id with a trailing newline', 'InvokeAgent', { agentId: 'PEGHWIVI5Y\n', agentAliasId: 'IO1GTTHP0M' }, 'invalid-identifier', /agentId "PEGHWIVI5Y\\n" has a trailing newline/],
    ['knowledge base id', 'Retrieve', { knowledgeBaseId: 'KB12345678', retrievalQuery: { text: 'q' } }, undefined],
    ['knowledge base id in lower case (AWS allows [0-9a-zA-Z]{10})', 'Retrieve', { knowledgeBaseId: 'kb12345678', retrievalQuery: { text: 'q' } }, undefined],
    ['retrieve guardrail version', 'Retrieve', { knowledgeBaseId: 'KB12345678', guardrailConfiguration: { guardrailId: 'gr1', guardrailVersion: 'v1' } }, 'invalid-identifier',
      /guardrailConfiguration\.guardrailVersion "v1" is not valid/],
    ['RAG knowledge base id', 'RetrieveAndGenerate', KB_CONFIG({ knowledgeBaseId: 'KB1234567 ', modelArn: 'anthropic.claude-v2' }), 'invalid-identifier',
      /retrieveAndGenerateConfiguration\.knowledgeBaseConfiguration\.knowledgeBaseId "KB1234567 " has a trailing space/],
    ['RAG model ARN in the workload account', 'RetrieveAndGenerateStream', KB_CONFIG({ knowledgeBaseId: 'KB12345678', modelArn: arn(WORKLOAD, 'application-inference-profile/abcdef123456') }),
      'resource-account', /knowledgeBaseConfiguration\.modelArn is the application-inference-profile .* in account 222233334444/],
    ['RAG guardrail id', 'RetrieveAndGenerate', KB_CONFIG({ knowledgeBaseId: 'KB12345678', modelArn: 'm.x', generationConfiguration: { guardrailConfiguration: { guardrailId: 'GR', guardrailVersion: '1' } } }),
      'invalid-identifier', /generationConfiguration\.guardrailConfiguration\.guardrailId "GR" is not valid/],
    ['external sources model ARN', 'RetrieveAndGenerate', { retrieveAndGenerateConfiguration: { externalSourcesConfiguration: { modelArn: arn(WORKLOAD, 'prompt/PROMPT12AB') } } },
      'resource-account', /externalSourcesConfiguration\.modelArn is the prompt/],
    ['foundation model id', 'Converse', { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }, undefined],
    ['application inference profile in the hub', 'Converse', { modelId: arn(HUB, 'application-inference-profile/abcdef123456') }, undefined],
    ['application inference profile in the workload account', 'Converse', { modelId: arn(WORKLOAD, 'application-inference-profile/abcdef123456') }, 'resource-account',
      /Converse: modelId is the application-inference-profile arn:aws:bedrock:us-east-1:222233334444:application-inference-profile\/abcdef123456 in account 222233334444, but this client signs as the hub role arn:aws:iam::111122223333:role\/BedrockHubRole in account 111122223333.*Nothing was sent\. Move it to account 111122223333 \(the hub role's, in us-east-1\) and use that ARN, or use a system-defined cross-region inference profile/],
    ['system-defined profile ARN of the workload account', 'ConverseStream', { modelId: arn(WORKLOAD, 'inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0') }, 'resource-account',
      /Use the profile id us\.anthropic\.claude-3-haiku-20240307-v1:0 instead of this ARN: system-defined inference profiles resolve in every account/],
    ['custom model in the workload account', 'InvokeModel', { modelId: arn(WORKLOAD, 'custom-model/amazon.titan-text-express-v1:0:8k/abcdef123456'), body: '{}' }, 'resource-account', /custom-model .* Move it to account/],
    ['guardrail ARN in the workload account (Converse)', 'Converse', { modelId: 'm.x', guardrailConfig: { guardrailIdentifier: arn(WORKLOAD, 'guardrail/gr1'), guardrailVersion: '1' } },
      'resource-account', /guardrailConfig\.guardrailIdentifier is the guardrail .*Move it to account 111122223333 \(the hub role's, in us-east-1\) and use that ARN\.$/],
    ['guardrail version (InvokeModel)', 'InvokeModelWithResponseStream', { modelId: 'm.x', guardrailIdentifier: 'gr1', guardrailVersion: 'latest' }, 'invalid-identifier', /guardrailVersion "latest"/],
    ['guardrail ARN in the workload account (ApplyGuardrail)', 'ApplyGuardrail', { guardrailIdentifier: arn(WORKLOAD, 'guardrail/gr1'), guardrailVersion: 'DRAFT', source: 'INPUT', content: [] },
      'resource-account', /ApplyGuardrail: guardrailIdentifier is the guardrail/],
    ['a profile in an account with a target role', 'Converse', { modelId: arn(AGENTS, 'application-inference-profile/abcdef123456') }, 'resource-account',
      /Make this call with a client built from hub\.forResource\('arn:aws:bedrock:us-east-1:333344445555:application-inference-profile\/abcdef123456'\), which signs as arn:aws:iam::333344445555:role\/AgentRole/],
    ['a flow in an account without a role', 'Converse', { modelId: arn('444455556666', 'flow/FLOW123456') }, 'resource-account',
      /Add a target role for account 444455556666 to BEDROCK_ASSUME_ROLE_TARGETS \(\{"roleArn":"arn:aws:iam::444455556666:role\/<name>"\}\), then make the call with a client built from hub\.forResource\(arn\)/],
    ['a model id with a trailing quote', 'CountTokens', { modelId: 'anthropic.claude-v2"' }, 'invalid-identifier', /CountTokens: modelId "anthropic\.claude-v2\\"" has a trailing '"'/],
    ['inference profile identifier', 'GetInferenceProfile', { inferenceProfileIdentifier: arn(WORKLOAD, 'application-inference-profile/abcdef123456') }, 'resource-account',
      /GetInferenceProfile: inferenceProfileIdentifier is the application-inference-profile/],
    ['guardrail lookup', 'GetGuardrail', { guardrailIdentifier: 'gr1 ' }, 'invalid-identifier', /GetGuardrail: guardrailIdentifier "gr1 " has a trailing space/],
    ['unknown operations are not checked', 'ListFoundationModels', { byProvider: ' x"' }, undefined],
    ['missing fields are left to the service', 'InvokeAgent', {}, undefined],
  ];

  // (A rest parameter: jest would take a fifth declared parameter for a `done` callback in 4-column rows.)
  test.each(table)('%s', (...row) => {
    const [, operation, input, layer, message] = row;
    const error = checkBedrockRequest(operation, input, ctx);
    if (layer === undefined) {
      expect(error).toBeUndefined();
      return;
    }
    expect(error).toBeInstanceOf(BedrockHubError);
    expect(error!.layer).toBe(layer);
    expect(error!.message).toMatch(message!);
  });

  test('a target role\'s client names itself as such', () => {
    const error = checkBedrockRequest('Converse', { modelId: arn(HUB, 'application-inference-profile/abcdef123456') },
      { ...ctx, roleArn: `arn:aws:iam::${AGENTS}:role/AgentRole`, kind: 'target', account: AGENTS, roleFor: () => HUB_ROLE_ARN });
    expect(error?.message).toMatch(/signs as the target role arn:aws:iam::333344445555:role\/AgentRole in account 333344445555.*hub\.forResource/);
  });
});

describe('on hub clients: refused before anything is sent, not even AssumeRole', () => {
  let emulated: EmulatedHub;
  let hub: BedrockHubSession;
  const clients: { destroy(): void }[] = [];
  const track = <C extends { destroy(): void }>(client: C): C => {
    clients.push(client);
    return client;
  };
  const reject = async (promise: Promise<unknown>): Promise<BedrockHubError> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BedrockHubError);
    return error as BedrockHubError;
  };

  beforeEach(async () => {
    emulated = await startEmulatedHub();
    emulated.emulator.bedrock.addKnowledgeBase({ accountId: HUB, region: REGION, name: 'docs', knowledgeBaseId: 'KB12345678' });
    hub = getBedrockHubSession({ env: hubEnv(emulated), clock: emulated.clock.now, masterCredentials: emulated.master });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    resetBedrockHubSessions();
    await stopEmulatedHub(emulated);
  });

  test('InvokeAgent with the alias id "IO1GTTHP0M\\"": named, and no request at all', async () => {
    const agents = track(hub.client(BedrockAgentRuntimeClient, { endpoint: emulated.endpoint }));

    const error = await reject(agents.send(new InvokeAgentCommand({ agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M"', sessionId: 's1', inputText: 'hi' })));

    expect(error.layer).toBe('invalid-identifier');
    expect(error.message).toContain('agentAliasId "IO1GTTHP0M\\"" has a trailing \'"\'');
    expect(emulated.emulator.cloudTrail.events).toEqual([]);
  });

  test.each([
    ['a geography prefix inside a foundation-model ARN', 'arn:aws:bedrock:eu-central-1::foundation-model/eu.amazon.nova-pro-v1:0', /'eu\.' is a geography/],
    ['an inference-profile ARN without the account', 'arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0', /has no account/],
    ['a foundation-model ARN with an account', 'arn:aws:bedrock:us-east-1:111122223333:foundation-model/anthropic.claude-3-haiku-20240307-v1:0', /foundation-model ARNs have none/],
  ])('Converse with %s: invalid-identifier, no request at all', async (_what, modelId, problem) => {
    const runtime = track(hub.client(BedrockRuntimeClient, { endpoint: emulated.endpoint }));

    const error = await reject(runtime.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })));

    expect(error.layer).toBe('invalid-identifier');
    expect(error.message).toContain(modelId);
    expect(error.message).toMatch(problem);
    expect(error.message).not.toMatch(/move it to account/i);
    expect(emulated.emulator.cloudTrail.events).toEqual([]);
  });

  test('Converse on a workload-account application inference profile: resource-account, no request at all', async () => {
    const runtime = track(hub.client(BedrockRuntimeClient, { endpoint: emulated.endpoint }));
    const modelId = `arn:aws:bedrock:us-east-1:${WORKLOAD}:application-inference-profile/abcdef123456`;

    const error = await reject(runtime.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })));

    expect(error.layer).toBe('resource-account');
    expect(error.hint).toMatch(/Move it to account 111122223333.*system-defined cross-region inference profile/);
    expect(emulated.emulator.cloudTrail.events).toEqual([]);
  });

  test('ApplyGuardrail, GetInferenceProfile and Retrieve are checked too; valid calls go through', async () => {
    const runtime = track(hub.client(BedrockRuntimeClient, { endpoint: emulated.endpoint }));
    const control = track(hub.client(BedrockClient, { endpoint: emulated.endpoint }));
    const agents = track(hub.client(BedrockAgentRuntimeClient, { endpoint: emulated.endpoint }));

    const guardrail = await reject(runtime.send(new ApplyGuardrailCommand({
      guardrailIdentifier: `arn:aws:bedrock:us-east-1:${WORKLOAD}:guardrail/gr4abc123xyz`, guardrailVersion: '1', source: 'INPUT', content: [],
    })));
    const profile = await reject(control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.anthropic.claude-v2 ' })));
    const kb = await reject(agents.send(new RetrieveCommand({ knowledgeBaseId: 'KB12345678"', retrievalQuery: { text: 'q' } })));
    expect([guardrail.layer, profile.layer, kb.layer]).toEqual(['resource-account', 'invalid-identifier', 'invalid-identifier']);
    expect(emulated.emulator.cloudTrail.events).toEqual([]);

    const ok = await agents.send(new RetrieveCommand({ knowledgeBaseId: 'KB12345678', retrievalQuery: { text: 'q' } }));
    expect(ok.retrievalResults).toBeDefined();
    expect([...new Set(emulated.emulator.cloudTrail.events.map((e) => e.eventName))]).toEqual(['AssumeRole', 'Retrieve']);
    expect(calls(emulated.emulator, 'Retrieve')[0].requestParameters).toMatchObject({ knowledgeBaseId: 'KB12345678' });
    expect(signers(emulated.emulator, 'Retrieve')).toEqual([issuedKeys(emulated.emulator)[0]]);
  });

  test('clients of other services are not checked', async () => {
    const sts = track(hub.client(STSClient, { endpoint: emulated.endpoint }));
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: HUB });
  });

  test('hub mode off: the plain client sends what it is given, as the SDK would', async () => {
    const plainHub = getBedrockHubSession({ env: { AWS_REGION: 'us-east-1' } });
    const agents = track(plainHub.client(BedrockAgentRuntimeClient, { region: 'us-east-1', endpoint: emulated.endpoint, credentials: emulated.master }));

    const error = await agents.send(new InvokeAgentCommand({ agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M"', sessionId: 's1', inputText: 'hi' })).catch((e: unknown) => e);

    expect(error).not.toBeInstanceOf(BedrockHubError);
    expect(calls(emulated.emulator, 'InvokeAgent').map((e) => [e.requestParameters, e.userIdentity.accessKeyId])).toEqual([
      [expect.objectContaining({ agentId: 'PEGHWIVI5Y', agentAliasId: 'IO1GTTHP0M"' }), emulated.master.accessKeyId],
    ]);
  });
});
