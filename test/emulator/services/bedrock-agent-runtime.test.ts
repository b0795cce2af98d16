import { BedrockAgentRuntimeClient, InvokeAgentCommand, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { AwsEmulator, IssuedCredentials } from '../../../emulator';
import { allow, clientConfig, errorOf, HUB, HUB_ROLE_ARN, REGION, startHubAndWorkload, stopChecked, WORKLOAD } from '../fixtures';

let emulator: AwsEmulator;

afterEach(() => stopChecked(emulator));

const agentPermissions = allow(['bedrock:InvokeAgent', 'bedrock:Retrieve'], [
  `arn:aws:bedrock:*:${HUB}:agent-alias/*/*`,
  `arn:aws:bedrock:*:${HUB}:knowledge-base/*`,
]);

async function agentRuntime(): Promise<{ hub: BedrockAgentRuntimeClient; workload: (credentials: IssuedCredentials) => BedrockAgentRuntimeClient }> {
  ({ emulator } = await startHubAndWorkload({ hub: { permissions: agentPermissions } }));
  return {
    hub: new BedrockAgentRuntimeClient(clientConfig(emulator, emulator.roleSessionCredentials(HUB_ROLE_ARN, 'fn'))),
    workload: (credentials) => new BedrockAgentRuntimeClient(clientConfig(emulator, credentials)),
  };
}

async function completionOf(
  client: BedrockAgentRuntimeClient, agentId: string, agentAliasId: string, inputText: string,
): Promise<{ text: string; sessionId?: string }> {
  const output = await client.send(new InvokeAgentCommand({ agentId, agentAliasId, sessionId: 'session-1', inputText }));
  let text = '';
  for await (const event of output.completion!) {
    text += Buffer.from(event.chunk?.bytes ?? new Uint8Array()).toString('utf8');
  }
  return { text, sessionId: output.sessionId };
}

describe('InvokeAgent', () => {
  test('streams the agent\'s answer in chunk events (over HTTP/2)', async () => {
    // GIVEN an agent with an alias in the hub
    const { hub } = await agentRuntime();
    const agent = emulator.bedrock.addAgent({ accountId: HUB, region: REGION, name: 'helper', foundationModel: 'amazon.nova-lite-v1:0' });
    const aliasArn = emulator.bedrock.addAgentAlias({ accountId: HUB, region: REGION, agentId: agent.agentId, name: 'live' });
    const aliasId = aliasArn.split('/').pop()!;

    // WHEN
    const answer = await completionOf(hub, agent.agentId, aliasId, 'what vessels do we have in the fleet today');

    // THEN
    expect(answer).toEqual({ text: 'Echo from amazon.nova-lite-v1:0: what vessels do we have in the fleet today', sessionId: 'session-1' });
    expect(emulator.cloudTrail.find({ eventName: 'InvokeAgent' })[0]).toMatchObject({
      eventCategory: 'Data',
      resources: [{ ARN: `arn:aws:bedrock:us-east-1:${HUB}:agent-alias/${agent.agentId}/${aliasId}`, type: 'AWS::Bedrock::AgentAlias' }],
    });
  });

  test('an agent in the hub called with workload credentials is "not found": the credentials were never applied', async () => {
    // GIVEN the workload role may invoke any agent, but the agent lives in the hub
    const { workload } = await agentRuntime();
    emulator.putRole({ accountId: WORKLOAD, roleName: 'Local', trustPolicy: allow('sts:AssumeRole', '*'), policies: [{ name: 'agents', document: allow('bedrock:InvokeAgent', '*') }] });
    const agent = emulator.bedrock.addAgent({ accountId: HUB, region: REGION, name: 'helper' });

    // WHEN
    const error = await errorOf(completionOf(workload(emulator.roleSessionCredentials(`arn:aws:iam::${WORKLOAD}:role/Local`, 'local')), agent.agentId, 'TSTALIASID', 'hi'));

    // THEN
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Failed to retrieve resource because it doesn\'t exist. Retry the request with a different resource identifier.',
    });
  });

  test('without bedrock:InvokeAgent on the alias ARN the caller is denied', async () => {
    const { workload } = await agentRuntime();
    emulator.putRole({ accountId: HUB, roleName: 'NoAgents', trustPolicy: allow('sts:AssumeRole', '*'), policies: [{ name: 'kb', document: allow('bedrock:Retrieve', '*') }] });
    const agent = emulator.bedrock.addAgent({ accountId: HUB, region: REGION, name: 'helper' });
    const error = await errorOf(completionOf(workload(emulator.roleSessionCredentials(`arn:aws:iam::${HUB}:role/NoAgents`, 's')), agent.agentId, 'TSTALIASID', 'hi'));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(`User: arn:aws:sts::${HUB}:assumed-role/NoAgents/s is not authorized to perform: bedrock:InvokeAgent `
      + `on resource: arn:aws:bedrock:us-east-1:${HUB}:agent-alias/${agent.agentId}/TSTALIASID because no identity-based policy allows the bedrock:InvokeAgent action`);
  });
});

describe('Retrieve', () => {
  test('returns the knowledge base\'s matching documents, best first', async () => {
    const { hub } = await agentRuntime();
    const kb = emulator.bedrock.addKnowledgeBase({
      accountId: HUB,
      region: REGION,
      name: 'docs',
      documents: [{ text: 'Guardrails live in the hub account.' }, { text: 'Unrelated text.' }, { text: 'The hub account owns application inference profiles and guardrails.' }],
    });
    const output = await hub.send(new RetrieveCommand({ knowledgeBaseId: kb.knowledgeBaseId, retrievalQuery: { text: 'which account owns guardrails' } }));
    expect(output.retrievalResults?.map((r) => r.content?.text)).toEqual([
      'The hub account owns application inference profiles and guardrails.',
      'Guardrails live in the hub account.',
    ]);
    expect(output.retrievalResults?.[0].location?.s3Location?.uri).toMatch(/^s3:\/\/docs-docs\/doc-3\.txt$/);
  });

  test('a knowledge base of another account is not found', async () => {
    const { hub } = await agentRuntime();
    const kb = emulator.bedrock.addKnowledgeBase({ accountId: WORKLOAD, region: REGION, name: 'local' });
    await expect(hub.send(new RetrieveCommand({ knowledgeBaseId: kb.knowledgeBaseId, retrievalQuery: { text: 'x' } })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
