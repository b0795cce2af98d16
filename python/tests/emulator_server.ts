/**
 * Starts the project's AWS emulator for the Python shim's tests, with a workload account, a hub
 * role and a target role, on a standing clock the tests move.
 *
 * Prints one JSON line (`endpoint`, the clock's `now`, the role ARNs, the ExternalId and the
 * workload's credentials), then answers one JSON command per stdin line with one JSON line:
 * `{"op":"advance","ms":…}`, `{"op":"expire","accessKeyId":…}`, `{"op":"trail","eventName":…}`,
 * `{"op":"workload"}` (fresh workload credentials), `{"op":"fault","rule":{…}}`, `{"op":"clearFaults"}` (answers each rule's hits), `{"op":"modelAccess","rule":{…}}`, `{"op":"refuse"}`, `{"op":"accept"}`,
 * `{"op":"problems"}`. Stops when stdin closes.
 *
 * Run: `ts-node --transpile-only --project python/tsconfig.json python/tests/emulator_server.ts`.
 */
import { createInterface } from 'readline';
import { ActiveFault, AwsEmulator, FaultRule, ManualClock, PolicyDocument } from '../../emulator';

export const WORKLOAD = '111111111111';
export const HUB = '222222222222';
export const TARGET = '333333333333';
export const EXTERNAL_ID = 'python-hub-external-id-4711';
const HUB_ROLE_ARN = `arn:aws:iam::${HUB}:role/BedrockHubRole`;
const TARGET_ROLE_ARN = `arn:aws:iam::${TARGET}:role/AgentsRole`;
const WORKLOAD_ROLE_ARN = `arn:aws:iam::${WORKLOAD}:role/python-function-role`;

function allow(actions: string[], resources: string[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
}

const BEDROCK_CALLS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

async function main(): Promise<void> {
  const clock = new ManualClock();
  const emulator = await AwsEmulator.start({ clock });
  emulator.putRole({
    accountId: WORKLOAD,
    roleName: 'python-function-role',
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: [{ name: 'hub', document: allow(['sts:AssumeRole'], [HUB_ROLE_ARN, TARGET_ROLE_ARN]) }],
  });
  emulator.putRole({
    accountId: HUB,
    roleName: 'BedrockHubRole',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
      }],
    },
    policies: [{ name: 'bedrock', document: allow(BEDROCK_CALLS, ['arn:aws:bedrock:*::foundation-model/*']) }],
  });
  emulator.putRole({
    accountId: TARGET,
    roleName: 'AgentsRole',
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` }, Action: 'sts:AssumeRole' }] },
    policies: [{ name: 'bedrock', document: allow(BEDROCK_CALLS, ['arn:aws:bedrock:*::foundation-model/*']) }],
  });
  // What Lambda gives the function: a session of its execution role, good for 12 hours.
  const workload = emulator.roleSessionCredentials(WORKLOAD_ROLE_ARN, 'python-function', { durationSeconds: 43200, issuedBy: 'lambda.amazonaws.com' });

  const write = (value: unknown): void => {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  };
  write({
    endpoint: emulator.endpoint,
    now: clock.now(),
    hubRoleArn: HUB_ROLE_ARN,
    targetRoleArn: TARGET_ROLE_ARN,
    externalId: EXTERNAL_ID,
    workload: { accessKeyId: workload.accessKeyId, secretAccessKey: workload.secretAccessKey, sessionToken: workload.sessionToken },
  });

  const faults: ActiveFault[] = [];
  const commands: Record<string, (command: Record<string, any>) => unknown | Promise<unknown>> = {
    advance: ({ ms }) => {
      clock.advance(ms);
      return { now: clock.now() };
    },
    expire: ({ accessKeyId }) => emulator.expireCredentials(accessKeyId),
    workload: () => {
      const fresh = emulator.roleSessionCredentials(WORKLOAD_ROLE_ARN, 'python-function', { durationSeconds: 43200, issuedBy: 'lambda.amazonaws.com' });
      return { accessKeyId: fresh.accessKeyId, secretAccessKey: fresh.secretAccessKey, sessionToken: fresh.sessionToken };
    },
    trail: ({ eventName }) => emulator.cloudTrail.find(eventName ? { eventName } : {}).map((e) => ({
      eventName: e.eventName,
      eventSource: e.eventSource,
      awsRegion: e.awsRegion,
      recipientAccountId: e.recipientAccountId,
      accessKeyId: e.userIdentity.accessKeyId,
      principalArn: e.userIdentity.arn,
      errorCode: e.errorCode,
      roleArn: (e.requestParameters as Record<string, unknown> | undefined)?.roleArn,
      roleSessionName: (e.requestParameters as Record<string, unknown> | undefined)?.roleSessionName,
    })),
    fault: ({ rule }) => {
      faults.push(emulator.faults.inject(rule as FaultRule));
    },
    clearFaults: () => faults.splice(0).map((f) => {
      f.remove();
      return f.hits;
    }),
    refuse: () => emulator.refuseConnections(),
    accept: () => emulator.acceptConnections(),
    modelSubscription: ({ rule }) => emulator.bedrock.setModelSubscription(rule),
    problems: () => emulator.problems,
  };

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const command = JSON.parse(line) as Record<string, any>;
    try {
      const handler = commands[command.op];
      if (!handler) throw new Error(`unknown command ${command.op}`);
      write({ ok: true, result: (await handler(command)) ?? null });
    } catch (error) {
      write({ ok: false, error: String(error) });
    }
  }
  await emulator.stop();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
