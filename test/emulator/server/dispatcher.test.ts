import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator } from '../../../emulator';
import { allow, clientConfig, errorOf, HUB, startEmulator } from '../fixtures';

let emulator: AwsEmulator;

beforeEach(async () => {
  ({ emulator } = await startEmulator());
});

afterEach(() => emulator.stop());

test('a request for a service the emulator does not serve gets a plain 400 naming it', async () => {
  const response = await fetch(`${emulator.endpoint}/2015-03-31/functions/f/invocations`, { method: 'POST' });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ message: 'The emulator does not serve POST /2015-03-31/functions/f/invocations.' });
});

test('an operation STS does not implement is an InvalidAction', async () => {
  emulator.putRole({ accountId: HUB, roleName: 'R', trustPolicy: allow('sts:AssumeRole', '*') });
  const credentials = emulator.roleSessionCredentials(`arn:aws:iam::${HUB}:role/R`, 's');
  const sts = new STSClient(clientConfig(emulator, credentials));
  sts.middlewareStack.add((next) => async (args) => {
    const request = args.request as { body: string };
    request.body = request.body.replace('GetCallerIdentity', 'GetSessionToken');
    return next(args);
  }, { step: 'build', priority: 'high', name: 'switchAction' });
  await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidAction' });
});

test('a policy the engine cannot evaluate becomes an internal failure and an emulator problem', async () => {
  // GIVEN a role whose policy is not valid IAM
  emulator.putRole({
    accountId: HUB,
    roleName: 'Broken',
    trustPolicy: allow('sts:AssumeRole', '*'),
    policies: [{ name: 'broken', document: { Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 'bedrock:*', Resource: '*' }] } }],
  });
  const credentials = emulator.roleSessionCredentials(`arn:aws:iam::${HUB}:role/Broken`, 's');

  // WHEN
  const error = await errorOf(new BedrockRuntimeClient(clientConfig(emulator, credentials)).send(new ConverseCommand({
    modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'x' }] }],
  })));

  // THEN
  expect(error).toMatchObject({ name: 'InternalServerException', $metadata: { httpStatusCode: 500 } });
  expect(emulator.problems).toEqual([expect.objectContaining({ service: 'bedrock-runtime', operation: 'Converse', message: expect.stringMatching(/could not evaluate/) })]);
  emulator.problems.length = 0;
});
