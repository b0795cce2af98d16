/**
 * What both halves of the Bedrock diagnosis (`bedrock-diagnosis.ts`, `bedrock-access-denied.ts`)
 * work from: the facts of one failed call, and the helpers both use.
 */

import type { BedrockCallContext, BedrockCallDetails } from './bedrock-diagnosis';
import { BedrockHubError } from './errors';

/** The facts every hint works from. */
export interface Facts {
  readonly error: unknown;
  readonly ctx: BedrockCallContext;
  readonly call: BedrockCallDetails;
  readonly code: string;
  readonly message: string;
  /** ` Bedrock said: <message>` or `''`. */
  readonly said: string;
  /** `the hub role arn:… (account 111122223333)` */
  readonly role: string;
  /** `the hub account 111122223333` */
  readonly roleAccount: string;
}

export function modelText(f: Facts): string {
  return f.call.modelId ? ` for ${f.call.modelId}` : '';
}

export function modelAccess(f: Facts, problem: string, hint: string): BedrockHubError {
  return new BedrockHubError('model-access', `${problem}${f.said}`, hint, f.error);
}

/** The call names an account-scoped resource of another account than the role's. */
export function foreignResource(f: Facts, arn: string, account: string): BedrockHubError {
  return new BedrockHubError('hub-resource',
    `The call names ${arn}, which is in account ${account}, but calls through the ${f.ctx.kind} role run as ` +
    `${f.ctx.roleArn} in account ${f.ctx.account}.${f.said}`,
    'Application inference profiles, guardrails, knowledge bases, prompts and agents are account-scoped: create the resource in the ' +
    `${f.ctx.kind} account ${f.ctx.account} (${f.ctx.region}) and use that ARN, or use a system-defined cross-region inference profile (us., eu., global., …).`,
    f.error);
}

