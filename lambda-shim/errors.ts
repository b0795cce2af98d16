/**
 * The shim's error: what failed, in which layer, and what to do about it.
 *
 * A call through the hub crosses several layers that each fail with a similar-looking
 * `AccessDenied`: the function's own policy, the hub role's trust policy, the hub role's Bedrock
 * permissions, model access in the hub account and region. {@link BedrockHubError} names the layer
 * and carries a hint. Turning STS and Bedrock errors into one is the diagnosis modules' work
 * (`assume-role-diagnosis.ts`, `bedrock-diagnosis.ts`); reading SDK errors is `sdk-errors.ts`'s.
 */

import { errorSummary } from './sdk-errors';

/**
 * The layer a {@link BedrockHubError} blames.
 *
 * - `configuration`: a variable (or option) has an unusable value; the message names it.
 * - `local-credentials`: the function's own credentials, used to call AssumeRole, could not be
 *   loaded or were rejected by STS.
 * - `sts-unreachable`: no connection to STS (typically a VPC without an STS interface endpoint).
 * - `sts-throttled`: STS throttled AssumeRole.
 * - `caller-policy`: the workload side denies `sts:AssumeRole` (identity-based policy, permissions
 *   boundary or SCP of the function's role).
 * - `trust-policy`: the hub role's trust policy (or its `sts:ExternalId` condition) rejects the caller.
 * - `assume-role-denied`: AccessDenied on AssumeRole, and STS did not say which of the two above.
 * - `session-duration`: the requested DurationSeconds is longer than STS allows.
 * - `identity-mismatch`: AssumeRole returned a session in another account than the role's.
 * - `attribution`: STS refused the session tags or source identity (`sts:TagSession` /
 *   `sts:SetSourceIdentity` not allowed on one side, tags too large or invalid).
 * - `sts`: any other STS failure.
 * - `expired-token`: Bedrock reported an expired token: after a refresh and one retry (a hub
 *   client), or for a client built with credentials resolved once instead of the provider.
 * - `hub-permission`: AssumeRole worked, but a policy that applies to the hub role denies this
 *   Bedrock call (its identity-based policy or permissions boundary, a session policy, a service or
 *   resource control policy of its organization, a resource-based policy), or the role lacks the
 *   AWS Marketplace actions the first call to a model needs.
 * - `model-access`: the hub account itself, not a policy, lacks what Bedrock needs before it serves
 *   the model (Anthropic's first-time-use form, a payment method, recent use of a Legacy model); an
 *   administrator of the hub account fixes it, not a role edit.
 * - `model-routing`: the model exists but is not served as called (on-demand throughput is not
 *   supported: call it through an inference profile).
 * - `vpc-endpoint-policy`: the interface VPC endpoint the function reaches STS or Bedrock through
 *   denies the call; its policy lives in the workload VPC.
 * - `hub-quota`: Bedrock throttled the call for a quota of the hub account (requests or tokens per
 *   minute or per day) in the region called.
 * - `hub-resource`: the Bedrock resource is not in the hub account and region.
 * - `wrong-client`: the Bedrock call was not made with hub credentials at all.
 * - `invalid-identifier`: an account id, Bedrock id or ARN given to the shim or to a hub client is
 *   malformed (a stray quote or whitespace, wrong length or case); nothing was sent.
 * - `resource-account`: a request names a resource ARN in another account than the role the client
 *   signs as; refused before anything was sent (not even AssumeRole).
 * - `no-target-role`: `forAccount` / `forResource` named an account no role is configured for.
 */
export type BedrockHubErrorLayer =
  | 'configuration'
  | 'local-credentials'
  | 'sts-unreachable'
  | 'sts-throttled'
  | 'caller-policy'
  | 'trust-policy'
  | 'assume-role-denied'
  | 'session-duration'
  | 'identity-mismatch'
  | 'attribution'
  | 'sts'
  | 'expired-token'
  | 'hub-permission'
  | 'model-access'
  | 'model-routing'
  | 'vpc-endpoint-policy'
  | 'hub-quota'
  | 'hub-resource'
  | 'wrong-client'
  | 'invalid-identifier'
  | 'resource-account'
  | 'no-target-role';

/**
 * An error of the hub path, with the layer that failed and what to do.
 *
 * `message` reads `bedrock-hub-access (<layer>): <what happened> <hint>`, so the whole diagnosis
 * shows up wherever only the message is logged (Lambda's error log, for one). The original error,
 * when there is one, is `cause`. An explained service error keeps the SDK's `$metadata` (request
 * id, HTTP status) and `$fault`, so code that logs those still finds them.
 */
export class BedrockHubError extends Error {
  /** Which layer failed. */
  public readonly layer: BedrockHubErrorLayer;
  /** What to do about it. */
  public readonly hint: string;
  /** The service error's `$metadata`, when this explains one. */
  declare public readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string; readonly [key: string]: unknown };
  /** The service error's `$fault`, when this explains one. */
  declare public readonly $fault?: 'client' | 'server';

  /**
   * @param layer which layer failed
   * @param problem what happened, in one or two sentences
   * @param hint what to do about it
   * @param cause the original error, if any
   */
  constructor(layer: BedrockHubErrorLayer, problem: string, hint: string, cause?: unknown) {
    super(`bedrock-hub-access (${layer}): ${problem} ${hint}`, cause === undefined ? undefined : { cause });
    this.name = 'BedrockHubError';
    this.layer = layer;
    this.hint = hint;
  }

  /** A structured form for JSON logs; the cause is reduced to its name, code and message. */
  public toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      layer: this.layer,
      message: this.message,
      hint: this.hint,
      cause: errorSummary(this.cause),
    };
  }
}

/**
 * A bad variable or option value: `name` is the variable, `problem` reads on from it (the
 * contract's `describe*Problem` texts do), `fix` says what to set.
 */
export function configurationError(name: string, problem: string, fix: string): BedrockHubError {
  // The contract's texts either read on from the name ("contains whitespace …") or stand alone.
  const joiner = /^[a-z]/.test(problem) ? ' ' : ': ';
  return new BedrockHubError('configuration', `${name}${joiner}${problem}`, fix);
}
