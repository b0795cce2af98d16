/**
 * What every emulated service implements, and what it receives for each request.
 *
 * The dispatcher (dispatcher.ts) routes, injects faults, authenticates, calls the service's
 * `handle`, turns thrown {@link ServiceError}s into the protocol's error shape and writes the
 * CloudTrail event from the details the handler filled in.
 */
import { Protocol, ServiceFamily } from './errors';
import type { FaultKind, ServiceName } from './faults';
import type { EmulatorRequest, EmulatorResponse } from './server';
import type { UserIdentity } from '../iam/cloudtrail';
import { CredentialRecord } from '../iam/credentials';
import { Principal } from '../iam/identities';

/** Which operation a request is, and the values taken from its path. */
export interface OperationRoute {
  readonly operation: string;
  /** Decoded path parameters, e.g. `{ modelId: 'anthropic.claude-...:0' }`. */
  readonly params: Readonly<Record<string, string>>;
}

/** The authenticated caller. */
export interface RequestCaller {
  readonly principal: Principal;
  /** The access key that signed the request (absent for a bearer token). */
  readonly accessKeyId?: string;
  readonly credential?: CredentialRecord;
  readonly authType: 'sigv4' | 'bearer';
}

/** What a handler tells CloudTrail about the request. */
export interface TrailDetails {
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  resources?: Array<{ ARN?: string; accountId?: string; type?: string }>;
  /** The account whose trail gets the event. @default the caller's account */
  recipientAccountId?: string;
  /** Further accounts that receive a copy (with a shared event ID), e.g. the role's account for a cross-account AssumeRole. */
  alsoDeliverTo?: Array<{ recipientAccountId: string; userIdentity: UserIdentity }>;
}

/** Everything a handler gets for one request. */
export interface ServiceRequestContext {
  readonly request: EmulatorRequest;
  readonly requestId: string;
  readonly operation: string;
  readonly params: Readonly<Record<string, string>>;
  /** The region from the credential scope (or the emulator's default region). */
  readonly region: string;
  readonly caller: RequestCaller;
  /** Epoch ms by the emulator's clock when the request arrived. */
  readonly now: number;
  /** Filled in by the handler for the CloudTrail event. */
  readonly trail: TrailDetails;
  /** A fault that alters the answer rather than replacing it (`assumed-role-account`, `credential-lifetime`). */
  readonly fault?: FaultKind;
}

/** One emulated service. */
export interface ServiceHandler {
  readonly name: ServiceName;
  readonly family: ServiceFamily;
  readonly protocol: Protocol;
  /** The SigV4 signing name (`sts`, `bedrock`, `dynamodb`, `s3`). */
  readonly signingName: string;
  /** CloudTrail's `eventSource`, e.g. `sts.amazonaws.com`. */
  readonly eventSource: string;
  /** S3 signs the path as sent and accepts payload markers. */
  readonly s3Style?: boolean;
  /** The operation this request is, or `undefined` if it is not a request for this service. */
  route(request: EmulatorRequest): OperationRoute | undefined;
  /** Serves the request; throws `ServiceError` for a modeled error. */
  handle(context: ServiceRequestContext): Promise<EmulatorResponse>;
  /** CloudTrail `readOnly`. */
  isReadOnly(operation: string): boolean;
  /** CloudTrail `eventCategory`. */
  eventCategory(operation: string): 'Management' | 'Data';
}

/** A JSON response (restJson / awsJson). */
export function jsonResponse(
  body: unknown,
  options: { status?: number; contentType?: string; requestId: string; headers?: Record<string, string> },
): EmulatorResponse {
  return {
    status: options.status ?? 200,
    headers: { 'content-type': options.contentType ?? 'application/json', 'x-amzn-requestid': options.requestId, ...(options.headers ?? {}) },
    body: JSON.stringify(body),
  };
}

/** Decodes a path segment. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Matches `path` against `pattern` (`/model/{modelId}/converse`), returning decoded parameters. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  if (patternParts.length !== pathParts.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const p = patternParts[i];
    if (p.startsWith('{') && p.endsWith('}')) {
      if (pathParts[i] === '') {
        return undefined;
      }
      params[p.slice(1, -1)] = decodeSegment(pathParts[i]);
    } else if (p !== pathParts[i]) {
      return undefined;
    }
  }
  return params;
}

/** Parses a JSON request body, or throws the given error. */
export function parseJsonBody<T = Record<string, unknown>>(body: Buffer, onError: () => Error): T {
  if (body.length === 0) {
    return {} as T;
  }
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw onError();
  }
}
