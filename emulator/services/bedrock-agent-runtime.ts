/**
 * Agents for Amazon Bedrock runtime (restJson1 over HTTP/2): `InvokeAgent` (an event stream of
 * `chunk` events) and `Retrieve` (knowledge-base search).
 *
 * Agent and knowledge-base IDs name resources in the caller's account and region. IAM is checked on
 * the ARN built from them first; then the resource must exist there. A caller holding the wrong
 * account's credentials therefore gets `ResourceNotFoundException` for an agent that lives elsewhere,
 * which is exactly the symptom of credentials that were never applied.
 */
import { BedrockRoute, BedrockEndpoint } from './bedrock-endpoint';
import { deltas } from './bedrock-models';
import { requireBedrockPermission } from './bedrock-resources';
import { ServiceError } from '../server/errors';
import { eventMessage } from '../server/event-stream';
import type { EmulatorResponse } from '../server/server';
import { jsonResponse, parseJsonBody, ServiceRequestContext } from '../server/service';

const NOT_FOUND = 'Failed to retrieve resource because it doesn\'t exist. Retry the request with a different resource identifier.';

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400);
}

/** The agent runtime. */
export class BedrockAgentRuntimeService extends BedrockEndpoint {
  public readonly name = 'bedrock-agent-runtime' as const;
  protected readonly method = 'POST';
  protected readonly routes: readonly BedrockRoute[] = [
    ['/agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text', 'InvokeAgent', (c) => this.invokeAgent(c)],
    ['/knowledgebases/{knowledgeBaseId}/retrieve', 'Retrieve', (c) => this.retrieve(c)],
  ];

  public eventCategory(): 'Data' {
    return 'Data';
  }

  private async invokeAgent(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const { agentId, agentAliasId, sessionId } = context.params;
    const principal = context.caller.principal;
    const aliasArn = `arn:aws:bedrock:${context.region}:${principal.accountId}:agent-alias/${agentId}/${agentAliasId}`;
    context.trail.requestParameters = { agentId, agentAliasId, sessionId };
    context.trail.resources = [{ ARN: aliasArn, accountId: principal.accountId, type: 'AWS::Bedrock::AgentAlias' }];
    await requireBedrockPermission(this.policies, principal, 'bedrock:InvokeAgent', [{ arn: aliasArn, account: principal.accountId }], context.region);
    const agent = this.resources.agent(principal.accountId, context.region, agentId);
    if (!agent || !agent.aliases.has(agentAliasId)) {
      throw new ServiceError('ResourceNotFoundException', NOT_FOUND, 404);
    }
    const body = parseJsonBody<{ inputText?: string; endSession?: boolean }>(context.request.body,
      () => validation('Malformed input request, please reformat your input and try again.'));
    if (typeof body.inputText !== 'string' && !body.endSession) {
      throw validation('1 validation error detected: Value null at \'inputText\' failed to satisfy constraint: Member must not be null');
    }
    const answer = this.resources.respond({
      operation: 'InvokeAgent',
      requestedModelId: agent.agentId,
      foundationModelId: agent.foundationModel,
      prompt: { messages: [{ role: 'user', text: body.inputText ?? '' }] },
      principalArn: principal.arn,
      accountId: principal.accountId,
      region: context.region,
    });
    async function* events(): AsyncGenerator<Buffer> {
      for (const part of deltas(answer.text)) {
        yield eventMessage('chunk', { bytes: Buffer.from(part, 'utf8').toString('base64') });
      }
    }
    return {
      status: 200,
      headers: {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-bedrock-agent-content-type': 'application/json',
        'x-amz-bedrock-agent-session-id': sessionId,
        'x-amzn-requestid': context.requestId,
      },
      body: events(),
    };
  }

  private async retrieve(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const { knowledgeBaseId } = context.params;
    const principal = context.caller.principal;
    const kbArn = `arn:aws:bedrock:${context.region}:${principal.accountId}:knowledge-base/${knowledgeBaseId}`;
    context.trail.requestParameters = { knowledgeBaseId };
    context.trail.resources = [{ ARN: kbArn, accountId: principal.accountId, type: 'AWS::Bedrock::KnowledgeBase' }];
    await requireBedrockPermission(this.policies, principal, 'bedrock:Retrieve', [{ arn: kbArn, account: principal.accountId }], context.region);
    const kb = this.resources.knowledgeBase(principal.accountId, context.region, knowledgeBaseId);
    if (!kb) {
      throw new ServiceError('ResourceNotFoundException', NOT_FOUND, 404);
    }
    type RetrieveBody = { retrievalQuery?: { text?: string }; retrievalConfiguration?: { vectorSearchConfiguration?: { numberOfResults?: number } } };
    const body = parseJsonBody<RetrieveBody>(
      context.request.body, () => validation('Malformed input request, please reformat your input and try again.'));
    const query = body.retrievalQuery?.text;
    if (typeof query !== 'string' || query.length === 0) {
      throw validation('1 validation error detected: Value null at \'retrievalQuery\' failed to satisfy constraint: Member must not be null');
    }
    const limit = body.retrievalConfiguration?.vectorSearchConfiguration?.numberOfResults ?? 5;
    const terms = query.toLowerCase().split(/\W+/).filter((t) => t.length > 2);
    const results = kb.documents
      .map((doc) => {
        const text = doc.text.toLowerCase();
        const hits = terms.filter((t) => text.includes(t)).length;
        return { doc, score: terms.length ? hits / terms.length : 0 };
      })
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((r) => ({
        content: { text: r.doc.text, type: 'TEXT' },
        location: { type: 'S3', s3Location: { uri: r.doc.uri } },
        score: r.score,
        metadata: { 'x-amz-bedrock-kb-source-uri': r.doc.uri },
      }));
    return jsonResponse({ retrievalResults: results }, { requestId: context.requestId });
  }
}
