"""What failed, in which layer, and what to do about it.

:class:`BedrockHubError` names the layer (the same names as the Node shim's
``BedrockHubErrorLayer``, generated into :data:`bedrock_hub_access._contract.ERROR_LAYERS`) and
carries a hint. Which layer an AWS answer points at is the diagnosis modules' concern
(:mod:`bedrock_hub_access.assume_role_diagnosis`, :mod:`bedrock_hub_access.bedrock_diagnosis`).
"""

import re
from typing import Any, Dict, Optional

from botocore.exceptions import ClientError

from ._contract import ERROR_LAYERS


class BedrockHubError(Exception):
    """An error of the hub path, with the layer that failed and what to do.

    ``str(error)`` reads ``bedrock-hub-access (<layer>): <what happened> <hint>``, so the whole
    diagnosis shows wherever only the message is logged. The original error is ``__cause__``.

    :ivar layer: which layer failed, one of :data:`ERROR_LAYERS` (``configuration``,
        ``sts-unreachable``, ``trust-policy``, ``identity-mismatch``, …)
    :ivar hint: what to do about it
    """

    def __init__(self, layer: str, problem: str, hint: str) -> None:
        if layer not in ERROR_LAYERS:
            raise ValueError(f"unknown BedrockHubError layer {layer!r}")
        # Not super(): an explained service error also derives from the service's own exception class.
        Exception.__init__(self, f"bedrock-hub-access ({layer}): {problem} {hint}")
        self.layer = layer
        self.hint = hint

    def to_dict(self) -> Dict[str, Any]:
        """A structured form for JSON logs; the cause is reduced to its type, code and message."""
        cause = self.__cause__
        return {
            "name": "BedrockHubError",
            "layer": self.layer,
            "message": str(self),
            "hint": self.hint,
            "cause": None if cause is None else {"type": type(cause).__name__, "code": error_code(cause), "message": error_message(cause)},
        }


def configuration_error(name: str, problem: str, fix: str) -> BedrockHubError:
    """A bad variable or option value: ``name`` is the variable, ``problem`` reads on from it."""
    joiner = " " if re.match(r"[a-z]", problem) else ": "
    return BedrockHubError("configuration", f"{name}{joiner}{problem}", fix)


def error_code(error: BaseException) -> Optional[str]:
    """The service error code (``AccessDenied``, ``ExpiredTokenException``, …) of a botocore ``ClientError``."""
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code")
        return code if isinstance(code, str) and code else None
    return None


def error_message(error: BaseException) -> str:
    """The service's own message for a ``ClientError``; the exception text otherwise."""
    if isinstance(error, ClientError):
        message = error.response.get("Error", {}).get("Message")
        return message if isinstance(message, str) else ""
    return str(error)


def is_expired_token_code(code: Optional[str]) -> bool:
    """``ExpiredToken`` (STS, query protocol) or ``ExpiredTokenException`` (JSON protocols)."""
    return code in ("ExpiredToken", "ExpiredTokenException")
