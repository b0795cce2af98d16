"""The function's environment, read and validated once, into the settings of the hub session.

The same variables, rules and messages as the Node shim's ``lambda-shim/config.ts``; names,
patterns and limits come from the shared contract (:mod:`bedrock_hub_access._contract`).
"""

import json
import os
import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

from ._contract import DURATION_LIMITS, ENV, LAMBDA_ENV
from .contract import (
    describe_duration_problem,
    describe_external_id_problem,
    describe_role_arn_problem,
    describe_session_name_problem,
    describe_session_tags_problem,
    describe_source_identity_problem,
    describe_sts_regions_problem,
    describe_tag_key_problem,
    parse_role_arn,
    parse_targets,
    sanitize_session_name,
    sanitize_tag_value,
    split_sts_regions,
)
from .environment import read_region
from .errors import configuration_error

DEFAULT_DURATION_SECONDS = DURATION_LIMITS["max"]
"""``DurationSeconds`` when ``BEDROCK_ASSUME_ROLE_DURATION_SECONDS`` is not set: the role-chaining maximum."""

_JS_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_JS_RADIX = {"0x": 16, "0o": 8, "0b": 2}


class RoleTarget(NamedTuple):
    """One role to assume and everything that makes its sessions distinct (one credential cache each)."""

    role_arn: str
    account: str
    partition: str
    external_id: Optional[str]
    """Secret: never logged, never part of a message."""
    session_name: str
    duration_seconds: int
    sts_region: str
    """The first of ``sts_regions``: STS is called in it first, on its regional endpoint."""
    sts_endpoint: Optional[str]
    """From an injected environment only; with ``os.environ`` botocore resolves configured endpoints itself."""
    tags: Tuple[Tuple[str, str], ...]
    source_identity: Optional[str]
    sts_regions: Tuple[str, ...] = ()
    """The STS regions, most preferred first (``BEDROCK_ASSUME_ROLE_STS_REGIONS``); ``()`` means ``(sts_region,)``."""

    def key(self) -> Tuple[Any, ...]:
        """The identity of a role session: targets with equal keys share one credential cache."""
        return tuple(self)


class HubConfig(NamedTuple):
    """The validated settings of a hub session."""

    region: Optional[str]
    target: Optional[RoleTarget]
    """The hub role; ``None`` when hub mode is off."""
    targets: Tuple[RoleTarget, ...]
    """The roles of ``BEDROCK_ASSUME_ROLE_TARGETS``, one per account other than the hub's."""


def _present(value: Optional[str]) -> bool:
    return value is not None and value != ""


def read_hub_config(env: Optional[Mapping[str, str]] = None, region: Optional[str] = None) -> HubConfig:
    """Reads and validates the hub settings before anything is called.

    Neither ``BEDROCK_ASSUME_ROLE_ARN`` nor ``BEDROCK_ASSUME_ROLE_TARGETS`` set: hub mode is off and
    nothing is validated. Targets without a role ARN are valid (hub mode off, targets through roles).

    :param env: where the variables are read; default ``os.environ``
    :param region: overrides ``AWS_REGION`` / ``AWS_DEFAULT_REGION``
    :raises BedrockHubError: layer ``configuration``, naming the variable and the fix
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    role_arn = environ.get(ENV["ROLE_ARN"])
    targets_json = environ.get(ENV["TARGETS"])
    if not _present(role_arn) and not _present(targets_json):
        return HubConfig(region=read_region(environ, region, validate=False), target=None, targets=())
    resolved_region = read_region(environ, region, validate=True)

    hub: Optional[Tuple[str, str, str, Optional[str]]] = None
    if role_arn:
        problem = describe_role_arn_problem(role_arn)
        parts = parse_role_arn(role_arn)
        if problem is not None or parts is None:
            raise configuration_error(
                ENV["ROLE_ARN"],
                problem or "is not a role ARN.",
                f"Set {ENV['ROLE_ARN']} to the hub role's ARN alone (the BedrockHubAccess construct writes it), or leave it empty to turn hub mode off.",
            )
        external_id = environ.get(ENV["EXTERNAL_ID"])
        if external_id:
            _reject_problem(
                ENV["EXTERNAL_ID"],
                describe_external_id_problem(external_id),
                f"Set {ENV['EXTERNAL_ID']} to the value of the hub role's sts:ExternalId condition, or leave it empty if the trust policy has none.",
            )
        hub = (role_arn, parts.account, parts.partition, external_id or None)

    session_name_value = environ.get(ENV["SESSION_NAME"])
    session_name = session_name_value if session_name_value else sanitize_session_name(environ.get(LAMBDA_ENV["FUNCTION_NAME"]) or "")
    _reject_problem(
        ENV["SESSION_NAME"],
        describe_session_name_problem(session_name),
        f"Fix {ENV['SESSION_NAME']}, or leave it empty to use the function name ({LAMBDA_ENV['FUNCTION_NAME']}), made valid.",
    )

    duration = _read_duration(environ.get(ENV["DURATION_SECONDS"]))
    tags = _read_session_tags(environ)
    source_identity = _read_source_identity(environ.get(ENV["SOURCE_IDENTITY"]))

    if resolved_region is None:
        raise configuration_error(
            LAMBDA_ENV["REGION"],
            "is not set, so there is no region to call STS and Bedrock in.",
            f"Set {LAMBDA_ENV['REGION']} (Lambda always does), or pass `region` to get_bedrock_session().",
        )

    sts_regions = _read_sts_regions(environ.get(ENV["STS_REGIONS"])) or (resolved_region,)
    sts_endpoint = None if env is None or env is os.environ else _configured_sts_endpoint(environ)

    def role(r: Tuple[str, str, str, Optional[str]]) -> RoleTarget:
        return RoleTarget(r[0], r[1], r[2], r[3], session_name, duration, sts_regions[0], sts_endpoint, tags, source_identity, sts_regions)

    return HubConfig(
        region=resolved_region,
        target=role(hub) if hub else None,
        targets=tuple(role(t) for t in _read_targets(targets_json, hub[1] if hub else None)) if targets_json else (),
    )


def _read_sts_regions(value: Optional[str]) -> Tuple[str, ...]:
    if not _present(value):
        return ()
    assert value is not None
    _reject_problem(
        ENV["STS_REGIONS"],
        describe_sts_regions_problem(value),
        f"Set {ENV['STS_REGIONS']} to comma-separated region codes, most preferred first (e.g. us-east-1,us-west-2), "
        "or leave it empty to call STS in the function's region.",
    )
    return tuple(split_sts_regions(value))


def _read_targets(text: str, hub_account: Optional[str]) -> List[Tuple[str, str, str, Optional[str]]]:
    fix = (
        f'Set {ENV["TARGETS"]} to a JSON array with one {{"roleArn", "externalId"?}} per account other than the hub\'s '
        "(the BedrockHubAccess construct writes it), or leave it empty."
    )
    parsed = parse_targets(text)
    if isinstance(parsed, str):
        raise configuration_error(ENV["TARGETS"], parsed, fix)
    result = []
    for i, target in enumerate(parsed):
        parts = parse_role_arn(target.role_arn)
        assert parts is not None
        if parts.account == hub_account:
            raise configuration_error(
                ENV["TARGETS"],
                f"entry {i} is in account {parts.account}, the account of {ENV['ROLE_ARN']}: that account is served by the hub role.",
                fix,
            )
        result.append((target.role_arn, parts.account, parts.partition, target.external_id))
    return result


def _js_type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "object"


def _read_session_tags(environ: Mapping[str, str]) -> Tuple[Tuple[str, str], ...]:
    fix = (
        f"Set {ENV['SESSION_TAGS']} to a JSON object of tag key → string value (at most 50 tags, counting the one under "
        f"{ENV['FUNCTION_NAME_TAG_KEY']}), or leave it empty."
    )
    tags: Dict[str, str] = {}
    text = environ.get(ENV["SESSION_TAGS"])
    if text:
        try:
            value = json.loads(text, parse_constant=_reject_constant)
        except ValueError:
            raise configuration_error(
                ENV["SESSION_TAGS"], 'is not valid JSON: expected an object like {"team":"orders","cost-center":"1234"}.', fix
            ) from None
        if not isinstance(value, dict):
            raise configuration_error(ENV["SESSION_TAGS"], 'must be a JSON object of tag key → value, like {"team":"orders"}.', fix)
        for key, tag_value in value.items():
            if not isinstance(tag_value, str):
                raise configuration_error(
                    ENV["SESSION_TAGS"], f"tag '{key}' has a {_js_type_name(tag_value)} value; session tag values are strings.", fix
                )
            tags[key] = tag_value
    function_name_key = environ.get(ENV["FUNCTION_NAME_TAG_KEY"])
    if function_name_key:
        key_fix = f"Set {ENV['FUNCTION_NAME_TAG_KEY']} to a tag key that is not in {ENV['SESSION_TAGS']}, or leave it empty."
        _reject_problem(ENV["FUNCTION_NAME_TAG_KEY"], describe_tag_key_problem(function_name_key), key_fix)
        clash = next((k for k in tags if k.lower() == function_name_key.lower()), None)
        if clash is not None:
            raise configuration_error(
                ENV["FUNCTION_NAME_TAG_KEY"],
                f"'{function_name_key}' is also a key of {ENV['SESSION_TAGS']} ('{clash}'); STS treats tag keys case-insensitively.",
                key_fix,
            )
        function_name = environ.get(LAMBDA_ENV["FUNCTION_NAME"])
        if function_name:
            tags[function_name_key] = sanitize_tag_value(function_name)
    _reject_problem(ENV["SESSION_TAGS"], describe_session_tags_problem(tags), fix)
    return tuple(tags.items())


def _reject_problem(variable: str, problem: Optional[str], fix: str) -> None:
    """Raises the configuration error naming ``variable`` when a contract check found a ``problem``."""
    if problem is not None:
        raise configuration_error(variable, problem, fix)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _read_source_identity(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    _reject_problem(
        ENV["SOURCE_IDENTITY"],
        describe_source_identity_problem(value),
        f"Set {ENV['SOURCE_IDENTITY']} to 2–64 letters, digits and + = , . @ _ - (not starting with aws:), or leave it empty.",
    )
    return value


def js_number(text: str) -> float:
    """``Number(text)`` in JavaScript for a value without surrounding whitespace (NaN when it is no number)."""
    prefix = text[:2].lower()
    if prefix in _JS_RADIX:
        try:
            return float(int(text[2:], _JS_RADIX[prefix])) if text[2:].isalnum() else float("nan")
        except ValueError:
            return float("nan")
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return float(text.replace("Infinity", "inf"))
    return float(text) if _JS_DECIMAL.fullmatch(text) else float("nan")


def _read_duration(value: Optional[str]) -> int:
    if not value:
        return DEFAULT_DURATION_SECONDS
    low, high = DURATION_LIMITS["min"], DURATION_LIMITS["max"]
    fix = f"Set {ENV['DURATION_SECONDS']} to a whole number of seconds from {low} to {high}, or leave it empty for {DEFAULT_DURATION_SECONDS}."
    trimmed = value.strip(" \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
    seconds = js_number(value) if trimmed == value and trimmed != "" else float("nan")
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise configuration_error(ENV["DURATION_SECONDS"], f"'{value}' is not a number of seconds.", fix)
    _reject_problem(ENV["DURATION_SECONDS"], describe_duration_problem(seconds), fix)
    return int(seconds)


def _configured_sts_endpoint(environ: Mapping[str, str]) -> Optional[str]:
    """The STS endpoint an injected environment configures: service-specific before global, none when ignored."""
    if (environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") or "").lower() == "true":
        return None
    return environ.get("AWS_ENDPOINT_URL_STS") or environ.get("AWS_ENDPOINT_URL") or None
