import { readFileSync } from 'fs';
import { join } from 'path';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator, CloudTrail, IssuedCredentials, ManualClock, REDACTED } from '../../../emulator';
import { redact } from '../../../emulator/iam/cloudtrail';
import { clientConfig, errorOf, EXTERNAL_ID, HUB, HUB_ROLE_ARN, hubTemplate, stopChecked, temporaryDirectory, WORKLOAD, workloadTemplate } from '../fixtures';

let emulator: AwsEmulator;
let clock: ManualClock;
let trailFile: string;

beforeEach(async () => {
  clock = new ManualClock({ start: Date.UTC(2025, 0, 15, 9, 30, 0) });
  trailFile = join(temporaryDirectory('cloudtrail-test'), 'trail.jsonl');
  emulator = await AwsEmulator.start({ clock, cloudTrailFile: trailFile });
  emulator.loadTemplate({ template: hubTemplate(), accountId: HUB, stackName: 'Hub' });
  emulator.loadTemplate({ template: workloadTemplate(), accountId: WORKLOAD, stackName: 'Workload' });
});

afterEach(() => stopChecked(emulator));

/** An STS client that signs with the emulator's (2025) time, as a client inside the emulated world would. */
function sts(credentials: IssuedCredentials): STSClient {
  return new STSClient({ ...clientConfig(emulator, credentials), systemClockOffset: clock.now() - Date.now() });
}

test('a cross-account AssumeRole is delivered to both accounts, with the external ID redacted', async () => {
  // GIVEN
  const lambda = await emulator.lambdaCredentials('Handler');
  clock.advance(60_000);

  // WHEN
  const assumed = await sts(lambda).send(new AssumeRoleCommand({
    RoleArn: HUB_ROLE_ARN, RoleSessionName: lambda.functionName, ExternalId: EXTERNAL_ID, DurationSeconds: 900,
  }));

  // THEN
  const [workloadCopy, hubCopy] = emulator.cloudTrail.find({ eventName: 'AssumeRole' }).filter((e) => e.userIdentity.type !== 'AWSService');
  const roleName = lambda.roleArn.split('/').pop();
  expect(workloadCopy).toEqual({
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: expect.stringMatching(new RegExp(`^AROA[A-Z0-9]{17}:${lambda.functionName}$`)),
      arn: lambda.principalArn,
      accountId: WORKLOAD,
      accessKeyId: lambda.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: expect.stringMatching(/^AROA/), arn: lambda.roleArn, accountId: WORKLOAD, userName: roleName },
        attributes: { creationDate: '2025-01-15T09:30:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2025-01-15T09:31:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: expect.stringContaining('aws-sdk-js'),
    requestParameters: { roleArn: HUB_ROLE_ARN, roleSessionName: lambda.functionName, durationSeconds: 900, externalId: REDACTED },
    responseElements: {
      credentials: { accessKeyId: assumed.Credentials?.AccessKeyId, expiration: '2025-01-15T09:46:00Z' },
      assumedRoleUser: { assumedRoleId: assumed.AssumedRoleUser?.AssumedRoleId, arn: assumed.AssumedRoleUser?.Arn },
    },
    requestID: expect.any(String),
    eventID: expect.any(String),
    readOnly: false,
    resources: [{ ARN: HUB_ROLE_ARN, accountId: HUB, type: 'AWS::IAM::Role' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: WORKLOAD,
    sharedEventID: expect.any(String),
  });
  expect(hubCopy).toMatchObject({
    recipientAccountId: HUB,
    sharedEventID: workloadCopy.sharedEventID,
    requestID: workloadCopy.requestID,
    userIdentity: { type: 'AWSAccount', principalId: workloadCopy.userIdentity.principalId, accountId: WORKLOAD },
  });
  expect(hubCopy.eventID).not.toBe(workloadCopy.eventID);
});

test('secrets reach neither the log nor its file', async () => {
  // GIVEN a denied and an allowed AssumeRole, both carrying the external ID
  const lambda = await emulator.lambdaCredentials('Handler');
  const client = sts(lambda);
  await errorOf(client.send(new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: 'fn-session', ExternalId: `${EXTERNAL_ID}-wrong` })));
  const assumed = await client.send(new AssumeRoleCommand({ RoleArn: HUB_ROLE_ARN, RoleSessionName: 'fn-session', ExternalId: EXTERNAL_ID }));

  // THEN
  const lines = readFileSync(trailFile, 'utf8');
  expect(lines).toBe(emulator.cloudTrail.toJsonLines());
  const secrets = [EXTERNAL_ID, lambda.secretAccessKey, lambda.sessionToken, assumed.Credentials?.SecretAccessKey, assumed.Credentials?.SessionToken];
  for (const secret of secrets) {
    expect(lines).not.toContain(secret!);
  }
  const denied = emulator.cloudTrail.find({ errorCode: 'AccessDenied', recipientAccountId: WORKLOAD })[0];
  expect(denied.errorMessage).toMatch(/is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::\d{12}:role\/BedrockHubRole$/);
  expect(denied.responseElements).toBeNull();
  expect(lines.trim().split('\n').map((l) => JSON.parse(l).eventName)).toEqual(['AssumeRole', 'AssumeRole', 'AssumeRole', 'AssumeRole', 'AssumeRole']);
});

test('Lambda\'s own AssumeRole of the execution role is an AWSService event in the function\'s account', async () => {
  const lambda = await emulator.lambdaCredentials('Handler');
  expect(emulator.cloudTrail.events[0]).toMatchObject({
    eventName: 'AssumeRole',
    userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
    recipientAccountId: WORKLOAD,
    requestParameters: { roleArn: lambda.roleArn, roleSessionName: lambda.functionName },
  });
});

test('a request failing authentication is recorded with the key it claimed', async () => {
  const lambda = await emulator.lambdaCredentials('Handler');
  await errorOf(sts({ ...lambda, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})));
  expect(emulator.cloudTrail.events.at(-1)).toMatchObject({
    eventName: 'GetCallerIdentity',
    errorCode: 'SignatureDoesNotMatch',
    userIdentity: { type: 'Unknown', accessKeyId: lambda.accessKeyId },
    recipientAccountId: WORKLOAD,
  });
});

test('find filters by every given field', async () => {
  const lambda = await emulator.lambdaCredentials('Handler');
  await sts(lambda).send(new GetCallerIdentityCommand({}));
  expect(emulator.cloudTrail.find({ eventName: 'GetCallerIdentity', principalArn: lambda.principalArn, accessKeyId: lambda.accessKeyId })).toHaveLength(1);
  expect(emulator.cloudTrail.find({ eventName: 'GetCallerIdentity', recipientAccountId: HUB })).toHaveLength(0);
  emulator.cloudTrail.clear();
  expect(emulator.cloudTrail.events).toHaveLength(0);
});

test('redact hides external IDs and secrets at any depth, and only those', () => {
  expect(redact({ a: { ExternalId: 'x', list: [{ externalId: 'y', sessionToken: 't' }] }, roleArn: 'r', other: null })).toEqual({
    a: { ExternalId: REDACTED, list: [{ externalId: REDACTED, sessionToken: REDACTED }] }, roleArn: 'r', other: null,
  });
});

test('a trail without a file only keeps events in memory', () => {
  const trail = new CloudTrail();
  trail.record({
    userIdentity: { type: 'Unknown' },
    eventTime: 0,
    eventSource: 's',
    eventName: 'E',
    awsRegion: 'r',
    sourceIPAddress: 'i',
    requestParameters: null,
    responseElements: null,
    requestID: 'q',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: 'a',
    eventCategory: 'Management',
  });
  expect(trail.events[0]).toMatchObject({ eventTime: '1970-01-01T00:00:00Z', eventVersion: '1.09' });
});
