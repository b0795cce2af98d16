"""Where a denying policy lives, in words: the sentence a hint leads with once the access-denied
message has been read (:mod:`bedrock_hub_access.access_denied_message`). Shared by the AssumeRole and
Bedrock diagnoses; the Node shim's ``lambda-shim/denying-policy.ts``.

Which policies apply to a request, and who owns them: IAM User Guide, "Policy evaluation logic"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
"""

from .access_denied_message import AccessDeniedMessage


def policy_arn_text(denial: AccessDeniedMessage) -> str:
    """The policy's ARN in parentheses, when AWS appended it."""
    return f" ({denial.policy_arn})" if denial.policy_arn else ""


def organization_text(denial: AccessDeniedMessage, account: str) -> str:
    """For an SCP or RCP: the organization and the account its policies are managed from, as far as
    the message tells; ``account`` is the member account the policy applies to."""
    org = f"organization {denial.organization_id}" if denial.organization_id else "the organization"
    management = f", managed from its management account {denial.policy_account}" if denial.policy_account else ""
    return f"{org} of account {account}{management}"


def action_on_resource(denial: AccessDeniedMessage) -> str:
    """The action and resource of a denial, as ``bedrock:InvokeModel on <arn>``."""
    return f"{denial.action} on {denial.resource_arn}" if denial.resource_arn else denial.action
