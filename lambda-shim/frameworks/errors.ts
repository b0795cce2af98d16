/**
 * Explaining what a framework throws when Bedrock refused a call. Clients built by `hub.client()`
 * explain their errors themselves; frameworks that build their own client or speak HTTP directly
 * wrap Bedrock's answer in their own error type:
 *
 * - AWS SDK service exceptions (LangChain, Strands, LlamaIndex rethrow them): `name` is the code;
 * - the Vercel AI SDK's `APICallError`: `statusCode`, `responseHeaders`, `responseBody`;
 * - the Anthropic and OpenAI SDKs' `APIError`: `status`, `headers` (a `Headers`), `error` (the body).
 *
 * Bedrock names the error in the `x-amzn-ErrorType` header and explains it in the body's `message`
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html).
 */
import { BedrockHubError } from '../errors';
import type { BedrockHubSession } from '../session';

interface HttpErrorShape {
  readonly code: string;
  readonly message: string;
  readonly status?: number;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const entry = Object.entries(headers as Record<string, unknown>).find(([key]) => key.toLowerCase() === name);
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

function bodyMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const record = parsed as Record<string, unknown>;
  const message = record.message ?? record.Message ?? (record.error as Record<string, unknown> | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

/** Bedrock's error code, message and status, read from a framework's HTTP error. */
function httpErrorShape(error: object): HttpErrorShape | undefined {
  const e = error as Record<string, unknown>;
  const headers = e.responseHeaders ?? e.headers;
  const type = headerOf(headers, 'x-amzn-errortype');
  if (!type) return undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  const message = bodyMessage(e.responseBody) ?? bodyMessage(e.error) ?? (typeof e.message === 'string' ? e.message : '');
  // The header may carry a namespace suffix: `AccessDeniedException:http://internal.amazon.com/…`.
  return { code: type.split(':')[0], message, status };
}

/**
 * Explains an error a framework threw for a call through the hub: a `BedrockHubError` naming the
 * layer (the hub role lacks the permission or the model access, a resource in the wrong account, a
 * call made as another principal), with the framework's error as `cause`; or the error itself when
 * it carries no Bedrock error, or there is nothing to add, or hub mode is off. Follows `cause` and
 * `errors` (retry wrappers) to the Bedrock error.
 *
 * @example
 * try { … } catch (error) { throw explainFrameworkError(hub, error); }
 */
export function explainFrameworkError(hub: BedrockHubSession, error: unknown, region?: string): unknown {
  if (!hub.enabled || error instanceof BedrockHubError) return error;
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const candidate = queue.shift();
    if (candidate === null || typeof candidate !== 'object' || seen.has(candidate)) continue;
    seen.add(candidate);
    if (candidate instanceof BedrockHubError) return candidate;
    const explained = hub.explainError(candidate, region);
    if (explained !== candidate) return rewrap(explained, error);
    const shape = httpErrorShape(candidate);
    if (shape) {
      const serviceError = Object.assign(new Error(shape.message), { name: shape.code, $metadata: { httpStatusCode: shape.status } });
      const fromShape = hub.explainError(serviceError, region);
      if (fromShape !== serviceError) return rewrap(fromShape, error);
    }
    const c = candidate as { cause?: unknown; errors?: unknown; lastError?: unknown };
    queue.push(c.cause, c.lastError, ...(Array.isArray(c.errors) ? c.errors : []));
  }
  return error;
}

/** The explanation, with the error the framework threw as its cause. */
function rewrap(explained: unknown, thrown: unknown): unknown {
  if (!(explained instanceof BedrockHubError)) return explained;
  const problem = explained.message.slice(`bedrock-hub-access (${explained.layer}): `.length, explained.message.length - explained.hint.length - 1);
  const result = new BedrockHubError(explained.layer, problem, explained.hint, thrown);
  const metadata = explained.$metadata;
  if (metadata) Object.defineProperty(result, '$metadata', { value: metadata, enumerable: false });
  return result;
}
