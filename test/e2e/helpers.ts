/**
 * Shared by the end-to-end tests: reading an invocation's outcome, and the CloudTrail assertions
 * every test makes (no Bedrock call signed with the function's own credentials when the hub is on).
 */
import type { CloudTrailEvent, InvocationResult } from '../../emulator';
import type { DemoResult, OperationResult } from '../fixtures/hub-app/handler';
import { isBedrock, localKeys } from '../fixtures/hub-app/trail';

/** The handler's result; fails the test with the Lambda error and logs if the invocation failed. */
export function resultOf(invocation: InvocationResult): DemoResult {
  if (!invocation.ok) {
    throw new Error(`invocation failed: ${invocation.error.errorType}: ${invocation.error.errorMessage}\n${invocation.logs.join('\n')}`);
  }
  return invocation.result as DemoResult;
}

/** The operations that failed, with their errors (empty when all succeeded). */
export function failuresOf(result: DemoResult): OperationResult[] {
  return result.results.filter((r) => !r.ok);
}

/** Bedrock events (any account) signed with credentials Lambda issued to an execution role. */
export function bedrockCallsWithLocalCredentials(events: readonly CloudTrailEvent[]): CloudTrailEvent[] {
  const local = localKeys(events);
  return events.filter((e) => isBedrock(e) && e.userIdentity.accessKeyId !== undefined && local.has(e.userIdentity.accessKeyId));
}

/** `eventSource:eventName recipient signer-key-kind` lines, for readable failure output. */
export function describeEvents(events: readonly CloudTrailEvent[]): string[] {
  return events.map((e) => `${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName} in ${e.recipientAccountId} by ${e.userIdentity.arn ?? e.userIdentity.type}${e.errorCode ? ` -> ${e.errorCode}` : ''}`);
}
