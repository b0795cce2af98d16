/**
 * Service errors in the shapes real AWS services send them.
 *
 * Each service family answers the same failure (unknown key, bad signature, expired token, throttling)
 * with its own code, HTTP status and wire protocol. The tables here are the single place that knows
 * those differences; handlers throw a {@link ServiceError} and the protocol serializer does the rest.
 */
import { amzDate } from '../clock/clock';

/** The wire protocols the emulator speaks. */
export type Protocol = 'awsQuery' | 'awsJson1_0' | 'restJson1' | 'restXml';

/**
 * Which service family answers: error codes for the same failure differ between them.
 * `bedrock` covers bedrock-runtime, the control plane and bedrock-agent-runtime.
 */
export type ServiceFamily = 'sts' | 'dynamodb' | 'bedrock' | 's3';

/** An error that a service sends back to the client. */
export class ServiceError extends Error {
  /**
   * @param code the error code (`AccessDenied`, `ValidationException`, ...)
   * @param message the error message, exactly as the client should see it
   * @param status the HTTP status
   * @param extra protocol-specific extra fields (S3: `Key`, `BucketName`, ...)
   */
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: number,
    public readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** Whether the client is at fault (awsQuery's `<Type>Sender</Type>`). */
  public get senderFault(): boolean {
    return this.status < 500;
  }
}

/** Why a request failed authentication. */
export type AuthFailure =
  | 'missingAuthentication'
  | 'incompleteSignature'
  | 'unknownAccessKey'
  | 'invalidSessionToken'
  | 'signatureMismatch'
  | 'payloadHashMismatch'
  | 'expiredToken'
  | 'bearerTokenRejected';

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';
const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

type AuthErrorTable = Record<AuthFailure, [code: string, status: number, message: string]>;

const AUTH_ERRORS: Record<ServiceFamily, AuthErrorTable> = {
  sts: {
    missingAuthentication: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
    incompleteSignature: ['IncompleteSignature', 400, 'Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters.'],
    unknownAccessKey: ['InvalidClientTokenId', 403, INVALID_TOKEN],
    invalidSessionToken: ['InvalidClientTokenId', 403, INVALID_TOKEN],
    signatureMismatch: ['SignatureDoesNotMatch', 403, SIGNATURE_MISMATCH],
    payloadHashMismatch: ['SignatureDoesNotMatch', 403, SIGNATURE_MISMATCH],
    expiredToken: ['ExpiredToken', 403, EXPIRED_TOKEN],
    bearerTokenRejected: ['InvalidClientTokenId', 403, INVALID_TOKEN],
  },
  dynamodb: {
    missingAuthentication: ['MissingAuthenticationTokenException', 400, 'Request is missing Authentication Token'],
    incompleteSignature: ['IncompleteSignatureException', 400, 'Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters.'],
    unknownAccessKey: ['UnrecognizedClientException', 400, INVALID_TOKEN],
    invalidSessionToken: ['UnrecognizedClientException', 400, INVALID_TOKEN],
    signatureMismatch: ['InvalidSignatureException', 400, SIGNATURE_MISMATCH],
    payloadHashMismatch: ['InvalidSignatureException', 400, SIGNATURE_MISMATCH],
    expiredToken: ['ExpiredTokenException', 400, EXPIRED_TOKEN],
    bearerTokenRejected: ['UnrecognizedClientException', 400, INVALID_TOKEN],
  },
  bedrock: {
    missingAuthentication: ['MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
    incompleteSignature: ['IncompleteSignatureException', 403, 'Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters.'],
    unknownAccessKey: ['UnrecognizedClientException', 403, INVALID_TOKEN],
    invalidSessionToken: ['UnrecognizedClientException', 403, INVALID_TOKEN],
    signatureMismatch: ['InvalidSignatureException', 403, SIGNATURE_MISMATCH],
    payloadHashMismatch: ['InvalidSignatureException', 403, SIGNATURE_MISMATCH],
    expiredToken: ['ExpiredTokenException', 403, EXPIRED_TOKEN],
    bearerTokenRejected: ['AccessDeniedException', 403, 'Authentication failed: Please make sure your API Key is valid.'],
  },
  s3: {
    missingAuthentication: ['AccessDenied', 403, 'Access Denied'],
    incompleteSignature: ['AuthorizationHeaderMalformed', 400, 'The authorization header is malformed.'],
    unknownAccessKey: ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
    invalidSessionToken: ['InvalidToken', 400, 'The provided token is malformed or otherwise invalid.'],
    signatureMismatch: ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
    payloadHashMismatch: ['XAmzContentSHA256Mismatch', 400, 'The provided \'x-amz-content-sha256\' header does not match what was computed.'],
    expiredToken: ['ExpiredToken', 400, 'The provided token has expired.'],
    bearerTokenRejected: ['InvalidArgument', 400, 'Unsupported Authorization Type'],
  },
};

/** The error `family` answers an authentication failure with. */
export function authError(family: ServiceFamily, failure: AuthFailure, extra: Record<string, string> = {}): ServiceError {
  const [code, status, message] = AUTH_ERRORS[family][failure];
  return new ServiceError(code, message, status, extra);
}

/**
 * The error for a request whose `x-amz-date` is more than 15 minutes away from the service's clock.
 * STS and the JSON services say "Signature expired" / "Signature not yet current"; S3 says
 * `RequestTimeTooSkewed`.
 */
export function clockSkewError(family: ServiceFamily, requestTime: Date, serverTime: Date): ServiceError {
  const maxSkewMs = 15 * 60_000;
  if (family === 's3') {
    return new ServiceError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
      RequestTime: amzDate(requestTime),
      ServerTime: serverTime.toISOString(),
      MaxAllowedSkewMilliseconds: String(maxSkewMs),
    });
  }
  const [code, status] = AUTH_ERRORS[family].signatureMismatch;
  const message = requestTime.getTime() < serverTime.getTime()
    ? `Signature expired: ${amzDate(requestTime)} is now earlier than ${amzDate(serverTime.getTime() - maxSkewMs)} (${amzDate(serverTime)} - 15 min.)`
    : `Signature not yet current: ${amzDate(requestTime)} is still later than ${amzDate(serverTime.getTime() + maxSkewMs)} (${amzDate(serverTime)} + 15 min.)`;
  return new ServiceError(code, message, status);
}

/** The error a throttled request gets. */
export function throttlingError(family: ServiceFamily): ServiceError {
  switch (family) {
    case 'sts': return new ServiceError('Throttling', 'Rate exceeded', 400);
    case 'dynamodb': return new ServiceError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', 400);
    case 'bedrock': return new ServiceError('ThrottlingException', 'Too many requests, please wait before trying again.', 429);
    case 's3': return new ServiceError('SlowDown', 'Please reduce your request rate.', 503);
  }
}

/** The error for an internal failure (500) or an unavailable service (503). */
export function serverError(family: ServiceFamily, status: 500 | 503): ServiceError {
  const unavailable = status === 503;
  switch (family) {
    case 'sts': return unavailable
      ? new ServiceError('ServiceUnavailable', 'Service is unable to handle request.', 503)
      : new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    case 'dynamodb': return unavailable
      ? new ServiceError('ServiceUnavailable', 'The service is currently unavailable or busy.', 503)
      : new ServiceError('InternalServerError', 'Internal server error', 500);
    case 'bedrock': return unavailable
      ? new ServiceError('ServiceUnavailableException', 'Bedrock is unable to process your request.', 503)
      : new ServiceError('InternalServerException', 'The server encountered an internal error while processing the request.', 500);
    case 's3': return unavailable
      ? new ServiceError('ServiceUnavailable', 'Please reduce your request rate.', 503)
      : new ServiceError('InternalError', 'We encountered an internal error. Please try again.', 500);
  }
}

/** A field-level validation failure, in the Coral message style. */
export interface ValidationFailure {
  /** The member name, e.g. `roleSessionName`. */
  readonly member: string;
  /** The offending value; `undefined` for a missing value. */
  readonly value?: string;
  /** Leave the value out of the message (secrets, such as an external ID). */
  readonly sensitive?: boolean;
  /** The constraint, e.g. `Member must have length less than or equal to 64`. */
  readonly constraint: string;
}

/**
 * `1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: ...`.
 * A sensitive member's value is never repeated: `Value at 'externalId' failed to satisfy constraint`.
 */
export function validationMessage(failures: readonly ValidationFailure[]): string {
  const parts = failures.map((f) => {
    const value = f.sensitive ? 'Value' : f.value === undefined ? 'Value null' : `Value '${f.value}'`;
    return `${value} at '${f.member}' failed to satisfy constraint: ${f.constraint}`;
  });
  return `${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

/** Escapes text for an XML element or attribute. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The JSON-1.0 `__type` namespace prefix per service family. */
const JSON_NAMESPACES: Partial<Record<ServiceFamily, string>> = { dynamodb: 'com.amazonaws.dynamodb.v20120810' };
const CORAL_AUTH_CODES = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException',
  'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'AccessDeniedException']);

/** The serialized form of an error: status, headers and body. */
export interface SerializedError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Serializes `error` the way a service speaking `protocol` sends it. */
export function serializeError(protocol: Protocol, family: ServiceFamily, error: ServiceError, requestId: string): SerializedError {
  switch (protocol) {
    case 'awsQuery':
      return {
        status: error.status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type>\n`
          + `    <Code>${xmlEscape(error.code)}</Code>\n    <Message>${xmlEscape(error.message)}</Message>\n  </Error>\n`
          + `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
      };
    case 'awsJson1_0': {
      const namespace = CORAL_AUTH_CODES.has(error.code) ? 'com.amazon.coral.service' : JSON_NAMESPACES[family] ?? 'com.amazonaws';
      return {
        status: error.status,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: `${namespace}#${error.code}`, message: error.message, ...error.extra }),
      };
    }
    case 'restJson1':
      return {
        status: error.status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        },
        body: JSON.stringify({ message: error.message, ...error.extra }),
      };
    case 'restXml': {
      const extra = Object.entries(error.extra).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
      return {
        status: error.status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message>`
          + `${extra}<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`,
      };
    }
  }
}
