/**
 * The example handler: Bedrock (runtime, control plane, agent runtime) through the hub with clients
 * from the shim, DynamoDB and S3 in the function's own account with plain clients.
 *
 * A handler in another package imports the shim as `bedrock-hub-access/lambda-shim`; this one sits
 * next to the shim's source. The event lists the operations to run; each one's outcome is
 * returned, a failure as the `BedrockHubError`'s layer and hint, so that callers can see which
 * layer failed without parsing log lines.
 */
import { BedrockClient, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { BedrockAgentRuntimeClient, InvokeAgentCommand, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import {
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BedrockHubError, getBedrockHubSession } from '../lambda-shim';

const DEFAULT_MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0';
/** Operations on the function's own account; all others call Bedrock. */
const LOCAL_OPERATIONS = new Set(['PutItem', 'PutObject']);

/** One operation for the handler to run. */
export type Operation =
  | { readonly op: 'Converse'; readonly modelId?: string; readonly prompt?: string }
  | { readonly op: 'ConverseStream'; readonly modelId?: string; readonly prompt?: string }
  | { readonly op: 'InvokeModel'; readonly modelId?: string; readonly prompt?: string }
  | { readonly op: 'GetInferenceProfile'; readonly inferenceProfileIdentifier: string }
  | { readonly op: 'ApplyGuardrail'; readonly guardrailIdentifier: string; readonly guardrailVersion?: string; readonly text?: string }
  | { readonly op: 'InvokeAgent'; readonly agentId: string; readonly agentAliasId: string; readonly inputText?: string }
  | { readonly op: 'Retrieve'; readonly knowledgeBaseId: string; readonly query?: string }
  | { readonly op: 'PutItem'; readonly text?: string }
  | { readonly op: 'PutObject'; readonly text?: string };

/** The event. */
export interface DemoEvent {
  readonly operations: readonly Operation[];
  /** Throw the first failure (as Lambda then reports it) instead of returning it. */
  readonly throwOnError?: boolean;
}

/** A failure, as far as a caller needs it. Never holds a credential or the ExternalId. */
export interface OperationError {
  readonly name: string;
  /** The failing layer, for a `BedrockHubError`. */
  readonly layer?: string;
  readonly hint?: string;
  /** The service's error code, for other errors. */
  readonly code?: string;
  readonly message: string;
}

/** The outcome of one operation. */
export type OperationResult =
  | { readonly op: Operation['op']; readonly ok: true; readonly detail: string }
  | { readonly op: Operation['op']; readonly ok: false; readonly error: OperationError };

/** What the handler returns. */
export interface DemoResult {
  /** Whether Bedrock calls go through the hub. */
  readonly hubEnabled: boolean;
  /** The assumed-role session ARN the hub clients sign as (hub mode only, after a successful call). */
  readonly signedAs?: string;
  readonly results: readonly OperationResult[];
}

// Built once per execution environment and shared by every invocation: the hub session caches
// its credentials and refreshes them when they run low.
const hub = getBedrockHubSession();
const runtime = hub.client(BedrockRuntimeClient);
const controlPlane = hub.client(BedrockClient);
const agentRuntime = hub.client(BedrockAgentRuntimeClient);
// The function's own account: plain clients, local credentials. Path-style requests work with
// every S3 endpoint.
const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({ forcePathStyle: true });

function message(text: string | undefined): [{ role: 'user'; content: [{ text: string }] }] {
  return [{ role: 'user', content: [{ text: text ?? 'What is the capital of France?' }] }];
}

async function run(operation: Operation, requestId: string): Promise<string> {
  switch (operation.op) {
    case 'Converse': {
      const input = { modelId: operation.modelId ?? DEFAULT_MODEL_ID, messages: message(operation.prompt) };
      const out = await runtime.send(new ConverseCommand(input));
      return out.output?.message?.content?.[0]?.text ?? '';
    }
    case 'ConverseStream': {
      const input = { modelId: operation.modelId ?? DEFAULT_MODEL_ID, messages: message(operation.prompt) };
      const out = await runtime.send(new ConverseStreamCommand(input));
      let text = '';
      for await (const event of out.stream ?? []) {
        text += event.contentBlockDelta?.delta?.text ?? '';
      }
      return text;
    }
    case 'InvokeModel': {
      const body = {
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 200,
        messages: [{ role: 'user', content: operation.prompt ?? 'What is the capital of France?' }],
      };
      const out = await runtime.send(new InvokeModelCommand({
        modelId: operation.modelId ?? DEFAULT_MODEL_ID, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body),
      }));
      const parsed = JSON.parse(new TextDecoder().decode(out.body)) as { content?: Array<{ text?: string }> };
      return parsed.content?.[0]?.text ?? '';
    }
    case 'GetInferenceProfile': {
      const out = await controlPlane.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: operation.inferenceProfileIdentifier }));
      return `${out.inferenceProfileName} (${out.type}, ${out.status})`;
    }
    case 'ApplyGuardrail': {
      const out = await runtime.send(new ApplyGuardrailCommand({
        guardrailIdentifier: operation.guardrailIdentifier,
        guardrailVersion: operation.guardrailVersion ?? 'DRAFT',
        source: 'INPUT',
        content: [{ text: { text: operation.text ?? 'Tell me a joke.' } }],
      }));
      return `action ${out.action}`;
    }
    case 'InvokeAgent': {
      const out = await agentRuntime.send(new InvokeAgentCommand({
        agentId: operation.agentId, agentAliasId: operation.agentAliasId, sessionId: requestId, inputText: operation.inputText ?? 'How do I reset my badge?',
      }));
      let text = '';
      for await (const event of out.completion ?? []) {
        text += event.chunk?.bytes ? new TextDecoder().decode(event.chunk.bytes) : '';
      }
      return text;
    }
    case 'Retrieve': {
      const out = await agentRuntime.send(new RetrieveCommand({
        knowledgeBaseId: operation.knowledgeBaseId, retrievalQuery: { text: operation.query ?? 'badge' },
      }));
      return `${out.retrievalResults?.length ?? 0} result(s)`;
    }
    case 'PutItem':
      await dynamodb.send(new PutItemCommand({
        TableName: process.env.TABLE_NAME,
        Item: { pk: { S: requestId }, text: { S: operation.text ?? 'answer' } },
      }));
      return `item ${requestId}`;
    case 'PutObject':
      await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET_NAME, Key: `transcripts/${requestId}.txt`, Body: operation.text ?? 'answer' }));
      return `object transcripts/${requestId}.txt`;
  }
}

/** What a failure says; hub clients already throw `BedrockHubError`s, `explainError` covers any other client. */
function describe(error: unknown): OperationError {
  const explained = hub.explainError(error);
  if (explained instanceof BedrockHubError) {
    return { name: explained.name, layer: explained.layer, hint: explained.hint, message: explained.message };
  }
  const e = explained as { name?: string; Code?: string; code?: string; message?: string };
  return { name: e.name ?? 'Error', code: e.Code ?? e.code ?? e.name, message: e.message ?? String(explained) };
}

export async function handler(event: DemoEvent, context: { awsRequestId: string }): Promise<DemoResult> {
  const results: OperationResult[] = [];
  for (const operation of event.operations ?? []) {
    try {
      results.push({ op: operation.op, ok: true, detail: await run(operation, context.awsRequestId) });
    } catch (error) {
      const described = describe(error);
      // What Lambda's log shows: the message already names the layer and the fix.
      console.error(`${operation.op} failed: ${described.message}`);
      if (event.throwOnError) {
        throw hub.explainError(error);
      }
      results.push({ op: operation.op, ok: false, error: described });
    }
  }
  let signedAs: string | undefined;
  if (hub.enabled && results.some((r) => r.ok && !LOCAL_OPERATIONS.has(r.op))) {
    // No extra call: the identity comes from AssumeRole's answer, which a successful call needed.
    signedAs = (await hub.identity())?.arn;
  }
  return { hubEnabled: hub.enabled, signedAs, results };
}
