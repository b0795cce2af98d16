import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AwsEmulator, CfnTemplate } from '../../../emulator';
import { allow, clientConfig, errorOf, HUB_ROLE_ARN, policy, REGION, startEmulator, stopChecked, WORKLOAD, workloadTemplate } from '../fixtures';

let emulator: AwsEmulator;

afterEach(() => stopChecked(emulator));

/** The workload stack plus a table the function may read and write. */
const READ_WRITE = policy(['Allow', 'sts:AssumeRole', HUB_ROLE_ARN], ['Allow', ['dynamodb:GetItem', 'dynamodb:PutItem'], '*']);

async function workloadWithTable(rolePolicy = READ_WRITE) {
  ({ emulator } = await startEmulator());
  const base = workloadTemplate({ rolePolicy });
  const template: CfnTemplate = {
    Resources: {
      ...base.Resources,
      Documents: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'version', KeyType: 'RANGE' }] },
      },
    },
  };
  const stack = emulator.loadTemplate({ template, accountId: WORKLOAD, stackName: 'Workload' });
  const credentials = await emulator.lambdaCredentials('Handler');
  const [table] = stack.tables;
  return { tableName: table.tableName, tableArn: table.arn, credentials, client: new DynamoDBClient(clientConfig(emulator, credentials)) };
}

test('the function writes and reads its table with its own credentials, recorded as data events in its account', async () => {
  // GIVEN
  const { client, tableName, credentials } = await workloadWithTable();

  // WHEN
  await client.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: 'doc-1' }, version: { N: '1' }, title: { S: 'Hello' } } }));
  const read = await client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: 'doc-1' }, version: { N: '1' } } }));
  const missing = await client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: 'doc-2' }, version: { N: '1' } } }));

  // THEN
  expect(read.Item).toEqual({ id: { S: 'doc-1' }, version: { N: '1' }, title: { S: 'Hello' } });
  expect(missing.Item).toBeUndefined();
  expect(emulator.cloudTrail.find({ eventSource: 'dynamodb.amazonaws.com' }).map((e) => [e.eventName, e.eventCategory, e.recipientAccountId, e.userIdentity.arn])).toEqual([
    ['PutItem', 'Data', WORKLOAD, credentials.principalArn],
    ['GetItem', 'Data', WORKLOAD, credentials.principalArn],
    ['GetItem', 'Data', WORKLOAD, credentials.principalArn],
  ]);
});

test('without permission the function is denied, in DynamoDB\'s shape', async () => {
  const { client, tableName, tableArn, credentials } = await workloadWithTable(allow('dynamodb:GetItem', '*'));
  const error = await errorOf(client.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: 'a' }, version: { N: '1' } } })));
  expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
  expect(error.message).toBe(`User: ${credentials.principalArn} is not authorized to perform: dynamodb:PutItem on resource: ${tableArn} `
    + 'because no identity-based policy allows the dynamodb:PutItem action');
});

test.each<[string, Record<string, unknown>, string, string]>([
  ['a table that does not exist', { TableName: 'Nope', Key: { id: { S: 'a' } } }, 'ResourceNotFoundException', 'Requested resource not found'],
  ['a key without its range attribute', { Key: { id: { S: 'a' } } }, 'ValidationException', 'The provided key element does not match the schema'],
])('GetItem on %s fails like DynamoDB', async (_, input, code, message) => {
  const { client, tableName } = await workloadWithTable();
  const error = await errorOf(client.send(new GetItemCommand({ TableName: tableName, ...input } as never)));
  expect(error).toMatchObject({ name: code, message });
});

test('tables can also be created through the API', async () => {
  const { client } = await workloadWithTable(allow('dynamodb:*', '*'));
  await client.send(new CreateTableCommand({
    TableName: 'Created', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }));
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Created' }));
  expect(Table).toMatchObject({ TableName: 'Created', TableStatus: 'ACTIVE', TableArn: `arn:aws:dynamodb:${REGION}:${WORKLOAD}:table/Created` });
});
