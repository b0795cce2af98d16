import { createHash } from 'crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorRequest } from '../../../emulator/server/server';
import { parseAmzDate, parseAuthorization, payloadHashMatches, signatureMatches, withinClockSkew } from '../../../emulator/server/sigv4';

const credentials = { accessKeyId: 'ASIAEXAMPLEKEY000001', secretAccessKey: 'secret/key+example', sessionToken: 'token-1' };
const signingDate = new Date('2024-05-01T12:00:00Z');

/** Signs a request the way an SDK client does and returns it as the emulator would receive it. */
interface SignOptions {
  readonly path?: string;
  readonly query?: Record<string, string>;
  readonly body?: string;
  readonly service?: string;
  readonly uriEscapePath?: boolean;
}

async function signedRequest(options: SignOptions = {}): Promise<EmulatorRequest> {
  const body = options.body ?? '{"modelId":"x"}';
  const signer = new SignatureV4({ service: options.service ?? 'bedrock', region: 'us-east-1', credentials, sha256: Sha256, uriEscapePath: options.uriEscapePath ?? true });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: options.path ?? '/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse',
    query: options.query ?? {},
    headers: { 'host': '127.0.0.1:4566', 'content-type': 'application/json', 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
    body,
  }, { signingDate });
  const rawQuery = Object.entries(options.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return {
    method: 'POST',
    rawPath: signed.path,
    rawQuery,
    query: { ...(options.query ?? {}) },
    headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    body: Buffer.from(body),
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
  };
}

function authorizationOf(request: EmulatorRequest) {
  const parsed = parseAuthorization(request);
  if (parsed.kind !== 'sigv4') {
    throw new Error(`expected a SigV4 request, got ${parsed.kind}`);
  }
  return parsed.authorization;
}

describe('parseAuthorization', () => {
  test('reads the credential scope, signed headers and request time', async () => {
    // GIVEN
    const request = await signedRequest();

    // WHEN
    const authorization = authorizationOf(request);

    // THEN
    expect(authorization).toMatchObject({
      accessKeyId: credentials.accessKeyId,
      scopeDate: '20240501',
      region: 'us-east-1',
      service: 'bedrock',
      amzDate: '20240501T120000Z',
    });
    expect(authorization.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']));
    expect(authorization.requestTime.toISOString()).toBe('2024-05-01T12:00:00.000Z');
  });

  test.each([
    ['no header', undefined, 'anonymous'],
    ['a Bedrock API key', 'Bearer ABSKexample', 'bearer'],
    ['another scheme', 'AWS AKID:signature', 'malformed'],
    ['a SigV4 header without SignedHeaders', 'AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/sts/aws4_request, Signature=' + 'a'.repeat(64), 'malformed'],
  ])('classifies %s', async (_, header, kind) => {
    const request = await signedRequest();
    const headers = { ...request.headers };
    delete headers.authorization;
    if (header) {
      headers.authorization = header;
    }
    expect(parseAuthorization({ ...request, headers }).kind).toBe(kind);
  });

  test('a malformed header still names the service, so the error can be in its shape', () => {
    const parsed = parseAuthorization({
      method: 'POST',
      rawPath: '/',
      rawQuery: '',
      query: {},
      body: Buffer.alloc(0),
      httpVersion: '1.1',
      remoteAddress: '127.0.0.1',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/dynamodb/aws4_request' },
    });
    expect(parsed).toMatchObject({ kind: 'malformed', service: 'dynamodb', accessKeyId: 'AKID' });
  });
});

describe('signatureMatches', () => {
  test('accepts the request exactly as the client signed it', async () => {
    const request = await signedRequest();
    await expect(signatureMatches(request, authorizationOf(request), credentials.secretAccessKey)).resolves.toBe(true);
  });

  test('accepts a signed query string', async () => {
    const request = await signedRequest({ path: '/inference-profiles', query: { typeEquals: 'SYSTEM_DEFINED', maxResults: '10' } });
    await expect(signatureMatches(request, authorizationOf(request), credentials.secretAccessKey)).resolves.toBe(true);
  });

  test('accepts S3 paths signed without double encoding', async () => {
    const request = await signedRequest({ service: 's3', path: '/bucket/folder/a%20b.txt', uriEscapePath: false });
    await expect(signatureMatches(request, authorizationOf(request), credentials.secretAccessKey, { uriEscapePath: false })).resolves.toBe(true);
  });

  test.each<[string, (request: EmulatorRequest) => EmulatorRequest]>([
    ['a different secret', (r) => r],
    ['a changed path', (r) => ({ ...r, rawPath: r.rawPath.replace('converse', 'invoke') })],
    ['a changed query', (r) => ({ ...r, rawQuery: 'x=1', query: { x: '1' } })],
    ['a changed signed header', (r) => ({ ...r, headers: { ...r.headers, 'content-type': 'text/plain' } })],
    ['a changed session token', (r) => ({ ...r, headers: { ...r.headers, 'x-amz-security-token': 'token-2' } })],
    ['a changed body with its hash header dropped', (r) => {
      const headers = { ...r.headers };
      delete headers['x-amz-content-sha256'];
      return { ...r, headers, body: Buffer.from('{"modelId":"y"}') };
    }],
  ])('rejects %s', async (what, change) => {
    const request = await signedRequest();
    const secret = what === 'a different secret' ? 'another-secret' : credentials.secretAccessKey;
    const changed = change(request);
    const authorization = authorizationOf(request);
    await expect(signatureMatches(changed, { ...authorization }, secret)).resolves.toBe(false);
  });
});

describe('payloadHashMatches', () => {
  test('a body that no longer matches x-amz-content-sha256 is caught even though the signature covers only the header', async () => {
    const request = await signedRequest();
    expect(payloadHashMatches(request, false)).toBe(true);
    expect(payloadHashMatches({ ...request, body: Buffer.from('{"modelId":"y"}') }, false)).toBe(false);
  });

  test.each([
    ['UNSIGNED-PAYLOAD', true, true],
    ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', true, true],
    ['UNSIGNED-PAYLOAD', false, false],
  ])('the marker %s is accepted for S3 only (S3: %s)', async (marker, s3, accepted) => {
    const request = await signedRequest();
    expect(payloadHashMatches({ ...request, headers: { ...request.headers, 'x-amz-content-sha256': marker } }, s3)).toBe(accepted);
  });
});

describe('clock skew', () => {
  test.each([
    [14 * 60_000, true],
    [-14 * 60_000, true],
    [16 * 60_000, false],
    [-16 * 60_000, false],
  ])('a request %i ms away from the service clock is accepted: %s', (offset, accepted) => {
    expect(withinClockSkew(signingDate, signingDate.getTime() + offset)).toBe(accepted);
  });

  test('parseAmzDate rejects anything but the basic ISO-8601 format', () => {
    expect(parseAmzDate('20240501T120000Z')?.toISOString()).toBe('2024-05-01T12:00:00.000Z');
    expect(parseAmzDate('2024-05-01T12:00:00Z')).toBeUndefined();
  });
});
