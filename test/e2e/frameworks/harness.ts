/**
 * What every framework handler shares: the event it takes, the result it returns, and the wrapper
 * that turns a thrown error into data (explained by the shim first), so a test reads the layer.
 */
import { BedrockHubError, explainFrameworkError } from '../../../lambda-shim';
import type { BedrockHubSession } from '../../../lambda-shim';

/** The model every framework handler calls (granted to the hub role). */
export const MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0';
/** The model of the OpenAI-compatible endpoints. */
export const OPENAI_MODEL_ID = 'openai.gpt-oss-120b-1:0';

/** What a framework handler is asked to do. */
export interface FrameworkEvent {
  /**
   * `hub`: the documented recipe; `naive`: the framework given only the hub's credentials;
   * `override`: the recipe with the API key put back on top of it (which the shim must refuse).
   * @default 'hub'
   */
  readonly recipe?: 'hub' | 'naive' | 'override';
  /** Stream the answer. @default false */
  readonly stream?: boolean;
  /** For clients with several endpoints (OpenAI: `runtime`, `mantle`). */
  readonly endpoint?: string;
  readonly prompt?: string;
}

/** What it returns. */
export interface FrameworkResult {
  readonly ok: boolean;
  readonly text?: string;
  /** How many pieces a streamed answer came in. */
  readonly chunks?: number;
  readonly error?: { readonly name: string; readonly layer?: string; readonly message: string };
}

/** A Lambda handler that runs `call` and reports its outcome, explaining errors with the hub session. */
export function frameworkHandler(hub: BedrockHubSession, call: (event: FrameworkEvent) => Promise<{ text: string; chunks?: number }>) {
  return async (event: FrameworkEvent): Promise<FrameworkResult> => {
    try {
      return { ok: true, ...(await call(event)) };
    } catch (thrown) {
      const error = explainFrameworkError(hub, thrown) as Error;
      return {
        ok: false,
        error: { name: error?.name ?? 'Error', layer: error instanceof BedrockHubError ? error.layer : undefined, message: String(error?.message ?? error) },
      };
    }
  };
}

/** Collects a stream of text pieces. */
export async function collect(pieces: AsyncIterable<string | undefined>): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  for await (const piece of pieces) {
    if (piece) {
      text += piece;
      chunks++;
    }
  }
  return { text, chunks };
}
