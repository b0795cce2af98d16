/**
 * `fetch` functions for clients that speak HTTP themselves instead of through an AWS SDK client:
 * OpenAI-compatible clients pointed at Bedrock, the Vercel AI SDK, Anthropic's Bedrock SDK.
 *
 * - {@link hubFetch} signs every request with SigV4 and the hub role's credentials (whatever
 *   `Authorization` the client put on it, an API key included, never leaves the process).
 * - {@link bearerRefusingFetch} lets a client sign for itself, and throws if it ever sends a
 *   bearer token (a Bedrock API key) instead: the framework took its API-key path.
 *
 * Signing follows Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
 * with `@smithy/signature-v4`, the signer of the AWS SDK for JavaScript v3, loaded on first use.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { BEARER_TOKEN_VARIABLE } from './bearer-warning';
import { BedrockHubError } from './errors';
import type { BedrockHubSession } from './session';

/** The `fetch` signature (WHATWG), as the clients take it. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link hubFetch}. */
export interface HubFetchOptions {
  /**
   * The SigV4 signing name: `bedrock` for bedrock-runtime (its native and OpenAI-compatible APIs),
   * `bedrock-mantle` for bedrock-mantle.
   * @default 'bedrock'
   */
  readonly service?: string;
  /**
   * The region in the credential scope.
   * @default the session's region
   */
  readonly region?: string;
  /**
   * What sends the signed request.
   * @default globalThis.fetch
   */
  readonly fetch?: FetchFunction;
}

/** Headers a signer owns: whatever the client set, they are replaced or dropped. */
const SIGNER_OWNED = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host', 'content-length', 'connection']);

function baseFetch(given: FetchFunction | undefined): FetchFunction {
  const chosen = given ?? (globalThis.fetch as FetchFunction | undefined);
  if (!chosen) {
    throw new BedrockHubError('configuration', 'No fetch function: this Node.js has no global fetch.', 'Use Node.js 18 or later (Lambda\'s nodejs22.x or nodejs24.x), or pass options.fetch.');
  }
  return chosen;
}

/**
 * A `fetch` that signs every request with SigV4: with hub mode on, with the hub role's credentials
 * (refreshed as {@link BedrockHubSession.credentials} refreshes them); with hub mode off, with the
 * function's own credentials from the default credential chain. An `Authorization` header the
 * client set (an OpenAI API key, a Bedrock API key) is replaced by the signature, never sent.
 *
 * The body is read once to be hashed, so streams are buffered; responses (event streams, SSE)
 * stream as usual.
 *
 * @example
 * const openai = new OpenAI({ apiKey: 'sigv4', baseURL: `https://bedrock-runtime.${hub.region}.amazonaws.com/openai/v1`, fetch: hubFetch(hub) });
 * @throws BedrockHubError of layer `configuration` (at the first request) when no region is known
 */
export function hubFetch(hub: BedrockHubSession, options: HubFetchOptions = {}): FetchFunction {
  const service = options.service ?? 'bedrock';
  const region = options.region ?? hub.region;
  let signer: SigV4Signer | undefined;
  return async (input, init) => {
    if (!region) {
      throw new BedrockHubError('configuration', 'hubFetch has no region to sign for.',
        'Set AWS_REGION (Lambda sets it), pass region to getBedrockHubSession(), or pass options.region.');
    }
    signer ??= createSigner(hub.credentials, service, region);
    const request = new Request(input, init?.body instanceof ReadableStream ? { ...init, duplex: 'half' } as RequestInit : init);
    const url = new URL(request.url);
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!SIGNER_OWNED.has(name)) headers[name] = value;
    });
    const query: Record<string, string | string[]> = {};
    url.searchParams.forEach((value, name) => {
      const existing = query[name];
      query[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    });
    const signed = await signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      body,
    });
    // fetch sets Host from the URL itself, to the value that was signed.
    const { host: _host, ...sent } = signed.headers;
    return baseFetch(options.fetch)(url, { method: request.method, headers: sent, body, signal: request.signal, redirect: init?.redirect });
  };
}

/** The part of `SignatureV4` used here. */
interface SigV4Signer {
  sign(request: SignableRequest): Promise<{ headers: Record<string, string> }>;
}

interface SignableRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
}

/**
 * The signer, loaded on first use: the shim's other users (and hub mode off) never load it. A lazy
 * `require` (not `import()`): esbuild bundles it for either output format, and CommonJS consumers
 * of the compiled shim resolve it as usual.
 */
function createSigner(credentials: AwsCredentialIdentityProvider | undefined, service: string, region: string): SigV4Signer {
  /* eslint-disable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies -- optional peers of the shim (the Lambda Node.js runtime provides the AWS SDK) */
  const { SignatureV4 } = require('@smithy/signature-v4') as typeof import('@smithy/signature-v4');
  const { Sha256 } = require('@aws-crypto/sha256-js') as typeof import('@aws-crypto/sha256-js');
  // Hub mode off: the function's own credentials, as `new BedrockRuntimeClient()` would find them.
  const provider: AwsCredentialIdentityProvider = credentials
    ?? (require('@aws-sdk/credential-provider-node') as typeof import('@aws-sdk/credential-provider-node')).defaultProvider() as () => Promise<AwsCredentialIdentity>;
  /* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
  return new SignatureV4({ credentials: provider, region, service, sha256: Sha256, uriEscapePath: true, applyChecksum: true });
}

function authorizationOf(input: string | URL | Request, init?: RequestInit): string | undefined {
  const fromInit = init?.headers === undefined ? undefined : new Headers(init.headers).get('authorization');
  return fromInit ?? (input instanceof Request ? input.headers.get('authorization') ?? undefined : undefined);
}

/**
 * A `fetch` for clients that sign requests themselves (the Vercel AI SDK, Anthropic's Bedrock SDK)
 * on the hub's credentials: it passes SigV4-signed requests on, and throws a `BedrockHubError` of
 * layer `configuration` for a request that carries a bearer token, which means the client took its
 * API-key path (`AWS_BEARER_TOKEN_BEDROCK`) around the hub. The token's value is never shown.
 *
 * @param next what sends the request @default globalThis.fetch
 */
export function bearerRefusingFetch(next?: FetchFunction): FetchFunction {
  return async (input, init) => {
    if (/^bearer\s/i.test(authorizationOf(input, init) ?? '')) {
      throw new BedrockHubError('configuration',
        'A Bedrock client tried to send a bearer token (a Bedrock API key) instead of signing with the hub role; the request was not sent.',
        `The client prefers an API key over the credentials it was given: remove ${BEARER_TOKEN_VARIABLE} from the function's environment, ` +
        'and build the client with the recipe for its framework (see docs/frameworks.md).');
    }
    return baseFetch(next)(input, init);
  };
}
