/**
 * Where a denying policy lives, in words: the sentence a hint leads with once the access-denied
 * message has been read (`access-denied-message.ts`). Shared by the AssumeRole and Bedrock diagnoses.
 *
 * Which policies apply to a request, and who owns them: IAM User Guide, "Policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html) and
 * "Troubleshoot access denied error messages"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 */

import type { AccessDeniedMessage } from './access-denied-message';

/** The policy's ARN in parentheses, when AWS appended it. */
export function policyArnText(denial: AccessDeniedMessage): string {
  return denial.policyArn ? ` (${denial.policyArn})` : '';
}

/**
 * For an SCP or RCP: the organization and the account its policies are managed from, as far as
 * the message tells; `account` is the member account the policy applies to.
 */
export function organizationText(denial: AccessDeniedMessage, account: string): string {
  const org = denial.organizationId ? `organization ${denial.organizationId}` : 'the organization';
  const management = denial.policyAccount ? `, managed from its management account ${denial.policyAccount}` : '';
  return `${org} of account ${account}${management}`;
}

/** The action and resource of a denial, as `bedrock:InvokeModel on <arn>`. */
export function actionOnResource(denial: AccessDeniedMessage): string {
  return denial.resourceArn ? `${denial.action} on ${denial.resourceArn}` : denial.action;
}
