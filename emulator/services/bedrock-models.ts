/**
 * The foundation models the emulated Bedrock offers, the system-defined cross-region inference
 * profiles that route to them, and the provider-specific `InvokeModel` body formats (Anthropic
 * Messages, Amazon Nova, Titan Text, Titan Embeddings, Llama).
 */
import { ServiceError } from '../server/errors';

/** How a model can be invoked. */
export type InferenceType = 'ON_DEMAND' | 'INFERENCE_PROFILE' | 'PROVISIONED';

/** A foundation model. */
export interface FoundationModel {
  readonly modelId: string;
  readonly modelName: string;
  readonly providerName: string;
  readonly inputModalities: readonly string[];
  readonly outputModalities: readonly string[];
  readonly responseStreamingSupported: boolean;
  /** `ON_DEMAND` means the model ID itself can be invoked; without it only through an inference profile. */
  readonly inferenceTypesSupported: readonly InferenceType[];
  /** Geographies with a system-defined cross-region inference profile (`us`, `eu`, `apac`, `jp`, `global`). */
  readonly crossRegionProfiles: readonly string[];
  /**
   * Sold through AWS Marketplace: the first call in an account subscribes the account, with the
   * calling principal's `aws-marketplace:ViewSubscriptions` / `aws-marketplace:Subscribe`.
   * @default true for third-party providers, false for Amazon's models
   */
  readonly marketplaceSubscription?: boolean;
}

/** Whether the first call to `model` in an account needs an AWS Marketplace subscription. */
export function needsMarketplaceSubscription(model: FoundationModel): boolean {
  return model.marketplaceSubscription ?? model.providerName !== 'Amazon';
}

/** Destination regions of each geography's system-defined inference profiles. */
export const GEOGRAPHY_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ['us-east-1', 'us-east-2', 'us-west-2'],
  eu: ['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1'],
  apac: ['ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1'],
  jp: ['ap-northeast-1', 'ap-northeast-3'],
};

/**
 * The destination region a geographic profile called from `source` is routed to: deterministic,
 * the next destination after the source in the list (AWS chooses by capacity; a fixed choice lets
 * tests meet the destination region a policy forgot).
 */
export function routedRegion(geography: string, source: string): string {
  const regions = GEOGRAPHY_REGIONS[geography] ?? [source];
  const at = regions.indexOf(source);
  return at < 0 ? regions[0] : regions[(at + 1) % regions.length];
}

/** The geography a region belongs to, for system-defined inference profiles. */
export function geographyOf(region: string): string | undefined {
  if (/^us-(east|west)-\d$/.test(region)) {
    return 'us';
  }
  if (region.startsWith('eu-')) {
    return 'eu';
  }
  if (region.startsWith('ap-')) {
    return 'apac';
  }
  return undefined;
}

const text = ['TEXT'];
const textImage = ['TEXT', 'IMAGE'];

/** The models every emulator starts with. Add more with `emulator.bedrock.addFoundationModel`. */
export const DEFAULT_FOUNDATION_MODELS: readonly FoundationModel[] = [
  {
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    modelName: 'Claude 3 Haiku',
    providerName: 'Anthropic',
    inputModalities: textImage,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['ON_DEMAND', 'INFERENCE_PROFILE'],
    crossRegionProfiles: ['us', 'eu', 'apac'],
  },
  {
    modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    modelName: 'Claude 3.5 Haiku',
    providerName: 'Anthropic',
    inputModalities: text,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    crossRegionProfiles: ['us'],
  },
  {
    modelId: 'anthropic.claude-sonnet-4-6',
    modelName: 'Claude Sonnet 4.6',
    providerName: 'Anthropic',
    inputModalities: textImage,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    crossRegionProfiles: ['us', 'eu', 'jp', 'global'],
  },
  {
    modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
    modelName: 'Claude Sonnet 4',
    providerName: 'Anthropic',
    inputModalities: textImage,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    crossRegionProfiles: ['us', 'eu', 'apac', 'global'],
  },
  {
    modelId: 'amazon.nova-lite-v1:0',
    modelName: 'Nova Lite',
    providerName: 'Amazon',
    inputModalities: textImage,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['ON_DEMAND', 'INFERENCE_PROFILE'],
    crossRegionProfiles: ['us', 'eu', 'apac'],
  },
  {
    modelId: 'amazon.nova-pro-v1:0',
    modelName: 'Nova Pro',
    providerName: 'Amazon',
    inputModalities: textImage,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['ON_DEMAND', 'INFERENCE_PROFILE'],
    crossRegionProfiles: ['us', 'eu', 'apac'],
  },
  {
    modelId: 'amazon.titan-text-express-v1',
    modelName: 'Titan Text G1 - Express',
    providerName: 'Amazon',
    inputModalities: text,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['ON_DEMAND'],
    crossRegionProfiles: [],
  },
  {
    modelId: 'amazon.titan-embed-text-v2:0',
    modelName: 'Titan Text Embeddings V2',
    providerName: 'Amazon',
    inputModalities: text,
    outputModalities: ['EMBEDDING'],
    responseStreamingSupported: false,
    inferenceTypesSupported: ['ON_DEMAND'],
    crossRegionProfiles: [],
  },
  {
    modelId: 'meta.llama3-8b-instruct-v1:0',
    modelName: 'Llama 3 8B Instruct',
    providerName: 'Meta',
    inputModalities: text,
    outputModalities: text,
    responseStreamingSupported: true,
    inferenceTypesSupported: ['ON_DEMAND'],
    crossRegionProfiles: [],
  },
];

/** A conversation turn as the emulator's responder sees it. */
export interface PromptMessage {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

/** What the model was asked. */
export interface Prompt {
  readonly messages: readonly PromptMessage[];
  readonly system?: string;
}

/** What the model answers. */
export interface ModelReply {
  readonly text: string;
  /** Converse-style stop reason. */
  readonly stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'guardrail_intervened';
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** The body format a model speaks on InvokeModel. */
export type BodyFormat = 'anthropic' | 'nova' | 'titan-text' | 'titan-embed' | 'llama' | 'generic';

/** The InvokeModel body format of a model ID. */
export function bodyFormatOf(modelId: string): BodyFormat {
  if (modelId.startsWith('anthropic.')) {
    return 'anthropic';
  }
  if (modelId.startsWith('amazon.nova')) {
    return 'nova';
  }
  if (modelId.startsWith('amazon.titan-embed')) {
    return 'titan-embed';
  }
  if (modelId.startsWith('amazon.titan-text')) {
    return 'titan-text';
  }
  if (modelId.startsWith('meta.llama')) {
    return 'llama';
  }
  return 'generic';
}

/** Roughly four characters per token, at least one. */
export function estimateTokens(...texts: readonly string[]): number {
  return Math.max(1, Math.ceil(texts.reduce((n, t) => n + t.length, 0) / 4));
}

function malformed(detail: string): ServiceError {
  return new ServiceError('ValidationException', `Malformed input request: ${detail}, please reformat your input and try again.`, 400);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  if (Array.isArray(content)) {
    return content.map((block) => (block && typeof block === 'object' && typeof (block as { text?: unknown }).text === 'string' ? (block as { text: string }).text : '')).join('');
  }
  return '';
}

function messagesOf(body: Record<string, unknown>): PromptMessage[] {
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw malformed('#: required key [messages] not found');
  }
  return body.messages.map((m) => {
    const message = m as { role?: unknown; content?: unknown };
    return { role: message.role === 'assistant' ? 'assistant' : 'user', text: contentText(message.content) };
  });
}

/** Reads the prompt out of an InvokeModel body. */
export function promptFromInvokeBody(format: BodyFormat, body: Record<string, unknown>): Prompt {
  switch (format) {
    case 'anthropic':
      return { messages: messagesOf(body), system: typeof body.system === 'string' ? body.system : contentText(body.system) || undefined };
    case 'nova':
      return { messages: messagesOf(body), system: contentText(body.system) || undefined };
    case 'titan-text':
    case 'titan-embed':
      if (typeof body.inputText !== 'string') {
        throw malformed('#: required key [inputText] not found');
      }
      return { messages: [{ role: 'user', text: body.inputText }] };
    case 'llama':
      if (typeof body.prompt !== 'string') {
        throw malformed('#: required key [prompt] not found');
      }
      return { messages: [{ role: 'user', text: body.prompt }] };
    case 'generic': {
      const textField = ['inputText', 'prompt', 'text'].map((k) => body[k]).find((v) => typeof v === 'string') as string | undefined;
      return textField !== undefined ? { messages: [{ role: 'user', text: textField }] } : { messages: messagesOf(body) };
    }
  }
}

const ANTHROPIC_STOP: Record<ModelReply['stopReason'], string> = {
  end_turn: 'end_turn', max_tokens: 'max_tokens', stop_sequence: 'stop_sequence', guardrail_intervened: 'end_turn',
};

/** A deterministic unit vector for an embedding request. */
export function embeddingOf(input: string, dimensions: number): number[] {
  const vector: number[] = [];
  let seed = 0;
  for (const ch of input) {
    seed = (seed * 31 + ch.charCodeAt(0)) % 2147483647;
  }
  for (let i = 0; i < dimensions; i++) {
    seed = (seed * 48271 + 11) % 2147483647;
    vector.push(seed / 2147483647 - 0.5);
  }
  const norm = Math.sqrt(vector.reduce((n, v) => n + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}

/** The InvokeModel response body for `format`. */
export function invokeResponseBody(format: BodyFormat, modelId: string, reply: ModelReply, request: Record<string, unknown>): unknown {
  switch (format) {
    case 'anthropic':
      return {
        id: `msg_bdrk_${modelId.length.toString(36)}${reply.text.length.toString(36)}`,
        type: 'message',
        role: 'assistant',
        model: modelId.replace(/^anthropic\./, ''),
        content: [{ type: 'text', text: reply.text }],
        stop_reason: ANTHROPIC_STOP[reply.stopReason],
        stop_sequence: null,
        usage: { input_tokens: reply.inputTokens, output_tokens: reply.outputTokens },
      };
    case 'nova':
      return {
        output: { message: { role: 'assistant', content: [{ text: reply.text }] } },
        stopReason: reply.stopReason,
        usage: { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens, totalTokens: reply.inputTokens + reply.outputTokens },
      };
    case 'titan-text':
      return { inputTextTokenCount: reply.inputTokens, results: [{ tokenCount: reply.outputTokens, outputText: reply.text, completionReason: 'FINISH' }] };
    case 'titan-embed': {
      const dimensions = typeof request.dimensions === 'number' ? request.dimensions : 1024;
      return { embedding: embeddingOf(String(request.inputText ?? ''), dimensions), inputTextTokenCount: reply.inputTokens };
    }
    case 'llama':
      return { generation: reply.text, prompt_token_count: reply.inputTokens, generation_token_count: reply.outputTokens, stop_reason: 'stop' };
    case 'generic':
      return { outputText: reply.text };
  }
}

/** Splits text into streaming deltas of a few words each. */
export function deltas(textToSplit: string): string[] {
  const words = textToSplit.match(/\S+\s*/g) ?? [textToSplit];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 3) {
    out.push(words.slice(i, i + 3).join(''));
  }
  return out.length ? out : [''];
}

/** The InvokeModelWithResponseStream chunks (each one JSON document) for `format`. */
export function invokeStreamChunks(format: BodyFormat, modelId: string, reply: ModelReply, latencyMs: number): unknown[] {
  const metrics = {
    'amazon-bedrock-invocationMetrics': {
      inputTokenCount: reply.inputTokens, outputTokenCount: reply.outputTokens, invocationLatency: latencyMs, firstByteLatency: latencyMs,
    },
  };
  const parts = deltas(reply.text);
  switch (format) {
    case 'anthropic':
      return [
        { type: 'message_start', message: { id: 'msg_bdrk_stream', type: 'message', role: 'assistant', model: modelId.replace(/^anthropic\./, ''), content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: reply.inputTokens, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        ...parts.map((part) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } })),
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: ANTHROPIC_STOP[reply.stopReason], stop_sequence: null }, usage: { output_tokens: reply.outputTokens } },
        { type: 'message_stop', ...metrics },
      ];
    case 'nova':
      return [
        { messageStart: { role: 'assistant' } },
        ...parts.map((part) => ({ contentBlockDelta: { delta: { text: part }, contentBlockIndex: 0 } })),
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: reply.stopReason } },
        { metadata: { usage: { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens } }, ...metrics },
      ];
    case 'titan-text':
      return parts.map((part, i) => ({
        outputText: part,
        index: 0,
        totalOutputTextTokenCount: i === parts.length - 1 ? reply.outputTokens : null,
        completionReason: i === parts.length - 1 ? 'FINISH' : null,
        inputTextTokenCount: i === 0 ? reply.inputTokens : null,
        ...(i === parts.length - 1 ? metrics : {}),
      }));
    case 'llama':
      return parts.map((part, i) => ({
        generation: part,
        prompt_token_count: i === 0 ? reply.inputTokens : null,
        generation_token_count: i + 1,
        stop_reason: i === parts.length - 1 ? 'stop' : null,
        ...(i === parts.length - 1 ? metrics : {}),
      }));
    default:
      return parts.map((part) => ({ outputText: part }));
  }
}
