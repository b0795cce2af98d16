/**
 * Amazon DynamoDB over JSON 1.0 (`X-Amz-Target: DynamoDB_20120810.<Operation>`): `CreateTable`,
 * `DescribeTable`, `PutItem`, `GetItem`, `DeleteItem`, authorized by the caller's policies on the
 * table ARN. It is here so end-to-end tests can show that non-Bedrock calls stay on the function's
 * own (workload-account) credentials.
 */
import { parseArn } from '../iam/arn';
import { notAuthorizedMessage, PolicyEngine } from '../iam/policy-engine';
import { crc32 } from '../server/crc32';
import { ServiceError } from '../server/errors';
import type { EmulatorRequest, EmulatorResponse } from '../server/server';
import { OperationRoute, parseJsonBody, ServiceHandler, ServiceRequestContext } from '../server/service';

const TARGET_PREFIX = 'DynamoDB_20120810.';

/** A DynamoDB attribute value (`{ S: 'x' }`, `{ N: '1' }`, ...). */
export type AttributeValue = Record<string, unknown>;
/** An item. */
export type Item = Record<string, AttributeValue>;

/** A key attribute. */
export interface KeyElement {
  readonly attributeName: string;
  readonly keyType: 'HASH' | 'RANGE';
}

/** A table. */
export interface Table {
  readonly accountId: string;
  readonly region: string;
  readonly tableName: string;
  readonly arn: string;
  readonly keySchema: readonly KeyElement[];
  readonly createdAt: number;
  readonly items: Map<string, Item>;
}

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, 400);
}

/** The tables of every account and region. */
export class DynamoDbTables {
  private readonly tables = new Map<string, Table>();

  /** Creates a table (or returns the existing one). */
  public createTable(options: { accountId: string; region: string; tableName: string; keySchema: readonly KeyElement[]; createdAt?: number }): Table {
    const k = `${options.accountId}|${options.region}|${options.tableName}`;
    const existing = this.tables.get(k);
    if (existing) {
      return existing;
    }
    if (!options.keySchema.some((e) => e.keyType === 'HASH')) {
      throw new Error(`createTable ${options.tableName}: the key schema needs a HASH key`);
    }
    const table: Table = {
      ...options,
      arn: `arn:aws:dynamodb:${options.region}:${options.accountId}:table/${options.tableName}`,
      createdAt: options.createdAt ?? Date.now(),
      items: new Map(),
    };
    this.tables.set(k, table);
    return table;
  }

  /** The table, if it exists. */
  public table(accountId: string, region: string, tableName: string): Table | undefined {
    return this.tables.get(`${accountId}|${region}|${tableName}`);
  }
}

/** The canonical key string of an item or key. */
function keyOf(table: Table, attributes: Item): string {
  const parts: unknown[] = [];
  for (const element of table.keySchema) {
    const value = attributes[element.attributeName];
    if (value === undefined) {
      throw validation('The provided key element does not match the schema');
    }
    parts.push(value);
  }
  return JSON.stringify(parts);
}

/** The DynamoDB service. */
export class DynamoDbService implements ServiceHandler {
  public readonly name = 'dynamodb' as const;
  public readonly family = 'dynamodb' as const;
  public readonly protocol = 'awsJson1_0' as const;
  public readonly signingName = 'dynamodb';
  public readonly eventSource = 'dynamodb.amazonaws.com';

  constructor(private readonly tables: DynamoDbTables, private readonly policies: PolicyEngine) {}

  public route(request: EmulatorRequest): OperationRoute | undefined {
    const target = request.headers['x-amz-target'];
    return request.method === 'POST' && target?.startsWith(TARGET_PREFIX) ? { operation: target.slice(TARGET_PREFIX.length), params: {} } : undefined;
  }

  public isReadOnly(operation: string): boolean {
    return operation === 'GetItem' || operation === 'DescribeTable';
  }

  public eventCategory(operation: string): 'Management' | 'Data' {
    return operation === 'CreateTable' || operation === 'DescribeTable' ? 'Management' : 'Data';
  }

  public async handle(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const body = parseJsonBody<Record<string, unknown>>(context.request.body, () => new ServiceError('SerializationException', 'Start of structure or map found where not expected.', 400));
    const tableName = String(body.TableName ?? '');
    if (!tableName) {
      throw validation('1 validation error detected: Value null at \'tableName\' failed to satisfy constraint: Member must not be null');
    }
    const principal = context.caller.principal;
    const arn = parseArn(tableName);
    const [account, region, name] = arn ? [arn.account, arn.region, arn.resource.replace(/^table\//, '')] : [principal.accountId, context.region, tableName];
    const tableArn = `arn:aws:dynamodb:${region}:${account}:table/${name}`;
    context.trail.requestParameters = { tableName: name, ...(body.Key ? { key: body.Key } : {}) };
    context.trail.resources = [{ accountId: account, type: 'AWS::DynamoDB::Table', ARN: tableArn }];
    context.trail.recipientAccountId = account;

    const action = `dynamodb:${context.operation}`;
    const decision = await this.policies.authorize({ principal, action, resource: tableArn, resourceAccount: account, region: context.region });
    if (!decision.allowed) {
      throw new ServiceError('AccessDeniedException', notAuthorizedMessage(principal.arn, action, tableArn, decision.reason), 400);
    }

    if (context.operation === 'CreateTable') {
      if (this.tables.table(account, region, name)) {
        throw new ServiceError('ResourceInUseException', `Table already exists: ${name}`, 400);
      }
      const keySchema = (Array.isArray(body.KeySchema) ? body.KeySchema : []) as Array<{ AttributeName: string; KeyType: string }>;
      const table = this.tables.createTable({
        accountId: account,
        region,
        tableName: name,
        createdAt: context.now,
        keySchema: keySchema.map((k) => ({ attributeName: k.AttributeName, keyType: k.KeyType === 'RANGE' ? 'RANGE' : 'HASH' })),
      });
      return this.respond(context, { TableDescription: this.describe(table) });
    }
    const table = this.tables.table(account, region, name);
    if (!table) {
      throw new ServiceError('ResourceNotFoundException', 'Requested resource not found', 400);
    }
    switch (context.operation) {
      case 'DescribeTable':
        return this.respond(context, { Table: this.describe(table) });
      case 'PutItem': {
        const item = (body.Item ?? {}) as Item;
        const k = keyOf(table, item);
        const old = table.items.get(k);
        table.items.set(k, item);
        return this.respond(context, body.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {});
      }
      case 'GetItem': {
        const item = table.items.get(keyOf(table, (body.Key ?? {}) as Item));
        return this.respond(context, item ? { Item: item } : {});
      }
      case 'DeleteItem': {
        const k = keyOf(table, (body.Key ?? {}) as Item);
        const old = table.items.get(k);
        table.items.delete(k);
        return this.respond(context, body.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {});
      }
      default:
        throw new ServiceError('UnknownOperationException', `The emulator does not implement DynamoDB ${context.operation}.`, 400);
    }
  }

  private describe(table: Table): Record<string, unknown> {
    return {
      TableName: table.tableName,
      TableArn: table.arn,
      TableStatus: 'ACTIVE',
      KeySchema: table.keySchema.map((k) => ({ AttributeName: k.attributeName, KeyType: k.keyType })),
      ItemCount: table.items.size,
      CreationDateTime: Math.floor(table.createdAt / 1000),
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: Math.floor(table.createdAt / 1000) },
    };
  }

  private respond(context: ServiceRequestContext, output: unknown): EmulatorResponse {
    const body = Buffer.from(JSON.stringify(output), 'utf8');
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': context.requestId, 'x-amz-crc32': String(crc32(body)) },
      body,
    };
  }
}
