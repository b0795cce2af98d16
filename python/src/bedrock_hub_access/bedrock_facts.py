"""What both halves of the Bedrock diagnosis (:mod:`bedrock_hub_access.bedrock_diagnosis`,
:mod:`bedrock_hub_access.bedrock_access_denied`) work from: the call's context and details, the facts
of one failed call, and the helpers both use (the Node shim's ``lambda-shim/bedrock-facts.ts``)."""

from typing import NamedTuple, Optional, Tuple

Explanation = Tuple[str, str, str]
"""``(layer, problem, hint)``."""



class BedrockErrorContext(NamedTuple):
    """What a Bedrock error is explained against: the role the client signs as and the region it calls."""

    role_arn: str
    account: str
    """The account of the role the client signs as."""
    region: str
    target: bool = False
    """A target role of ``BEDROCK_ASSUME_ROLE_TARGETS`` rather than the hub role."""

    @property
    def kind(self) -> str:
        return "target" if self.target else "hub"


class BedrockCallDetails(NamedTuple):
    """What the shim knows of the call that failed, read from the request's parameters."""

    operation: Optional[str] = None
    model_id: Optional[str] = None
    """The ``modelId`` the request carried (a model id, profile id or ARN)."""
    guardrail_known: bool = False
    """Whether :attr:`guardrail_identifier` is known (an operation that takes a guardrail, or one was sent)."""
    guardrail_identifier: Optional[str] = None
    """The guardrail the request carried; ``None`` with :attr:`guardrail_known` when it had none."""
    guardrail_version: Optional[str] = None


class Facts(NamedTuple):
    ctx: BedrockErrorContext
    call: BedrockCallDetails
    code: str
    message: str
    said: str
    """`` Bedrock said: <message>`` or ``''``."""
    role: str
    """``the hub role arn:… (account 111122223333)``"""
    role_account: str
    """``the hub account 111122223333``"""


def model_text(f: Facts) -> str:
    return f" for {f.call.model_id}" if f.call.model_id else ""


def model_access(f: Facts, problem: str, hint: str) -> Explanation:
    return ("model-access", f"{problem}{f.said}", hint)


def foreign_resource(f: Facts, arn: str, account: str) -> Explanation:
    """The call names an account-scoped resource of another account than the role's."""
    ctx = f.ctx
    return (
        "hub-resource",
        f"The call names {arn}, which is in account {account}, but calls through the {ctx.kind} role run as "
        f"{ctx.role_arn} in account {ctx.account}.{f.said}",
        "Application inference profiles, guardrails, knowledge bases, prompts and agents are account-scoped: create the resource in the "
        f"{ctx.kind} account {ctx.account} ({ctx.region}) and use that ARN, or use a system-defined cross-region inference profile (us., eu., global., …).",
    )
