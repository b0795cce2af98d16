/**
 * `AWS_BEARER_TOKEN_BEDROCK` (a Bedrock API key) in a function with hub mode on: hub clients refuse
 * bearer auth, but libraries given `hub.credentials` (the Vercel AI SDK's Bedrock provider, the
 * Anthropic Bedrock SDK, …) prefer the token when it is set, and so call Bedrock as the key's
 * account, silently skipping the hub. The shim says so once per process; the value is a secret
 * and never appears.
 *
 * Source: Amazon Bedrock user guide, "Use an Amazon Bedrock API key"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html).
 */

import type { Environment } from './config';
import { ENV } from '../src/contract';

/** The variable the AWS SDKs and several AI libraries read a Bedrock API key from. */
export const BEARER_TOKEN_VARIABLE = 'AWS_BEARER_TOKEN_BEDROCK';

/** The warning for `env`, or `undefined` when hub mode is off or the variable is unset or empty. */
export function bearerTokenWarning(env: Environment, hubEnabled: boolean): string | undefined {
  if (!hubEnabled || !env[BEARER_TOKEN_VARIABLE]) return undefined;
  return `bedrock-hub-access: ${BEARER_TOKEN_VARIABLE} is set while hub mode is on (${ENV.ROLE_ARN}). Hub clients never use it, but ` +
    'libraries given hub.credentials (the AI SDK\'s Bedrock provider, the Anthropic Bedrock SDK, …) prefer it and call Bedrock with that ' +
    `API key instead of the hub role. Remove ${BEARER_TOKEN_VARIABLE} from the function's environment.`;
}

let warned = false;

/** Logs {@link bearerTokenWarning} once per process. */
export function warnAboutBearerTokenOnce(env: Environment, hubEnabled: boolean, warn: (text: string) => void = console.warn): void {
  const text = warned ? undefined : bearerTokenWarning(env, hubEnabled);
  if (text === undefined) return;
  warned = true;
  warn(text);
}
