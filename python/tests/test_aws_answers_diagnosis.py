"""Every answer of the shared catalogue of AWS's answers (``test/lambda-shim/fixtures/aws-answers.json``,
the one the Node shim's ``aws-answers-diagnosis.test.ts`` runs) through the Python shim's diagnosis: a
botocore ``ClientError`` with the entry's code and message given to ``assume_role_error`` (STS) or
``explain_bedrock_error`` (Bedrock), with what the shim knows taken from the entry's context; requests
refused before sending through ``check_bedrock_request``; the bearer-token warning through
``warn_about_bearer_bypass``. Layer, required terms and forbidden advice are asserted on the diagnosis
in the shim's own words (AWS's quoted message removed), as the Node test does.
"""

import json
from typing import Any, Dict, List, NamedTuple, Optional

import pytest
from botocore.exceptions import ClientError

from bedrock_hub_access.assume_role_diagnosis import AssumeRoleErrorContext, assume_role_error
from bedrock_hub_access.bearer_warning import reset_bearer_bypass_warning, warn_about_bearer_bypass
from bedrock_hub_access.bedrock_diagnosis import explain_bedrock_error
from bedrock_hub_access.bedrock_facts import BedrockCallDetails, BedrockErrorContext
from bedrock_hub_access.errors import BedrockHubError
from bedrock_hub_access.request_checks import check_bedrock_request
from conftest import REPO

CATALOGUE = REPO / "test" / "lambda-shim" / "fixtures" / "aws-answers.json"
ENTRIES: List[Dict[str, Any]] = json.loads(CATALOGUE.read_text(encoding="utf-8"))["entries"]
EXTERNAL_ID = "example-external-id-secret"
BEARER_TOKEN = "ABSKexampleBearerTokenValue"

PYTHON_TERMS = {"masterCredentials": "master_session"}
"""Terms of the catalogue that name a Node shim option, and the Python shim's name for the same option."""


class Diagnosis(NamedTuple):
    layer: Optional[str]
    text: str
    hint: str


def _client_error(entry: Dict[str, Any]) -> ClientError:
    response: Any = {
        "Error": {"Code": entry["code"], "Message": entry["message"]},
        "ResponseMetadata": {"HTTPStatusCode": entry["httpStatus"], "RequestId": "example-request-id"},
    }
    return ClientError(response, entry["operation"])


def diagnose(entry: Dict[str, Any]) -> Diagnosis:
    """What the Python shim makes of ``entry``: an error (layer, its text) or a warning (its text)."""
    c = entry["context"]
    role_arn: str = c["roleArn"]
    account = role_arn.split(":")[4]
    region: str = c["clientRegion"]
    if entry["expect"].get("warning"):
        env = {"BEDROCK_ASSUME_ROLE_ARN": role_arn, **({"AWS_BEARER_TOKEN_BEDROCK": BEARER_TOKEN} if c.get("bearerTokenInEnvironment") else {})}
        warnings: List[str] = []
        reset_bearer_bypass_warning()
        if c["hubMode"]:
            warn_about_bearer_bypass(env, role_arn, warnings.append)
        reset_bearer_bypass_warning()
        text = "".join(warnings)
        return Diagnosis(None, text, text)
    if entry["message"] is None:
        refused = check_bedrock_request(entry["operation"], {"modelId": c["modelId"]}, role_arn, account, region, False, lambda _: None)
        return Diagnosis(refused.layer, str(refused), refused.hint) if refused else Diagnosis("sent", "", "")
    if entry["service"] == "sts":
        error = assume_role_error(
            _client_error(entry),
            AssumeRoleErrorContext(
                role_arn=role_arn,
                sts_region=region,
                external_id_set=bool(c["externalIdSent"]),
                duration_seconds=3600,
                tag_keys=("team",) if c["sessionTagsConfigured"] else (),
                source_identity_set=bool(c["sourceIdentityConfigured"]),
            ),
        )
        layer, problem, hint = error.layer, str(error).split(": ", 1)[1], error.hint
    else:
        call = BedrockCallDetails(
            operation=entry["operation"],
            model_id=c["modelId"],
            guardrail_known="guardrailIdentifier" in c,
            guardrail_identifier=c.get("guardrailIdentifier"),
        )
        explained = explain_bedrock_error(_client_error(entry), BedrockErrorContext(role_arn, account, region), call)
        if explained is None:
            return Diagnosis("unexplained", "", "")
        layer, problem, hint = explained
        BedrockHubError(layer, problem, hint)  # a layer the shim knows
    # The shim's own words: AWS's message, quoted after "said:", is not the diagnosis.
    text = f"bedrock-hub-access ({layer}): {problem} {hint}".replace(entry["message"], "")
    return Diagnosis(layer, text, hint)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_the_diagnosis_of_every_answer_in_the_catalogue(entry: Dict[str, Any]) -> None:
    diagnosis = diagnose(entry)

    assert diagnosis.layer == entry["expect"]["layer"]
    lower = diagnosis.text.lower()
    for term in entry["expect"]["hintIncludes"]:
        term = PYTHON_TERMS.get(term, term)
        assert term.lower() in lower, f"the diagnosis lacks {term!r}: {diagnosis.text}"
    for term in entry["expect"]["hintExcludes"]:
        assert term.lower() not in lower, f"the diagnosis gives {term!r}: {diagnosis.text}"
    assert EXTERNAL_ID not in diagnosis.text
    assert BEARER_TOKEN not in diagnosis.text


def test_the_catalogue_is_the_shared_one_and_complete() -> None:
    assert len(ENTRIES) >= 40
    assert len({e["id"] for e in ENTRIES}) == len(ENTRIES)


def test_prints_the_layer_and_the_first_sentence_of_the_hint_for_each_of_the_issues_inputs(capsys: Any) -> None:
    lines = []
    for entry in (e for e in ENTRIES if e["family"] == "issue-input"):
        diagnosis = diagnose(entry)
        first = diagnosis.hint.split(". ")[0].rstrip(".") + "."
        lines.append(f"{entry['id']}: {diagnosis.layer or 'warning'}: {first}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert len(lines) == 11
