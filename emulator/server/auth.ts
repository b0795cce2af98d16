/**
 * Authentication of an incoming request: which credential signed it, is that credential still valid,
 * and does the signature hold. Failures become the error the service family really sends.
 *
 * Order of checks: malformed header, unknown key, session token, expired token, clock skew, credential
 * scope date, payload hash, signature. The token checks come before the time checks, so a request
 * whose credentials expired by the (moved) clock reports `ExpiredToken(Exception)` like AWS.
 */
import { authError, clockSkewError, ServiceError, ServiceFamily } from './errors';
import type { EmulatorRequest } from './server';
import { parseAuthorization, payloadHashMatches, signatureMatches, SigV4Authorization, withinClockSkew } from './sigv4';
import { Clock } from '../clock/clock';
import { CredentialRecord, CredentialStore } from '../iam/credentials';
import { Principal } from '../iam/identities';

/** A request that passed SigV4 verification. */
export interface SignedCaller {
  readonly kind: 'sigv4';
  readonly principal: Principal;
  readonly accessKeyId: string;
  readonly credential: CredentialRecord;
  readonly authorization: SigV4Authorization;
}

/** A request carrying `Authorization: Bearer ...` (a Bedrock API key). The service decides. */
export interface BearerCaller {
  readonly kind: 'bearer';
  readonly token: string;
}

/** The outcome of authentication. */
export type Caller = SignedCaller | BearerCaller;

/** Context for {@link authenticate}. */
export interface AuthenticationContext {
  readonly family: ServiceFamily;
  readonly credentials: CredentialStore;
  readonly clock: Clock;
  /** S3 signs the path as sent and accepts payload markers. */
  readonly s3Style?: boolean;
}

/**
 * Authenticates `request`.
 * @throws ServiceError with the family's code for the failure
 */
export async function authenticate(request: EmulatorRequest, context: AuthenticationContext): Promise<Caller> {
  const { family, credentials, clock } = context;
  const parsed = parseAuthorization(request);
  switch (parsed.kind) {
    case 'anonymous':
      throw authError(family, 'missingAuthentication');
    case 'malformed': {
      const incomplete = authError(family, 'incompleteSignature');
      throw new ServiceError(incomplete.code, parsed.reason, incomplete.status);
    }
    case 'bearer':
      return { kind: 'bearer', token: parsed.token };
    case 'sigv4':
      break;
  }
  const authorization = parsed.authorization;
  const record = credentials.lookup(authorization.accessKeyId);
  if (!record) {
    throw authError(family, 'unknownAccessKey', family === 's3' ? { AWSAccessKeyId: authorization.accessKeyId } : {});
  }
  const token = request.headers['x-amz-security-token'];
  if ((record.sessionToken ?? undefined) !== token) {
    throw authError(family, 'invalidSessionToken');
  }
  if (credentials.isExpired(record)) {
    throw authError(family, 'expiredToken');
  }
  const now = clock.now();
  if (!withinClockSkew(authorization.requestTime, now)) {
    throw clockSkewError(family, authorization.requestTime, new Date(now));
  }
  if (authorization.scopeDate !== authorization.amzDate.slice(0, 8)) {
    const mismatch = authError(family, 'signatureMismatch');
    throw new ServiceError(mismatch.code,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${authorization.scopeDate}' != '${authorization.amzDate.slice(0, 8)}', from 'X-Amz-Date'.`,
      mismatch.status);
  }
  if (!payloadHashMatches(request, context.s3Style ?? false)) {
    throw authError(family, 'payloadHashMismatch');
  }
  if (!(await signatureMatches(request, authorization, record.secretAccessKey, { uriEscapePath: !context.s3Style }))) {
    throw authError(family, 'signatureMismatch');
  }
  return { kind: 'sigv4', principal: record.principal, accessKeyId: record.accessKeyId, credential: record, authorization };
}

/** A Bedrock API key the emulator accepts, and the IAM user it acts as. */
export interface BearerTokenGrant {
  readonly token: string;
  readonly principal: Principal;
}

/**
 * Bedrock API keys (`Authorization: Bearer ...`). None is accepted unless registered: in hub mode the
 * shim must never send one, and a test can prove that by looking for rejected bearer calls.
 */
export class BearerTokenRegistry {
  private readonly grants = new Map<string, BearerTokenGrant>();

  /** Accepts `token` for Bedrock requests, acting as `principal`. */
  public register(grant: BearerTokenGrant): void {
    this.grants.set(grant.token, grant);
  }

  /** The grant for a token, if registered. */
  public lookup(token: string): BearerTokenGrant | undefined {
    return this.grants.get(token);
  }
}
