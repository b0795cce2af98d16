"""The first look at the function's environment: is hub mode on at all, and which region.

Kept apart from :mod:`bedrock_hub_access.config` so that a function deployed with hub mode off
loads nothing of the hub machinery (the contract's rules, STS, the credential cache).
"""

import re
from typing import Mapping, Optional

from ._contract import ENV, LAMBDA_ENV, REGION_PATTERN
from .errors import configuration_error

_REGION_PATTERN = re.compile(REGION_PATTERN)


def hub_mode_on(environ: Mapping[str, str]) -> bool:
    """Whether ``BEDROCK_ASSUME_ROLE_ARN`` or ``BEDROCK_ASSUME_ROLE_TARGETS`` is set (and not empty)."""
    return bool(environ.get(ENV["ROLE_ARN"])) or bool(environ.get(ENV["TARGETS"]))


def read_region(environ: Mapping[str, str], option: Optional[str], validate: bool) -> Optional[str]:
    """The ``region`` argument, else ``AWS_REGION``, else ``AWS_DEFAULT_REGION``; ``None`` when none is set.

    :raises BedrockHubError: layer ``configuration`` when ``validate`` and the value is not a region name
    """
    for name, value in (
        ("The `region` argument", option),
        (LAMBDA_ENV["REGION"], environ.get(LAMBDA_ENV["REGION"])),
        (LAMBDA_ENV["DEFAULT_REGION"], environ.get(LAMBDA_ENV["DEFAULT_REGION"])),
    ):
        if not value:
            continue
        if validate and not _REGION_PATTERN.search(value):
            raise configuration_error(name, f"'{value}' is not a region name.", "Use a region code such as us-east-1 or eu-central-1.")
        return value
    return None
