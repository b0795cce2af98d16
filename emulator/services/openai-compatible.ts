/**
 * Bedrock's OpenAI-compatible Chat Completions API, on its two endpoints
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-chat-completions.html):
 *
 * - bedrock-runtime: `POST /openai/v1/chat/completions`, signed as
 *   `bedrock`, authorized as `bedrock:InvokeModel` (`…WithResponseStream` when streaming) on the
 *   model, like InvokeModel;
 * - bedrock-mantle (`bedrock-mantle.<region>.api.aws`): `POST /v1/chat/completions` and
 *   `/openai/v1/chat/completions`, signed as `bedrock-mantle`, authorized as
 *   `bedrock-mantle:CreateInference` on the account's default project
 *   (`arn:aws:bedrock-mantle:<region>:<account>:project/default`, as in the managed policy
 *   AmazonBedrockMantleInferenceAccess).
 *
 * Both answer in OpenAI's shapes: a `chat.completion` object, or with `stream: true` server-sent
 * events of `chat.completion.chunk` objects ending in `data: [DONE]`. Errors keep Bedrock's
 * restJson1 form (`x-amzn-ErrorType` header, `{ "message" }`), as AWS error readers expect, plus
 * OpenAI's `error` object, which OpenAI clients read the message from.
 * The CloudTrail event names are the emulator's: `ChatCompletions` (runtime), `CreateInference`
 * (mantle).
 */
import { randomUUID } from 'crypto';
import { deltas, estimateTokens, FoundationModel, Prompt } from './bedrock-models';
import { BedrockResources, requireBedrockPermission, subscribeOnFirstUse } from './bedrock-resources';
import { PolicyEngine } from '../iam/policy-engine';
import { ServiceError } from '../server/errors';
import type { ServiceName } from '../server/faults';
import type { EmulatorRequest, EmulatorResponse } from '../server/server';
import { jsonResponse, OperationRoute, parseJsonBody, ServiceHandler, ServiceRequestContext } from '../server/service';

/** An OpenAI gpt-oss text model (`gpt-oss-<size>`), on demand, as Bedrock lists it. */
function gptOss(size: string): FoundationModel {
  return {
    modelId: `openai.gpt-oss-${size}-1:0`,
    modelName: `gpt-oss-${size}`,
    providerName: 'OpenAI',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    inferenceTypesSupported: ['ON_DEMAND'],
    crossRegionProfiles: [],
  };
}

/** The OpenAI models Bedrock offers through these endpoints (added to the catalogue if missing). */
export const OPENAI_COMPATIBLE_MODELS: readonly FoundationModel[] = [gptOss('120b'), gptOss('20b')];

interface ChatMessage {
  readonly role?: string;
  readonly content?: string | ReadonlyArray<{ readonly type?: string; readonly text?: string }>;
}

interface ChatRequest {
  readonly model?: string;
  readonly messages?: readonly ChatMessage[];
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
}

function invalidRequest(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400);
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

/** The prompt of a chat request: system/developer messages become the system prompt. */
function promptOf(body: ChatRequest): Prompt {
  const messages = body.messages ?? [];
  if (messages.length === 0) {
    throw invalidRequest("1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n');
  return {
    system: system || undefined,
    messages: messages.filter((m) => m.role === 'user' || m.role === 'assistant')
      .map((m) => ({ role: m.role === 'assistant' ? 'assistant' as const : 'user' as const, text: textOf(m.content) })),
  };
}

/** One server-sent event carrying a JSON object (or the final `[DONE]`). */
function sse(data: unknown): Buffer {
  return Buffer.from(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`, 'utf8');
}

const FINISH_REASONS: Readonly<Record<string, string>> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', guardrail_intervened: 'content_filter' };

/** What differs between the two endpoints. */
interface Endpoint {
  readonly name: ServiceName;
  readonly signingName: string;
  readonly eventSource: string;
  readonly operation: string;
  readonly paths: readonly string[];
  /** Checks the caller may run inference with `model`, and returns the foundation model that answers. */
  authorize(context: ServiceRequestContext, model: string, streaming: boolean): Promise<FoundationModel>;
}

/** Chat Completions on one endpoint. */
export class OpenAiCompatibleService implements ServiceHandler {
  /** bedrock-runtime's OpenAI-compatible API. */
  public static runtime(resources: BedrockResources, policies: PolicyEngine): OpenAiCompatibleService {
    return new OpenAiCompatibleService(resources, {
      name: 'bedrock-runtime',
      signingName: 'bedrock',
      eventSource: 'bedrock.amazonaws.com',
      operation: 'ChatCompletions',
      paths: ['/openai/v1/chat/completions'],
      authorize: async (context, model, streaming) => {
        const principal = context.caller.principal;
        const target = resources.resolveModel(model, principal.accountId, context.region);
        context.trail.resources = [{ ARN: target.resourceArn, accountId: target.checks[0].account }];
        const action = streaming ? 'bedrock:InvokeModelWithResponseStream' : 'bedrock:InvokeModel';
        await requireBedrockPermission(policies, principal, action, target.checks, context.region);
        if (!target.foundationModel) throw invalidRequest('The provided model identifier is invalid.');
        await subscribeOnFirstUse(policies, resources, principal, context.region, target.foundationModel);
        return target.foundationModel;
      },
    });
  }

  /** bedrock-mantle's OpenAI-compatible API. */
  public static mantle(resources: BedrockResources, policies: PolicyEngine): OpenAiCompatibleService {
    return new OpenAiCompatibleService(resources, {
      name: 'bedrock-mantle',
      signingName: 'bedrock-mantle',
      eventSource: 'bedrock-mantle.amazonaws.com',
      operation: 'CreateInference',
      paths: ['/v1/chat/completions', '/openai/v1/chat/completions'],
      authorize: async (context, model) => {
        const principal = context.caller.principal;
        const project = `arn:aws:bedrock-mantle:${context.region}:${principal.accountId}:project/default`;
        context.trail.resources = [{ ARN: project, accountId: principal.accountId }];
        const decision = await policies.authorize({
          principal, action: 'bedrock-mantle:CreateInference', resource: project, resourceAccount: principal.accountId, region: context.region,
        });
        if (!decision.allowed) {
          throw new ServiceError('AccessDeniedException',
            `User: ${principal.arn} is not authorized to perform: bedrock-mantle:CreateInference on resource: ${project} because ${decision.reason}`, 403);
        }
        const foundationModel = resources.foundationModel(model) ?? resources.foundationModels().find((m) => m.modelId.startsWith(`${model}-`) || m.modelId.startsWith(`${model}:`));
        if (!foundationModel) throw new ServiceError('ResourceNotFoundException', `The model '${model}' does not exist.`, 404);
        await subscribeOnFirstUse(policies, resources, principal, context.region, foundationModel);
        return foundationModel;
      },
    });
  }

  public readonly family = 'bedrock' as const;
  public readonly protocol = 'restJson1' as const;

  private constructor(private readonly resources: BedrockResources, private readonly endpoint: Endpoint) {
    for (const model of OPENAI_COMPATIBLE_MODELS) {
      if (!resources.foundationModel(model.modelId)) resources.addFoundationModel(model);
    }
  }

  public get name(): ServiceName {
    return this.endpoint.name;
  }

  public get signingName(): string {
    return this.endpoint.signingName;
  }

  public get eventSource(): string {
    return this.endpoint.eventSource;
  }

  public route(request: EmulatorRequest): OperationRoute | undefined {
    return request.method === 'POST' && this.endpoint.paths.includes(request.rawPath) ? { operation: this.endpoint.operation, params: {} } : undefined;
  }

  public isReadOnly(): boolean {
    return false;
  }

  public eventCategory(): 'Data' {
    return 'Data';
  }

  public async handle(context: ServiceRequestContext): Promise<EmulatorResponse> {
    try {
      return await this.complete(context);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      // OpenAI clients read the message from an `error` object; AWS error readers from `message`
      // and the x-amzn-ErrorType header. The body carries both (the serializer spreads `extra`).
      const openAiError = { error: { message: error.message, type: error.code, code: error.code } };
      throw new ServiceError(error.code, error.message, error.status, { ...error.extra, ...openAiError as unknown as Record<string, string> });
    }
  }

  private async complete(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const body = parseJsonBody<ChatRequest>(context.request.body, () => invalidRequest('Malformed input request, please reformat your input and try again.'));
    if (typeof body.model !== 'string' || body.model === '') {
      throw invalidRequest("1 validation error detected: Value at 'model' failed to satisfy constraint: Member must not be null");
    }
    const streaming = body.stream === true;
    context.trail.requestParameters = { model: body.model, stream: streaming };
    const model = await this.endpoint.authorize(context, body.model, streaming);
    const prompt = promptOf(body);
    const answer = this.resources.respond({
      operation: context.operation,
      requestedModelId: body.model,
      foundationModelId: model.modelId,
      prompt,
      principalArn: context.caller.principal.arn,
      accountId: context.caller.principal.accountId,
      region: context.region,
    });
    const usage = {
      prompt_tokens: answer.inputTokens ?? estimateTokens(prompt.system ?? '', ...prompt.messages.map((m) => m.text)),
      completion_tokens: answer.outputTokens ?? estimateTokens(answer.text),
    };
    const usageBlock = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
    const created = Math.floor(context.now / 1000);
    const finishReason = FINISH_REASONS[answer.stopReason ?? 'end_turn'] ?? 'stop';
    if (!streaming) {
      return jsonResponse({
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer.text }, finish_reason: finishReason }],
        usage: usageBlock,
      }, { requestId: context.requestId });
    }
    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Buffer =>
      sse({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra });
    async function* events(): AsyncGenerator<Buffer> {
      yield chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
      for (const text of deltas(answer.text)) {
        yield chunk([{ index: 0, delta: { content: text }, finish_reason: null }]);
      }
      yield chunk([{ index: 0, delta: {}, finish_reason: finishReason }]);
      if (includeUsage) yield chunk([], { usage: usageBlock });
      yield sse('[DONE]');
    }
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-amzn-requestid': context.requestId },
      body: events(),
    };
  }
}
