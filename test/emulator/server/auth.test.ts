import { BedrockClient, GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator, followClock, IssuedCredentials, ManualClock } from '../../../emulator';
import { allow, clientConfig, errorOf, HUB, REGION, startEmulator, stopChecked, tamperAfterSigning } from '../fixtures';

let emulator: AwsEmulator;
let clock: ManualClock;
let credentials: IssuedCredentials;

beforeAll(async () => {
  ({ emulator, clock } = await startEmulator());
  emulator.putRole({
    accountId: HUB,
    roleName: 'Caller',
    trustPolicy: allow('sts:AssumeRole', '*'),
    policies: [{ name: 'all', document: allow(['bedrock:*', 'dynamodb:*', 's3:*'], '*') }],
  });
  emulator.dynamodb.createTable({ accountId: HUB, region: REGION, tableName: 'Items', keySchema: [{ attributeName: 'pk', keyType: 'HASH' }] });
  emulator.s3.createBucket({ bucketName: 'hub-bucket', accountId: HUB, region: REGION });
});

afterAll(() => stopChecked(emulator));

beforeEach(() => {
  credentials = emulator.roleSessionCredentials(`arn:aws:iam::${HUB}:role/Caller`, 'caller');
});

/** One call per service family; `tamperable` names a signed header to change after signing. */
interface ServiceCase {
  readonly name: string;
  readonly call: (creds: IssuedCredentials, options?: { tamper?: boolean; systemClockOffset?: number; dropToken?: boolean }) => Promise<unknown>;
  readonly errors: Record<'badSecret' | 'unknownKey' | 'tampered' | 'expired' | 'skewed' | 'noToken', string>;
}

function configure<T extends { middlewareStack: any }>(client: T, options: { tamper?: boolean; dropToken?: boolean } = {}): T {
  if (options.tamper || options.dropToken) {
    tamperAfterSigning(client, (request) => {
      if (options.tamper) {
        request.headers['amz-sdk-invocation-id'] = '00000000-0000-0000-0000-000000000000';
      }
      if (options.dropToken) {
        delete request.headers['x-amz-security-token'];
      }
    });
  }
  return client;
}

/** The error codes of the JSON and REST-JSON services (DynamoDB, Bedrock) for each authentication failure. */
const JSON_PROTOCOL_AUTH_ERRORS: ServiceCase['errors'] = {
  badSecret: 'InvalidSignatureException',
  unknownKey: 'UnrecognizedClientException',
  tampered: 'InvalidSignatureException',
  expired: 'ExpiredTokenException',
  skewed: 'InvalidSignatureException',
  noToken: 'UnrecognizedClientException',
};

const SERVICES: ServiceCase[] = [
  {
    name: 'STS (query, HTTP/1.1)',
    call: (creds, o = {}) => configure(new STSClient({ ...clientConfig(emulator, creds), systemClockOffset: o.systemClockOffset }), o)
      .send(new GetCallerIdentityCommand({})),
    errors: {
      badSecret: 'SignatureDoesNotMatch',
      unknownKey: 'InvalidClientTokenId',
      tampered: 'SignatureDoesNotMatch',
      expired: 'ExpiredToken',
      skewed: 'SignatureDoesNotMatch',
      noToken: 'InvalidClientTokenId',
    },
  },
  {
    name: 'DynamoDB (JSON 1.0, HTTP/1.1)',
    call: (creds, o = {}) => configure(new DynamoDBClient({ ...clientConfig(emulator, creds), systemClockOffset: o.systemClockOffset }), o)
      .send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } } })),
    errors: JSON_PROTOCOL_AUTH_ERRORS,
  },
  {
    name: 'Bedrock control plane (restJson, HTTP/1.1)',
    call: (creds, o = {}) => configure(new BedrockClient({ ...clientConfig(emulator, creds), systemClockOffset: o.systemClockOffset }), o)
      .send(new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-lite-v1:0' })),
    errors: JSON_PROTOCOL_AUTH_ERRORS,
  },
  {
    name: 'Bedrock runtime (restJson, h2c)',
    call: (creds, o = {}) => configure(new BedrockRuntimeClient({ ...clientConfig(emulator, creds), systemClockOffset: o.systemClockOffset }), o)
      .send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hello' }] }] })),
    errors: JSON_PROTOCOL_AUTH_ERRORS,
  },
  {
    name: 'S3 (restXml, path-style)',
    call: (creds, o = {}) => configure(new S3Client({ ...clientConfig(emulator, creds), systemClockOffset: o.systemClockOffset }), o)
      .send(new GetObjectCommand({ Bucket: 'hub-bucket', Key: 'missing.txt' })),
    errors: {
      badSecret: 'SignatureDoesNotMatch',
      unknownKey: 'InvalidAccessKeyId',
      tampered: 'SignatureDoesNotMatch',
      expired: 'ExpiredToken',
      skewed: 'RequestTimeTooSkewed',
      noToken: 'InvalidToken',
    },
  },
];

describe.each(SERVICES)('$name', (service) => {
  test('a correctly signed request is accepted', async () => {
    const outcome = await service.call(credentials).catch((error: Error) => error);
    // S3's case asks for a missing key: getting NoSuchKey proves authentication passed.
    expect(outcome instanceof Error ? outcome.name : 'ok').toMatch(/^(ok|NoSuchKey)$/);
  });

  test('a wrong secret is rejected as a signature mismatch', async () => {
    const error = await errorOf(service.call({ ...credentials, secretAccessKey: 'not-the-issued-secret' }));
    expect(error.name).toBe(service.errors.badSecret);
  });

  test('an access key the emulator never issued is rejected', async () => {
    const error = await errorOf(service.call({ ...credentials, accessKeyId: 'ASIANOTISSUED0000000' }));
    expect(error.name).toBe(service.errors.unknownKey);
  });

  test('a signed header changed after signing is rejected', async () => {
    const error = await errorOf(service.call(credentials, { tamper: true }));
    expect(error.name).toBe(service.errors.tampered);
  });

  test('a temporary key without its session token is rejected', async () => {
    const error = await errorOf(service.call(credentials, { dropToken: true }));
    expect(error.name).toBe(service.errors.noToken);
  });

  test('credentials expire by the moved clock', async () => {
    // GIVEN a one-hour session
    const session = emulator.roleSessionCredentials(`arn:aws:iam::${HUB}:role/Caller`, 'short', { durationSeconds: 3600 });

    // WHEN the clock passes its expiry
    clock.advance(3600_000);
    try {
      // THEN
      const error = await errorOf(service.call(session));
      expect(error.name).toBe(service.errors.expired);
      expect(error.message).toMatch(/expired/);
    } finally {
      clock.advance(-3600_000);
    }
  });

  test('a request signed more than 15 minutes off the service clock is rejected', async () => {
    const error = await errorOf(service.call(credentials, { systemClockOffset: -20 * 60_000 }));
    expect(error.name).toBe(service.errors.skewed);
    expect(error.message).toMatch(service.errors.skewed === 'RequestTimeTooSkewed' ? /difference between the request time/ : /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });
});

describe('clock skew correction', () => {
  test('a real client with retries corrects its clock from the Date header, as against AWS', async () => {
    // GIVEN the emulator's clock two hours ahead of the process clock
    clock.advance(2 * 3600_000);
    try {
      const fresh = emulator.roleSessionCredentials(`arn:aws:iam::${HUB}:role/Caller`, 'skewed', { durationSeconds: 4 * 3600 });
      const sts = new STSClient({ ...emulator.clientConfig(fresh), maxAttempts: 2 });

      // WHEN
      const identity = await sts.send(new GetCallerIdentityCommand({}));

      // THEN the first attempt was rejected for skew and the second, corrected, accepted
      expect(identity.Arn).toBe(`arn:aws:sts::${HUB}:assumed-role/Caller/skewed`);
      expect(identity.$metadata.attempts).toBe(2);
    } finally {
      clock.advance(-2 * 3600_000);
    }
  });
});

test('an in-process client following the emulator\'s clock signs with its time, so moving the clock needs no correction', async () => {
  clock.advance(5 * 3600_000);
  const restore = followClock(clock);
  try {
    const fresh = emulator.roleSessionCredentials(`arn:aws:iam::${HUB}:role/Caller`, 'follower');
    const identity = await new STSClient(clientConfig(emulator, fresh)).send(new GetCallerIdentityCommand({}));
    expect(identity.$metadata.attempts).toBe(1);
  } finally {
    restore();
    clock.advance(-5 * 3600_000);
  }
});

describe('Bedrock API keys (bearer tokens)', () => {
  const bearerClient = (token: string): BedrockRuntimeClient => new BedrockRuntimeClient({
    endpoint: emulator.endpoint,
    region: REGION,
    token: { token },
    authSchemePreference: ['httpBearerAuth'],
    maxAttempts: 1,
  });
  const converse = new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] });

  test('are rejected unless configured, and recorded as bearer calls', async () => {
    // WHEN
    const error = await errorOf(bearerClient('ABSK-unregistered').send(converse));

    // THEN
    expect(error.name).toBe('AccessDeniedException');
    const event = emulator.cloudTrail.events.at(-1)!;
    expect(event).toMatchObject({ eventName: 'Converse', errorCode: 'AccessDeniedException', additionalEventData: { callWithBearerToken: true } });
  });

  test('are accepted when registered, acting as the key\'s user', async () => {
    // GIVEN
    const user = emulator.identities.userPrincipal(emulator.identities.putUser(HUB, 'BedrockAPIKey-demo', [{ name: 'bedrock', document: allow('bedrock:InvokeModel', '*') }]));
    emulator.bearerTokens.register({ token: 'ABSK-registered', principal: user });

    // WHEN
    const output = await bearerClient('ABSK-registered').send(converse);

    // THEN
    expect(output.output?.message?.content?.[0].text).toContain('hi');
    expect(emulator.cloudTrail.events.at(-1)).toMatchObject({
      userIdentity: { type: 'IAMUser', userName: 'BedrockAPIKey-demo' },
      additionalEventData: { callWithBearerToken: true },
    });
  });

  test('are never accepted by other services', async () => {
    const dynamodb = new DynamoDBClient({ endpoint: emulator.endpoint, region: REGION, maxAttempts: 1, credentials });
    tamperAfterSigning(dynamodb, (request) => {
      request.headers.authorization = 'Bearer ABSK-registered';
    });
    const error = await errorOf(dynamodb.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'a' } } })));
    expect(error.name).toBe('UnrecognizedClientException');
  });
});

test('an unsigned request is refused with the service\'s missing-token error', async () => {
  const response = await fetch(`${emulator.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  expect(response.status).toBe(403);
  expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
});
