import { authError, clockSkewError, serializeError, ServiceError, throttlingError, validationMessage } from '../../../emulator/server/errors';

const error = new ServiceError('AccessDenied', 'User: <x> & "y" is not authorized', 403);

test.each<[Parameters<typeof serializeError>[0], Parameters<typeof serializeError>[1], (body: string, headers: Record<string, string>) => void]>([
  ['awsQuery', 'sts', (body) => expect(body).toContain('<Error>\n    <Type>Sender</Type>\n    <Code>AccessDenied</Code>\n    <Message>User: &lt;x&gt; &amp; &quot;y&quot; is not authorized</Message>')],
  ['awsJson1_0', 'dynamodb', (body) => expect(JSON.parse(body)).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#AccessDenied', message: 'User: <x> & "y" is not authorized' })],
  ['restJson1', 'bedrock', (body, headers) => {
    expect(JSON.parse(body)).toEqual({ message: 'User: <x> & "y" is not authorized' });
    expect(headers['x-amzn-errortype']).toMatch(/^AccessDenied:/);
  }],
  ['restXml', 's3', (body, headers) => {
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>User: &lt;x&gt;/);
    expect(headers['x-amz-request-id']).toBe('req-1');
  }],
])('%s errors have the %s shape', (protocol, family, check) => {
  const serialized = serializeError(protocol, family, error, 'req-1');
  expect(serialized.status).toBe(403);
  check(serialized.body, serialized.headers);
});

test('authentication errors of JSON services use the coral namespace', () => {
  const body = JSON.parse(serializeError('awsJson1_0', 'dynamodb', authError('dynamodb', 'unknownAccessKey'), 'r').body);
  expect(body.__type).toBe('com.amazon.coral.service#UnrecognizedClientException');
});

test('clock skew messages name both times and the direction', () => {
  const server = new Date('2025-01-15T10:00:00Z');
  expect(clockSkewError('sts', new Date('2025-01-15T09:00:00Z'), server).message)
    .toBe('Signature expired: 20250115T090000Z is now earlier than 20250115T094500Z (20250115T100000Z - 15 min.)');
  expect(clockSkewError('bedrock', new Date('2025-01-15T11:00:00Z'), server).message)
    .toBe('Signature not yet current: 20250115T110000Z is still later than 20250115T101500Z (20250115T100000Z + 15 min.)');
  expect(clockSkewError('s3', new Date('2025-01-15T11:00:00Z'), server)).toMatchObject({ code: 'RequestTimeTooSkewed', extra: { MaxAllowedSkewMilliseconds: '900000' } });
});

test('throttling differs per family', () => {
  expect(['sts', 'dynamodb', 'bedrock', 's3'].map((f) => [throttlingError(f as 'sts').code, throttlingError(f as 'sts').status])).toEqual([
    ['Throttling', 400], ['ThrottlingException', 400], ['ThrottlingException', 429], ['SlowDown', 503],
  ]);
});

test('validation messages count the errors and never repeat a sensitive value', () => {
  expect(validationMessage([
    { member: 'roleSessionName', value: 'a b', constraint: 'C1' },
    { member: 'externalId', value: 'secret', sensitive: true, constraint: 'C2' },
    { member: 'roleArn', constraint: 'Member must not be null' },
  ])).toBe("3 validation errors detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: C1; "
    + "Value at 'externalId' failed to satisfy constraint: C2; Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
});
