/**
 * The Lambda functions of the loaded templates, and what Lambda gives a function at run time: its
 * environment (the template's variables plus the runtime's reserved `AWS_*` variables) and its
 * execution-role credentials (a session `arn:aws:sts::<account>:assumed-role/<RoleName>/<FunctionName>`).
 */
import { IssuedCredentials } from '../iam/credentials';
import type { TemplateFunction } from '../iam/templates';

/** A function and where it is deployed. */
export interface LambdaFunction extends TemplateFunction {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
}

/** Execution-role credentials, as Lambda puts them in the environment. */
export interface LambdaCredentials extends IssuedCredentials {
  readonly sessionToken: string;
  readonly expiration: Date;
  /** `arn:aws:sts::<account>:assumed-role/<RoleName>/<FunctionName>`. */
  readonly principalArn: string;
  readonly roleArn: string;
  readonly functionName: string;
}

/** The functions of every loaded template. */
export class LambdaFunctions {
  private readonly functions: LambdaFunction[] = [];

  /** Adds a function (replacing one with the same ARN). */
  public register(fn: LambdaFunction): void {
    const existing = this.functions.findIndex((f) => f.arn === fn.arn);
    if (existing >= 0) {
      this.functions.splice(existing, 1, fn);
    } else {
      this.functions.push(fn);
    }
  }

  /** Every function. */
  public all(): readonly LambdaFunction[] {
    return this.functions;
  }

  /**
   * Finds a function by name, ARN, logical ID, `<stackName>/<logicalId>`, or a unique logical-ID prefix
   * (`Handler` finds `Handler886CB40B`).
   * @throws if no function or more than one matches
   */
  public get(reference: string): LambdaFunction {
    const exact = this.functions.filter((f) => f.functionName === reference || f.arn === reference
      || f.logicalId === reference || `${f.stackName}/${f.logicalId}` === reference);
    const matches = exact.length ? exact : this.functions.filter((f) => f.logicalId.startsWith(reference)
      || `${f.stackName}/${f.logicalId}`.startsWith(reference));
    if (matches.length === 1) {
      return matches[0];
    }
    const known = this.functions.map((f) => `${f.stackName}/${f.logicalId} (${f.functionName})`).join(', ') || 'none';
    throw new Error(matches.length === 0
      ? `no Lambda function matches '${reference}'; loaded functions: ${known}`
      : `'${reference}' matches ${matches.length} functions: ${matches.map((f) => f.functionName).join(', ')}`);
  }
}

/**
 * The environment Lambda gives `fn`: the template's variables, then the runtime's reserved variables
 * (which a template cannot override), then the credentials and the endpoint.
 */
export function lambdaEnvironment(fn: LambdaFunction, credentials: LambdaCredentials, endpoint: string): Record<string, string> {
  return {
    ...fn.environment,
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? 'nodejs20.x'}`,
    LAMBDA_TASK_ROOT: fn.assetPath ?? '/var/task',
    _HANDLER: fn.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL: endpoint,
  };
}
