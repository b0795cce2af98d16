/**
 * The warning for a way around the hub in the function's environment: a Bedrock API key
 * (`AWS_BEARER_TOKEN_BEDROCK`) or an auth-scheme preference that puts bearer auth first
 * (`AWS_AUTH_SCHEME_PREFERENCE`). Clients built by `hub.client()` and the framework recipes of
 * `lambda-shim/frameworks` never use either, but any other client in the process (the AWS SDK for
 * any `BedrockRuntimeClient` not built by the hub, the Vercel AI SDK, LangChain, Strands, the
 * Anthropic and OpenAI SDKs) prefers the API key over the credentials it was given, and calls
 * Bedrock in the key's account, silently.
 *
 * Reference: https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html
 */

/** The variable the AWS SDKs and the AI frameworks read a Bedrock API key from. */
export const BEARER_TOKEN_VARIABLE = 'AWS_BEARER_TOKEN_BEDROCK';
/** The SDK's auth-scheme preference list (e.g. `httpBearerAuth,sigv4`). */
export const AUTH_SCHEME_PREFERENCE_VARIABLE = 'AWS_AUTH_SCHEME_PREFERENCE';

/** The variables that open a way around the hub, by name (never their values). */
export function bearerBypassVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  const found: string[] = [];
  if ((env[BEARER_TOKEN_VARIABLE] ?? '').trim() !== '') found.push(BEARER_TOKEN_VARIABLE);
  const preference = (env[AUTH_SCHEME_PREFERENCE_VARIABLE] ?? '').split(',').map((scheme) => scheme.trim().toLowerCase()).filter(Boolean);
  // The SDK takes the first scheme of the list it supports: bearer wins only when listed before sigv4.
  const bearer = preference.findIndex((scheme) => scheme === 'httpbearerauth' || scheme.endsWith('#httpbearerauth'));
  const sigv4 = preference.findIndex((scheme) => scheme === 'sigv4' || scheme.endsWith('#sigv4'));
  if (bearer >= 0 && (sigv4 < 0 || bearer < sigv4)) found.push(AUTH_SCHEME_PREFERENCE_VARIABLE);
  return found;
}

let warned = false;

/**
 * Warns once per process (on `console.warn`, which Lambda sends to CloudWatch Logs) when hub mode
 * is on and `env` holds a way around the hub. Names the variables, never their values.
 *
 * @returns whether this call warned
 */
export function warnAboutBearerBypass(
  env: Readonly<Record<string, string | undefined>>,
  roleArn: string,
  warn: (message: string) => void = console.warn,
): boolean {
  if (warned) return false;
  const variables = bearerBypassVariables(env);
  if (variables.length === 0) return false;
  warned = true;
  warn(`bedrock-hub-access: ${variables.join(' and ')} ${variables.length > 1 ? 'are' : 'is'} set while hub mode is on (${roleArn}). ` +
    'Clients built by hub.client() and the recipes of bedrock-hub-access/lambda-shim sign with the hub role and refuse bearer auth; ' +
    'any other Bedrock client in this function (an SDK client built with new, or an AI framework given only credentials) ' +
    `prefers the API key and calls Bedrock in the key's account instead of the hub. Remove ${variables.join(' and ')} from the function's environment.`);
  return true;
}

/** Lets the next {@link warnAboutBearerBypass} warn again. For tests. */
export function resetBearerBypassWarning(): void {
  warned = false;
}
