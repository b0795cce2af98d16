/**
 * AWS Signature Version 4 on the receiving side: parse the `Authorization` header, recompute the
 * signature with `@smithy/signature-v4` over the request exactly as received (method, path, query,
 * the signed headers, body), and compare.
 *
 * The recomputation uses the same signer the SDK clients use, fed only what the client declared in
 * `SignedHeaders`, so a request verifies if and only if the client signed these bytes with this secret.
 * The payload is checked as the services do: `x-amz-content-sha256`, when present, must be the body's
 * SHA-256 (S3 alone also accepts `UNSIGNED-PAYLOAD` and streaming markers).
 */
import { createHash, timingSafeEqual } from 'crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorRequest } from './server';

/** The parsed parts of a SigV4 `Authorization` header. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  /** The credential scope date, `YYYYMMDD`. */
  readonly scopeDate: string;
  readonly region: string;
  /** The signing name, e.g. `sts`, `bedrock`, `dynamodb`, `s3`. */
  readonly service: string;
  /** Lower-case header names, as listed in `SignedHeaders`. */
  readonly signedHeaders: readonly string[];
  /** The hex signature the client sent. */
  readonly signature: string;
  /** The `x-amz-date` value. */
  readonly amzDate: string;
  /** `x-amz-date` as a time. */
  readonly requestTime: Date;
}

/** How a request authenticates. */
export type ParsedAuthorization =
  | { readonly kind: 'sigv4'; readonly authorization: SigV4Authorization }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'malformed'; readonly reason: string; readonly service?: string; readonly accessKeyId?: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTH_PATTERN = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The signing name in the credential scope of a request, without verifying anything. */
export function signingServiceOf(request: EmulatorRequest): string | undefined {
  const parsed = parseAuthorization(request);
  if (parsed.kind === 'sigv4') {
    return parsed.authorization.service;
  }
  return parsed.kind === 'malformed' ? parsed.service : undefined;
}

/** Parses `x-amz-date` (`20240501T120000Z`). */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE_PATTERN.exec(value);
  if (!m) {
    return undefined;
  }
  const time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Reads the request's `Authorization` header. */
export function parseAuthorization(request: EmulatorRequest): ParsedAuthorization {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    return { kind: 'anonymous' };
  }
  if (/^Bearer\s+/i.test(header)) {
    return { kind: 'bearer', token: header.replace(/^Bearer\s+/i, '').trim() };
  }
  const credentialGuess = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/([^/]+)\//.exec(header);
  const malformed = (reason: string): ParsedAuthorization =>
    ({ kind: 'malformed', reason, accessKeyId: credentialGuess?.[1], service: credentialGuess?.[2] });
  if (!header.startsWith(ALGORITHM)) {
    return malformed(`unsupported authorization type: ${header.split(/\s/)[0]}`);
  }
  const m = AUTH_PATTERN.exec(header);
  if (!m) {
    return malformed('Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters.');
  }
  const [, credential, signedHeaders, signature] = m;
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1])) {
    return malformed(`Credential should be scoped to a valid region and service: ${credential}`);
  }
  const amzDate = request.headers['x-amz-date'];
  const requestTime = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || requestTime === undefined) {
    return malformed('Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  }
  return {
    kind: 'sigv4',
    authorization: {
      accessKeyId: scope[0],
      scopeDate: scope[1],
      region: scope[2],
      service: scope[3],
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate,
      requestTime,
    },
  };
}

/** Options for signature computation. */
export interface SignatureOptions {
  /**
   * Whether the canonical path is the URI-encoded path (every service but S3) or the path as sent (S3).
   * @default true
   */
  readonly uriEscapePath?: boolean;
}

/**
 * Recomputes the signature of `request` with `secretAccessKey`, from exactly the headers the client
 * listed as signed.
 */
export async function computeSignature(
  request: EmulatorRequest,
  authorization: SigV4Authorization,
  secretAccessKey: string,
  options: SignatureOptions = {},
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of authorization.signedHeaders) {
    const value = request.headers[name];
    if (value !== undefined) {
      headers[name] = value;
    }
  }
  const signsToken = authorization.signedHeaders.includes('x-amz-security-token');
  const signer = new SignatureV4({
    service: authorization.service,
    region: authorization.region,
    credentials: {
      accessKeyId: authorization.accessKeyId,
      secretAccessKey,
      sessionToken: signsToken ? request.headers['x-amz-security-token'] : undefined,
    },
    sha256: Sha256,
    uriEscapePath: options.uriEscapePath ?? true,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: request.headers.host ?? request.headers[':authority'] ?? 'localhost',
    path: request.rawPath,
    query: { ...request.query },
    headers,
    body: request.body,
  }, {
    signingDate: authorization.requestTime,
    signingRegion: authorization.region,
    signingService: authorization.service,
    signableHeaders: new Set(authorization.signedHeaders),
  });
  const header = String(signed.headers.authorization ?? signed.headers.Authorization ?? '');
  return /Signature=([0-9a-f]{64})/.exec(header)?.[1] ?? '';
}

/** Whether the client's signature matches the recomputed one (constant-time comparison). */
export async function signatureMatches(
  request: EmulatorRequest,
  authorization: SigV4Authorization,
  secretAccessKey: string,
  options: SignatureOptions = {},
): Promise<boolean> {
  const expected = Buffer.from(await computeSignature(request, authorization, secretAccessKey, options), 'utf8');
  const actual = Buffer.from(authorization.signature, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Payload markers S3 accepts instead of a hash. */
const S3_PAYLOAD_MARKERS = new Set([
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
]);

/**
 * Whether `x-amz-content-sha256` (if sent) is the body's SHA-256.
 * @param allowMarkers accept S3's `UNSIGNED-PAYLOAD` and streaming markers
 */
export function payloadHashMatches(request: EmulatorRequest, allowMarkers: boolean): boolean {
  const declared = request.headers['x-amz-content-sha256'];
  if (declared === undefined) {
    return true;
  }
  if (allowMarkers && S3_PAYLOAD_MARKERS.has(declared)) {
    return true;
  }
  return declared === createHash('sha256').update(request.body).digest('hex');
}

/** Whether the request time is within `maxSkewMs` (AWS: 15 minutes) of `now`. */
export function withinClockSkew(requestTime: Date, now: number, maxSkewMs = 15 * 60_000): boolean {
  return Math.abs(requestTime.getTime() - now) <= maxSkewMs;
}
