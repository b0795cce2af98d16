"""Reads AWS's access-denied messages (the Node shim's ``lambda-shim/access-denied-message.ts``).

Most services word an authorization failure as
``User: <principal> is not authorized to perform: <action> on resource: <resource> <context>``, where
the context says which kind of policy denied and how: ``because no <type> allows the <action> action``
(implicit deny) or ``with an explicit deny in a <type>`` (explicit deny), optionally followed by the
denying policy's ARN (same account and same organization only) and by an authorization id.
Source: IAM User Guide, "Troubleshoot access denied error messages"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).

Accepted variations: no context at all (STS's usual answer to a denied AssumeRole), no
``on resource:`` part, a quoted resource, ``the role trust policy``, ``sessions policy``,
``… transitively through a service control policy``, a trailing period, the sentence embedded in a
longer text, or a principal without the ``User: `` prefix. Nothing here raises: text that is not an
access-denied sentence gives ``None``.
"""

import re
from typing import NamedTuple, Optional

DENYING_POLICY_TYPES = (
    "identity-based",
    "resource-based",
    "permissions-boundary",
    "session",
    "service-control",
    "resource-control",
    "vpc-endpoint",
    "role-trust",
    "unknown",
)
"""The policy types an access-denied message can name, as stable keys (``unknown``: a type this parser does not know)."""


class AccessDeniedMessage(NamedTuple):
    """The parts of an access-denied message; ``None`` for a part the message does not have."""

    action: str
    """The denied action as written, e.g. ``bedrock:InvokeModel``."""
    deny_kind: str
    """``explicit`` (a Deny statement matched), ``implicit`` (no Allow matched) or ``unstated``."""
    principal_arn: Optional[str] = None
    principal_account: Optional[str] = None
    """The 12-digit account of :attr:`principal_arn`, when it is an ARN with one."""
    resource_arn: Optional[str] = None
    resource_region: Optional[str] = None
    """The region field of :attr:`resource_arn` (``''`` for a region-less ARN, what a global profile is authorized against)."""
    resource_account: Optional[str] = None
    """The account field of :attr:`resource_arn` (``''`` for AWS-owned resources such as foundation models)."""
    policy_type: Optional[str] = None
    """One of :data:`DENYING_POLICY_TYPES`."""
    policy_type_text: Optional[str] = None
    """The policy type as AWS wrote it (``service control policy``, ``sessions policy``, …)."""
    policy_arn: Optional[str] = None
    policy_account: Optional[str] = None
    """The account in :attr:`policy_arn` (for an SCP or RCP: the organization's management account)."""
    organization_id: Optional[str] = None
    transitive_policy_type: Optional[str] = None
    authorization_id: Optional[str] = None
    leading_text: Optional[str] = None
    """Text before the access-denied sentence (e.g. ``Model access is denied due to``)."""


_POLICY_TYPES = (
    (re.compile(r"^identity-based policy$", re.I), "identity-based"),
    (re.compile(r"^resource-based policy$", re.I), "resource-based"),
    (re.compile(r"^permissions? boundary$", re.I), "permissions-boundary"),
    (re.compile(r"^sessions? policy$", re.I), "session"),
    (re.compile(r"^service control policy$", re.I), "service-control"),
    (re.compile(r"^resource control policy$", re.I), "resource-control"),
    (re.compile(r"^VPC endpoint policy$", re.I), "vpc-endpoint"),
    (re.compile(r"^role trust policy$", re.I), "role-trust"),
)

_HEAD = re.compile(r"(?:(?:User: )?(\S+) is not|\bNot) authorized to perform:? ([A-Za-z0-9-]+:[A-Za-z0-9*]+)")
_RESOURCE = re.compile(r"^ on resource: (?:\"([^\"]*)\"|(\S+))")
_IMPLICIT = re.compile(r"^ because no (.+?) allows the \S+? action")
_EXPLICIT = re.compile(
    r"^ with an explicit deny(?: in (?:an?|the) (.+?)(?=: arn:| transitively through | \(|\.(?:\s|$)|[\s\"'}]*$))?"
)
_POLICY_ARN = re.compile(r"^: (arn:[^\s\"']+)")
_TRANSITIVE = re.compile(r"^ transitively through (?:an?|the) (.+?)(?= \(|\.(?:\s|$)|[\s\"'}]*$)")
_AUTHORIZATION_ID = re.compile(r"authorization id: ([a-z0-9]+)", re.I)
_ARN_FIELDS = re.compile(r"^arn:[\w-]+:[\w-]+:([\w-]*):([\w-]*):.")
_ORGANIZATION = re.compile(r"/(o-[a-z0-9]{10,32})/")


def policy_type_of(text: str) -> str:
    """The stable key of a policy type as AWS words it (``unknown`` when not known)."""
    return next((key for pattern, key in _POLICY_TYPES if pattern.search(text)), "unknown")


def arn_fields(arn: str) -> Optional["tuple[str, str]"]:
    """``(region, account)`` of ``arn:partition:service:region:account:resource``, or ``None`` if not an ARN."""
    match = _ARN_FIELDS.search(arn)
    return (match.group(1), match.group(2)) if match else None


def _strip_trailing_punctuation(text: str) -> str:
    return re.sub(r"[.,;]+$", "", text)


def parse_access_denied_message(message: str) -> Optional[AccessDeniedMessage]:
    """Parses an access-denied message (a service error's message, or a longer text that contains one).

    :returns: its parts, or ``None`` if it holds no ``… not authorized to perform: <action>`` sentence
    """
    text = re.sub(r"\s+", " ", message or "")
    head = _HEAD.search(text)
    if not head:
        return None
    principal = head.group(1)
    principal_fields = arn_fields(principal) if principal else None
    principal_account = principal_fields[1] if principal_fields and re.fullmatch(r"\d{12}", principal_fields[1]) else None
    leading_text = re.sub(r"[\s:,-]+$", "", text[: head.start()]).strip() or None
    rest = text[head.end():]

    resource_arn: Optional[str] = None
    resource = _RESOURCE.search(rest)
    if resource:
        resource_arn = (
            resource.group(1)
            if resource.group(1) is not None
            else _strip_trailing_punctuation(re.sub(r"[\"'}\]]+$", "", resource.group(2)))
        )
        rest = rest[resource.end():]
    resource_fields = arn_fields(resource_arn) if resource_arn is not None else None

    deny_kind = "unstated"
    policy_type_text: Optional[str] = None
    policy_arn: Optional[str] = None
    transitive: Optional[str] = None
    implicit = _IMPLICIT.search(rest)
    explicit = None if implicit else _EXPLICIT.search(rest)
    if implicit:
        deny_kind = "implicit"
        policy_type_text = implicit.group(1)
    elif explicit:
        deny_kind = "explicit"
        policy_type_text = explicit.group(1)
        rest = rest[explicit.end():]
        arn = _POLICY_ARN.search(rest)
        if arn:
            policy_arn = _strip_trailing_punctuation(arn.group(1))
            rest = rest[arn.end():]
        through = _TRANSITIVE.search(rest)
        if through:
            transitive = policy_type_of(through.group(1))
    policy_fields = arn_fields(policy_arn) if policy_arn is not None else None
    organization = _ORGANIZATION.search(policy_arn) if policy_arn is not None else None
    authorization = _AUTHORIZATION_ID.search(text)

    return AccessDeniedMessage(
        action=head.group(2),
        deny_kind=deny_kind,
        principal_arn=principal,
        principal_account=principal_account or None,
        resource_arn=resource_arn,
        resource_region=resource_fields[0] if resource_fields else None,
        resource_account=resource_fields[1] if resource_fields else None,
        policy_type=policy_type_of(policy_type_text) if policy_type_text is not None else None,
        policy_type_text=policy_type_text,
        policy_arn=policy_arn,
        policy_account=(policy_fields[1] or None) if policy_fields else None,
        organization_id=organization.group(1) if organization else None,
        transitive_policy_type=transitive,
        authorization_id=authorization.group(1) if authorization else None,
        leading_text=leading_text,
    )
