/**
 * The messages between the Lambda runner (parent) and the runtime loop in the child process.
 */

/** An error as the Lambda runtime reports it. */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
}

/** The static part of the invocation context. */
export interface InvocationContextData {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/** Parent → child. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: string;
  readonly event: unknown;
  readonly context: InvocationContextData;
  readonly timeoutMs: number;
}

/** Child → parent. */
export type RuntimeMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: LambdaErrorPayload }
  | { readonly type: 'result'; readonly id: string; readonly result: unknown }
  | { readonly type: 'error'; readonly id: string; readonly error: LambdaErrorPayload; readonly fatal: boolean };

/** The line written to stdout and stderr after each invocation, so the parent can attribute logs. */
export const INVOCATION_END_MARKER = '\u001eEMULATOR_INVOCATION_END';
