"""The contract's rules, for Python: the same checks and texts as ``src/contract`` (TypeScript).

Names, patterns and limits come from :mod:`bedrock_hub_access._contract`, which is generated from
``src/contract``; the functions here apply them as the TypeScript functions of the same names do.
``test/python/contract.test.ts`` and ``python/tests/test_contract.py`` check both sides against one
table of values (``python/tests/fixtures/contract-cases.json``).

Every pattern is the TypeScript one, translated to Python ``re`` by the generator (which refuses
syntax the two engines read differently): ``search`` gives the JavaScript ``test()`` verdict, ``\\w``
is ASCII, ``\\s`` is JavaScript's whitespace, ``$`` allows no trailing newline. Lengths count UTF-16
code units (``String.length``), as JavaScript does.

AWS sources: IAM ARNs (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html), STS
AssumeRole parameters (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html),
session tags (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html).
"""

import json
import re
import unicodedata
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Union

from . import _contract
from ._contract import (
    DURATION_LIMITS,
    EXTERNAL_ID_LIMITS,
    PARTITIONS,
    SESSION_NAME_LIMITS,
    SESSION_TAG_LIMITS,
    STS_REGION_LIMITS,
)

# The contract's patterns, translated from the JavaScript RegExps: ``search`` gives ``test()``'s verdict.
ROLE_ARN_PATTERN = re.compile(_contract.ROLE_ARN_PATTERN)
EXTERNAL_ID_PATTERN = re.compile(_contract.EXTERNAL_ID_PATTERN)
SESSION_NAME_PATTERN = re.compile(_contract.SESSION_NAME_PATTERN)
ACCOUNT_ID_PATTERN = re.compile(_contract.ACCOUNT_ID_PATTERN)
REGION_PATTERN = re.compile(_contract.REGION_PATTERN)

_EXTERNAL_ID_CHAR = re.compile(r"[\w+=,.@:/-]", re.ASCII)
_SESSION_NAME_CHAR = re.compile(r"[\w+=,.@-]", re.ASCII)
_PASTED_EXTERNAL_ID = re.compile(r"[\s,;|]+external[\s_-]?id\s*[:=]", re.IGNORECASE)
_TAG_PUNCTUATION = "_.:/=+-@"
# JavaScript's String.prototype.trim() whitespace (Python's str.strip() differs on U+FEFF and U+001C–U+001F).
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_length(value: str) -> int:
    """``value.length`` in JavaScript: UTF-16 code units."""
    return len(value.encode("utf-16-le")) // 2


def _js_number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _is_js_whitespace(char: str) -> bool:
    return char in _JS_WHITESPACE


class RoleArnParts(NamedTuple):
    """The parts of a valid role ARN."""

    partition: str
    account: str
    path: str
    role_name: str


def parse_role_arn(arn: str) -> Optional[RoleArnParts]:
    """Splits a role ARN that matches the contract's pattern; ``None`` for anything else."""
    if not ROLE_ARN_PATTERN.search(arn):
        return None
    _, partition, _, _, account, resource = arn.split(":", 5)
    role_path = resource[len("role/"):]
    slash = role_path.rfind("/")
    return RoleArnParts(
        partition=partition,
        account=account,
        path="/" if slash < 0 else "/" + role_path[: slash + 1],
        role_name=role_path[slash + 1:],
    )


def describe_role_arn_problem(value: str) -> Optional[str]:
    """Why ``value`` is not a usable role ARN, with the fix; ``None`` when it is one.

    Never repeats what follows a whitespace character or a pasted ``ExternalId=``: that is where a
    pasted ExternalId (a secret) would be.
    """
    pasted = _PASTED_EXTERNAL_ID.search(value)
    if pasted:
        return (
            f"contains an ExternalId after the role name (at character {pasted.start() + 1}), so it is not the role ARN alone. "
            "It looks like the role ARN and the ExternalId were pasted into one value: pass the ARN alone, and the ExternalId in its own setting."
        )
    if ROLE_ARN_PATTERN.search(value):
        return None
    ws = re.search(r"\s", value)
    if ws:
        pasted_together = bool(re.search(r"externalid|external[\s_-]?id", value, re.IGNORECASE)) or bool(
            re.match(r"arn:\S+\s+\S", value.strip(_JS_WHITESPACE))
        )
        return f"contains whitespace (at character {ws.start() + 1}), so it is not a role ARN. " + (
            "It looks like the role ARN and the ExternalId were pasted into one value: pass the ARN alone, and the ExternalId in its own setting."
            if pasted_together
            else "Remove the whitespace: a role ARN looks like arn:aws:iam::111122223333:role/BedrockHubRole."
        )
    shape = "a role ARN looks like arn:aws:iam::111122223333:role/BedrockHubRole"
    parts = value.split(":")
    if len(parts) < 6 or parts[0] != "arn":
        return f"'{value}' is not an ARN: {shape}."
    partition, service, region, account = parts[1], parts[2], parts[3], parts[4]
    resource = ":".join(parts[5:])
    if partition not in PARTITIONS:
        return f"'{value}' has the unknown partition '{partition}': use one of {', '.join(PARTITIONS)}."
    if service == "sts" and resource.startswith("assumed-role/"):
        pieces = resource.split("/")
        role_name = pieces[1] if len(pieces) > 1 else "RoleName"
        return (
            f"'{value}' is an assumed-role session ARN, not a role ARN: use the role itself, "
            f"arn:{partition}:iam::{account}:role/{role_name} (plus its path, if it has one)."
        )
    if service != "iam":
        return f"'{value}' is an ARN of the '{service}' service, not an IAM role: {shape}."
    if region != "":
        return f"'{value}' names a region ('{region}'); IAM ARNs have none: {shape}."
    if not ACCOUNT_ID_PATTERN.search(account):
        return (
            f"'{value}' has the account '{account}', which is not 12 digits: "
            "give the hub account id with all 12 digits (leading zeros included)."
        )
    if resource.startswith("user/") or resource.startswith("group/") or resource == "root":
        kind = "account root" if resource == "root" else resource.split("/")[0]
        return f"'{value}' is an IAM {kind} ARN, not a role: {shape}."
    if not resource.startswith("role/"):
        return f"'{value}' is not a role ARN (the resource must start with 'role/'): {shape}."
    name = resource.split("/")[-1]
    if name == "":
        return f"'{value}' ends in '/' and has no role name: {shape}."
    if js_length(name) > 64:
        return f"'{value}' has a role name of {js_length(name)} characters; IAM allows at most 64."
    return (
        f"'{value}' has characters IAM does not allow in a role name "
        f"(allowed: letters, digits and + = , . @ _ -): {shape}."
    )


def _first_bad(value: str, allowed: "re.Pattern[str]") -> str:
    for char in value:
        if not allowed.fullmatch(char):
            return "whitespace" if char.isspace() or _is_js_whitespace(char) else f"the character '{char}'"
    return "the character ''"


def _length_problem(value: str, limits: Mapping[str, int]) -> Optional[str]:
    """``has N characters; STS requires MIN to MAX.`` when ``value``'s length (in UTF-16 units, as STS
    counts) is outside ``limits`` (``min``, ``max``); ``None`` when it is within."""
    low, high = limits["min"], limits["max"]
    length = js_length(value)
    if length < low or length > high:
        return f"has {length} characters; STS requires {low} to {high}."
    return None


def describe_external_id_problem(value: str) -> Optional[str]:
    """Why ``value`` is not a usable ExternalId; never repeats the value (it is a secret)."""
    if EXTERNAL_ID_PATTERN.search(value):
        return None
    length_problem = _length_problem(value, EXTERNAL_ID_LIMITS)
    if length_problem:
        return length_problem
    return (
        f"contains {_first_bad(value, _EXTERNAL_ID_CHAR)}; STS allows only letters, digits and + = , . @ : / _ - "
        "(the value itself is not shown: it is a secret)."
    )


def describe_session_name_problem(value: str) -> Optional[str]:
    """Why ``value`` is not a usable RoleSessionName; ``None`` when it is one."""
    if SESSION_NAME_PATTERN.search(value):
        return None
    length_problem = _length_problem(value, SESSION_NAME_LIMITS)
    if length_problem:
        return f"'{value}' {length_problem}"
    return f"'{value}' contains {_first_bad(value, _SESSION_NAME_CHAR)}; STS allows only letters, digits and + = , . @ _ -."


def describe_duration_problem(seconds: float) -> Optional[str]:
    """Why ``seconds`` is not a usable DurationSeconds for a role-chained session (Lambda caps it at one hour)."""
    low, high = DURATION_LIMITS["min"], DURATION_LIMITS["max"]
    whole = float(seconds).is_integer()
    if whole and low <= seconds <= high:
        return None
    shown = _js_number_text(float(seconds))
    if not whole:
        return f"{shown} is not a whole number of seconds; use {low} to {high}."
    if seconds > high:
        return (
            f"{shown} s is more than {high} s: from Lambda this is role chaining, which STS caps at one hour "
            f"whatever the role's MaxSessionDuration. Use {high} or less."
        )
    return f"{shown} s is less than STS's minimum of {low} s (15 minutes)."


def sanitize_session_name(name: str) -> str:
    """Turns any name (usually the function name) into a valid RoleSessionName, as the TypeScript side does."""
    if name.strip(_JS_WHITESPACE) == "":
        return "bedrock-hub-access"
    # JavaScript replaces per UTF-16 code unit: a character outside the BMP becomes two '-'.
    cleaned = "".join(
        char if _SESSION_NAME_CHAR.fullmatch(char) else ("--" if ord(char) > 0xFFFF else "-") for char in name
    )[: SESSION_NAME_LIMITS["max"]]
    while len(cleaned) < SESSION_NAME_LIMITS["min"]:
        cleaned += "-"
    return cleaned


def _is_tag_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LZN" or char in _TAG_PUNCTUATION


def _tag_text_ok(value: str) -> bool:
    return all(_is_tag_char(char) for char in value)


def describe_tag_key_problem(key: str) -> Optional[str]:
    """Why a session tag key is not usable; ``None`` when it is."""
    length = js_length(key)
    if length < 1 or length > SESSION_TAG_LIMITS["keyMax"]:
        return f"tag key '{key}' has {length} characters; STS allows 1 to {SESSION_TAG_LIMITS['keyMax']}."
    if not _tag_text_ok(key):
        return f"tag key '{key}' has characters STS does not allow (letters, digits, spaces and _ . : / = + - @)."
    if key[:4].lower() == "aws:":
        return f"tag key '{key}' starts with 'aws:', which is reserved."
    return None


def describe_tag_value_problem(key: str, value: str) -> Optional[str]:
    """Why a session tag value is not usable; ``None`` when it is."""
    length = js_length(value)
    if length > SESSION_TAG_LIMITS["valueMax"]:
        return f"tag '{key}' has a value of {length} characters; STS allows at most {SESSION_TAG_LIMITS['valueMax']}."
    if not _tag_text_ok(value):
        return f"tag '{key}' has a value with characters STS does not allow (letters, digits, spaces and _ . : / = + - @)."
    return None


def describe_session_tags_problem(tags: Mapping[str, str]) -> Optional[str]:
    """Why a set of session tags is not usable (count, keys, values, keys differing only in case)."""
    if len(tags) > SESSION_TAG_LIMITS["maxTags"]:
        return f"has {len(tags)} tags; STS allows at most {SESSION_TAG_LIMITS['maxTags']} session tags."
    lower: Dict[str, str] = {}
    for key, value in tags.items():
        problem = describe_tag_key_problem(key) or describe_tag_value_problem(key, value)
        if problem:
            return problem
        clash = lower.get(key.lower())
        if clash is not None:
            return f"tag keys '{clash}' and '{key}' differ only in case; STS treats them as the same key."
        lower[key.lower()] = key
    return None


def describe_source_identity_problem(value: str) -> Optional[str]:
    """``SourceIdentity``: 2–64 characters of ``[\\w+=,.@-]``, not starting with ``aws:``."""
    if value[:4].lower() == "aws:":
        return f"'{value}' starts with 'aws:', which STS reserves."
    return describe_session_name_problem(value)


def sanitize_tag_value(value: str) -> str:
    """Sanitises a value (usually the function name) into a session tag value: disallowed characters become '-'."""
    return "".join(char if _is_tag_char(char) else "-" for char in value)[: SESSION_TAG_LIMITS["valueMax"]]


class TargetRole(NamedTuple):
    """One target role of ``BEDROCK_ASSUME_ROLE_TARGETS``."""

    role_arn: str
    external_id: Optional[str] = None


def parse_targets(text: str) -> Union[List[TargetRole], str]:
    """Parses and validates ``BEDROCK_ASSUME_ROLE_TARGETS``: the targets, or the problem (never an external ID value)."""
    try:
        value: Any = json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return (
            'is not valid JSON: expected an array like '
            '[{"roleArn":"arn:aws:iam::333333333333:role/AgentRole","externalId":"..."}].'
        )
    if not isinstance(value, list):
        return 'must be a JSON array of {"roleArn", "externalId"?} objects.'
    seen: Dict[str, str] = {}
    targets: List[TargetRole] = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("roleArn"), str):
            return f'entry {i} must be an object with a string "roleArn".'
        unknown = [k for k in item if k not in ("roleArn", "externalId")]
        if unknown:
            return f'entry {i} has unknown field(s) {", ".join(unknown)}; only "roleArn" and "externalId" are allowed.'
        arn_problem = describe_role_arn_problem(item["roleArn"])
        if arn_problem:
            return f'entry {i} "roleArn": {arn_problem}'
        if "externalId" in item:
            external_id = item["externalId"]
            id_problem = describe_external_id_problem(external_id) if isinstance(external_id, str) else "must be a string."
            if id_problem:
                return f'entry {i} "externalId" {id_problem}'
        parts = parse_role_arn(item["roleArn"])
        assert parts is not None
        previous = seen.get(parts.account)
        if previous is not None:
            return f"entries {previous} and {i} both target account {parts.account}; give one role per account."
        seen[parts.account] = str(i)
        targets.append(TargetRole(item["roleArn"], item.get("externalId")))
    return targets


def _reject_constant(name: str) -> Any:
    # JSON.parse refuses NaN and Infinity; so does this side.
    raise ValueError(f"{name} is not JSON")


# ---------------------------------------------------------------------------
# Account ids and value display (Bedrock ids and ARNs: bedrock_resources.py)
# ---------------------------------------------------------------------------

_QUOTES = "\"'`\u2018\u2019\u201c\u201d"
_STRAY_NAMES = {
    " ": "space",
    "\t": "tab",
    "\n": "newline",
    "\r": "carriage return",
    "\u00a0": "non-breaking space",
    "\u200b": "zero-width space",
    "\ufeff": "byte-order mark",
}


def _stray_name(char: str) -> Optional[str]:
    if char == "":
        return None
    if char in _QUOTES:
        return f"'{char}'"
    if char in _STRAY_NAMES:
        return _STRAY_NAMES[char]
    return "whitespace character" if _is_js_whitespace(char) or char.isspace() else None


def show_value(value: str) -> str:
    """A value as a message shows it: JSON-quoted, invisible characters escaped, long values cut."""
    shown = json.dumps(value[:100] + "…" if len(value) > 100 else value, ensure_ascii=False)
    return re.sub(r"[^\x20-\x7e…]", lambda m: "\\u%04x" % ord(m.group(0)), shown)


def describe_stray_character(value: str) -> Optional[str]:
    """Names a quote or whitespace character in ``value``; ``None`` when there is none."""
    first = _stray_name(value[:1])
    last = _stray_name(value[-1:])
    if len(value) > 1 and first and first == last:
        return f"{show_value(value)} is wrapped in {first}"
    if first:
        return f"{show_value(value)} has a leading {first}"
    if last:
        return f"{show_value(value)} has a trailing {last}"
    for i, char in enumerate(value):
        name = _stray_name(char)
        if name:
            return f"{show_value(value)} contains {name if name.startswith(chr(39)) else 'a ' + name} at character {i + 1}"
    return None


def describe_account_id_problem(value: str) -> Optional[str]:
    """Why ``value`` is not a 12-digit account id; ``None`` when it is one."""
    if ACCOUNT_ID_PATTERN.search(value):
        return None
    stray = describe_stray_character(value)
    if stray:
        return f"{stray}; an account id is 12 digits."
    return f"{show_value(value)} is not 12 digits; an account id is 12 digits, leading zeros included."


def split_sts_regions(value: str) -> List[str]:
    """The entries of a ``BEDROCK_ASSUME_ROLE_STS_REGIONS`` value (comma-separated, spaces around entries ignored); ``[]`` when empty."""
    return [] if value == "" else [entry.strip(_JS_WHITESPACE) for entry in value.split(",")]


def describe_sts_region_list_problem(regions: List[str]) -> Optional[str]:
    """Why a list of STS regions is unusable, or ``None``: each entry a region code, none twice, at most
    ``STS_REGION_LIMITS["max"]``. An empty list is usable (no failover)."""
    bad = next((entry for entry in regions if not REGION_PATTERN.search(entry)), None)
    if bad is not None:
        if bad == "":
            return "has an empty entry (two commas in a row, or a trailing comma)"
        return f"has {json.dumps(bad, ensure_ascii=False)}, which is not a region code (e.g. us-east-1)"
    duplicate = next((entry for i, entry in enumerate(regions) if regions.index(entry) != i), None)
    if duplicate is not None:
        return f"names {duplicate} twice"
    if len(regions) > STS_REGION_LIMITS["max"]:
        return f"names {len(regions)} regions; at most {STS_REGION_LIMITS['max']} are allowed"
    return None


def describe_sts_regions_problem(value: str) -> Optional[str]:
    """Why a ``BEDROCK_ASSUME_ROLE_STS_REGIONS`` value is unusable, or ``None`` when it is usable (empty included)."""
    return describe_sts_region_list_problem(split_sts_regions(value))
