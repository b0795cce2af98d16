"""The access-denied parser reads every access-denied sentence of the shared catalogue of AWS's answers
(``test/lambda-shim/fixtures/aws-answers.json``) into the parts its ``parsed`` expectation gives, the
expectation the Node shim's parser meets too; text without such a sentence gives ``None``."""

import json
import re
from typing import Any, Dict, List, Optional

import pytest

from bedrock_hub_access.access_denied_message import parse_access_denied_message
from conftest import REPO

ENTRIES: List[Dict[str, Any]] = json.loads((REPO / "test" / "lambda-shim" / "fixtures" / "aws-answers.json").read_text(encoding="utf-8"))[
    "entries"
]
PARSED = [e for e in ENTRIES if "parsed" in e]
OTHERS = [e for e in ENTRIES if "parsed" not in e and e["message"] is not None]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def as_catalogue_fields(message: str) -> Optional[Dict[str, Any]]:
    """The parse of ``message`` in the catalogue's shape: camelCase keys, parts the message lacks left out."""
    parsed = parse_access_denied_message(message)
    if parsed is None:
        return None
    return {_camel(key): value for key, value in parsed._asdict().items() if value is not None}


@pytest.mark.parametrize("entry", PARSED, ids=[e["id"] for e in PARSED])
def test_an_access_denied_sentence_parses_to_its_expectation(entry: Dict[str, Any]) -> None:
    assert as_catalogue_fields(entry["message"]) == entry["parsed"]


@pytest.mark.parametrize("entry", OTHERS, ids=[e["id"] for e in OTHERS])
def test_other_answers_hold_no_access_denied_sentence(entry: Dict[str, Any]) -> None:
    has_sentence = re.search(r"\bnot authorized to perform:? [A-Za-z0-9-]+:[A-Za-z0-9*]+", entry["message"], re.I) is not None
    assert (as_catalogue_fields(entry["message"]) is None) == (not has_sentence)


def test_the_variations_aws_uses() -> None:
    quoted = as_catalogue_fields('User: arn:aws:iam::111122223333:user/ops is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::bucket/key"')
    assert quoted is not None and quoted["resourceArn"] == "arn:aws:s3:::bucket/key" and quoted["denyKind"] == "unstated"
    embedded = as_catalogue_fields(
        "Model access is denied due to User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform: "
        "bedrock:InvokeModel with an explicit deny in the role trust policy."
    )
    assert embedded == {
        "action": "bedrock:InvokeModel",
        "denyKind": "explicit",
        "principalArn": "arn:aws:sts::111122223333:assumed-role/R/s",
        "principalAccount": "111122223333",
        "policyType": "role-trust",
        "policyTypeText": "role trust policy",
        "leadingText": "Model access is denied due to",
    }
    assert parse_access_denied_message("Throttling: Rate exceeded") is None
