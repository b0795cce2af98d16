/**
 * Amazon S3, path-style (`/<bucket>/<key>`), restXml: `CreateBucket`, `PutObject`, `GetObject`,
 * `DeleteObject`, authorized by the caller's policies on the bucket/object ARN. Like DynamoDB it is
 * here to show that non-Bedrock calls stay on local credentials.
 *
 * S3 signs the path as sent and accepts `UNSIGNED-PAYLOAD` and the streaming payload markers; an
 * `aws-chunked` body with an unsigned trailer is decoded, and `x-amz-checksum-crc32` is verified.
 */
import { createHash } from 'crypto';
import { notAuthorizedMessage, PolicyEngine } from '../iam/policy-engine';
import { crc32Base64 } from '../server/crc32';
import { ServiceError } from '../server/errors';
import type { EmulatorRequest, EmulatorResponse } from '../server/server';
import { decodeSegment, OperationRoute, ServiceHandler, ServiceRequestContext } from '../server/service';

/** A stored object. */
export interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: number;
  readonly checksumCrc32?: string;
}

/** A bucket. */
export interface Bucket {
  readonly bucketName: string;
  readonly accountId: string;
  readonly region: string;
  readonly objects: Map<string, StoredObject>;
}

/** Every bucket (names are global, as in S3). */
export class S3Buckets {
  private readonly buckets = new Map<string, Bucket>();

  /** Creates a bucket owned by `accountId` (or returns it if that account owns it already). */
  public createBucket(options: { bucketName: string; accountId: string; region: string }): Bucket {
    const existing = this.buckets.get(options.bucketName);
    if (existing) {
      if (existing.accountId !== options.accountId) {
        throw new Error(`createBucket: ${options.bucketName} is owned by ${existing.accountId}`);
      }
      return existing;
    }
    const bucket: Bucket = { ...options, objects: new Map() };
    this.buckets.set(options.bucketName, bucket);
    return bucket;
  }

  /** The bucket, if it exists. */
  public bucket(bucketName: string): Bucket | undefined {
    return this.buckets.get(bucketName);
  }
}

/** Decodes an `aws-chunked` body (`<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n\r\n`). */
export function decodeAwsChunked(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) {
      break;
    }
    const size = parseInt(body.toString('latin1', offset, lineEnd).split(';')[0], 16);
    if (!Number.isFinite(size)) {
      throw new ServiceError('IncompleteBody', 'The request body terminated unexpectedly', 400);
    }
    if (size === 0) {
      break;
    }
    out.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** The S3 service. */
export class S3Service implements ServiceHandler {
  public readonly name = 's3' as const;
  public readonly family = 's3' as const;
  public readonly protocol = 'restXml' as const;
  public readonly signingName = 's3';
  public readonly eventSource = 's3.amazonaws.com';
  public readonly s3Style = true;

  constructor(private readonly buckets: S3Buckets, private readonly policies: PolicyEngine) {}

  public route(request: EmulatorRequest): OperationRoute | undefined {
    const match = /^\/([^/]+)(?:\/(.*))?$/.exec(request.rawPath);
    if (!match) {
      return undefined;
    }
    const bucket = decodeSegment(match[1]);
    const key = match[2] === undefined || match[2] === '' ? undefined : match[2].split('/').map(decodeSegment).join('/');
    const operation = key === undefined
      ? ({ PUT: 'CreateBucket' } as Record<string, string>)[request.method]
      : ({ PUT: 'PutObject', GET: 'GetObject', DELETE: 'DeleteObject' } as Record<string, string>)[request.method];
    return operation ? { operation, params: { bucket, ...(key !== undefined ? { key } : {}) } } : undefined;
  }

  public isReadOnly(operation: string): boolean {
    return operation === 'GetObject';
  }

  public eventCategory(operation: string): 'Management' | 'Data' {
    return operation === 'CreateBucket' ? 'Management' : 'Data';
  }

  public async handle(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const { bucket: bucketName, key } = context.params;
    const principal = context.caller.principal;
    const bucket = this.buckets.bucket(bucketName);
    const resource = key === undefined ? `arn:aws:s3:::${bucketName}` : `arn:aws:s3:::${bucketName}/${key}`;
    const owner = context.operation === 'CreateBucket' ? principal.accountId : bucket?.accountId ?? principal.accountId;
    context.trail.requestParameters = { bucketName, ...(key !== undefined ? { key } : {}), Host: context.request.headers.host ?? '' };
    context.trail.additionalEventData = { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' };
    context.trail.resources = [
      ...(key !== undefined ? [{ type: 'AWS::S3::Object', ARN: resource }] : []),
      { accountId: owner, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucketName}` },
    ];
    const action = `s3:${context.operation}`;
    const decision = await this.policies.authorize({ principal, action, resource, resourceAccount: owner, region: context.region });
    if (!decision.allowed) {
      throw new ServiceError('AccessDenied', notAuthorizedMessage(principal.arn, action, resource, decision.reason, true), 403);
    }
    const headers = { 'x-amz-request-id': context.requestId };
    if (context.operation === 'CreateBucket') {
      if (bucket) {
        throw bucket.accountId === principal.accountId
          ? new ServiceError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucketName })
          : new ServiceError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { BucketName: bucketName });
      }
      this.buckets.createBucket({ bucketName, accountId: principal.accountId, region: context.region });
      return { status: 200, headers: { ...headers, location: `/${bucketName}` } };
    }
    if (!bucket) {
      throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucketName });
    }
    switch (context.operation) {
      case 'PutObject': {
        const request = context.request;
        const chunked = (request.headers['content-encoding'] ?? '').includes('aws-chunked') || (request.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
        const body = chunked ? decodeAwsChunked(request.body) : request.body;
        const declared = request.headers['x-amz-checksum-crc32'];
        if (declared !== undefined && declared !== crc32Base64(body)) {
          throw new ServiceError('BadDigest', 'The CRC32 you specified did not match the calculated checksum.', 400);
        }
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        bucket.objects.set(key, {
          body,
          contentType: request.headers['content-type'] ?? 'binary/octet-stream',
          etag,
          lastModified: context.now,
          checksumCrc32: declared,
        });
        return { status: 200, headers: { ...headers, etag, ...(declared ? { 'x-amz-checksum-crc32': declared } : {}) } };
      }
      case 'GetObject': {
        const object = bucket.objects.get(key);
        if (!object) {
          throw new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
        }
        const withChecksum = context.request.headers['x-amz-checksum-mode'] === 'ENABLED' && object.checksumCrc32;
        return {
          status: 200,
          headers: {
            ...headers,
            'content-type': object.contentType,
            'etag': object.etag,
            'last-modified': new Date(object.lastModified).toUTCString(),
            ...(withChecksum ? { 'x-amz-checksum-crc32': object.checksumCrc32!, 'x-amz-checksum-type': 'FULL_OBJECT' } : {}),
          },
          body: object.body,
        };
      }
      case 'DeleteObject':
        bucket.objects.delete(key);
        return { status: 204, headers };
      default:
        throw new ServiceError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501);
    }
  }
}
