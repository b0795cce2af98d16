import { createHash } from 'crypto';
import { Readable } from 'stream';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsEmulator, IssuedCredentials } from '../../../emulator';
import { decodeAwsChunked } from '../../../emulator/services/s3';
import { allow, clientConfig, errorOf, HUB, REGION, startEmulator, stopChecked, WORKLOAD } from '../fixtures';

let emulator: AwsEmulator;
let credentials: IssuedCredentials;
let s3: S3Client;

beforeEach(async () => {
  ({ emulator } = await startEmulator());
  emulator.putRole({ accountId: WORKLOAD, roleName: 'Fn', trustPolicy: allow('sts:AssumeRole', '*'), policies: [{ name: 's3', document: allow('s3:*', '*') }] });
  emulator.s3.createBucket({ bucketName: 'workload-documents', accountId: WORKLOAD, region: REGION });
  credentials = emulator.roleSessionCredentials(`arn:aws:iam::${WORKLOAD}:role/Fn`, 'fn');
  s3 = new S3Client(clientConfig(emulator, credentials));
});

afterEach(() => stopChecked(emulator));

test('objects round-trip (path-style), with the CRC32 checksum verified on both sides', async () => {
  // WHEN
  const put = await s3.send(new PutObjectCommand({ Bucket: 'workload-documents', Key: 'in/report one.txt', Body: 'hello hub', ContentType: 'text/plain' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'workload-documents', Key: 'in/report one.txt', ChecksumMode: 'ENABLED' }));

  // THEN
  expect(put.ETag).toBe(`"${createHash('md5').update('hello hub').digest('hex')}"`);
  expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
  expect(got.ContentType).toBe('text/plain');
  await expect(got.Body!.transformToString()).resolves.toBe('hello hub');
  expect(emulator.cloudTrail.find({ eventSource: 's3.amazonaws.com' }).map((e) => [e.eventName, e.eventCategory, e.userIdentity.arn])).toEqual([
    ['PutObject', 'Data', `arn:aws:sts::${WORKLOAD}:assumed-role/Fn/fn`],
    ['GetObject', 'Data', `arn:aws:sts::${WORKLOAD}:assumed-role/Fn/fn`],
  ]);
});

test('a streamed body (aws-chunked with a checksum trailer) is decoded', async () => {
  await s3.send(new PutObjectCommand({ Bucket: 'workload-documents', Key: 'streamed.txt', Body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]), ContentLength: 18 }));
  const got = await s3.send(new GetObjectCommand({ Bucket: 'workload-documents', Key: 'streamed.txt' }));
  await expect(got.Body!.transformToString()).resolves.toBe('part one, part two');
});

test('decodeAwsChunked reads chunks and ignores the trailer', () => {
  const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n');
  expect(decodeAwsChunked(body).toString()).toBe('hello world');
});

test.each<[string, () => Promise<unknown>, string, number]>([
  ['a missing key', () => s3.send(new GetObjectCommand({ Bucket: 'workload-documents', Key: 'nope' })), 'NoSuchKey', 404],
  ['a missing bucket', () => s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })), 'NoSuchBucket', 404],
  ['a bucket name that is taken', () => s3.send(new CreateBucketCommand({ Bucket: 'workload-documents' })), 'BucketAlreadyOwnedByYou', 409],
])('%s fails like S3', async (_, call, code, status) => {
  const error = await errorOf(call());
  expect(error).toMatchObject({ name: code, $metadata: { httpStatusCode: status } });
});

test('a bucket of another account is denied, its ARN quoted as S3 does', async () => {
  emulator.s3.createBucket({ bucketName: 'hub-bucket', accountId: HUB, region: REGION });
  const error = await errorOf(s3.send(new GetObjectCommand({ Bucket: 'hub-bucket', Key: 'x' })));
  expect(error.name).toBe('AccessDenied');
  expect(error.message).toBe(`User: arn:aws:sts::${WORKLOAD}:assumed-role/Fn/fn is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::hub-bucket/x" `
    + 'because no resource-based policy allows the s3:GetObject action');
});

test('objects can be deleted, and buckets created through the API', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'created-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'created-bucket', Key: 'k', Body: 'x' }));
  await s3.send(new DeleteObjectCommand({ Bucket: 'created-bucket', Key: 'k' }));
  await expect(s3.send(new GetObjectCommand({ Bucket: 'created-bucket', Key: 'k' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  expect(emulator.s3.bucket('created-bucket')?.accountId).toBe(WORKLOAD);
});
