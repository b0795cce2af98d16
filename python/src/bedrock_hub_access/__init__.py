"""``bedrock_hub_access``: call Amazon Bedrock from a workload-account Lambda through a role in the hub account.

.. code-block:: python

    from bedrock_hub_access import get_bedrock_session, get_bedrock_hub_session

    bedrock = get_bedrock_session().client("bedrock-runtime")  # the IDP Accelerator's factory, drop-in
    hub = get_bedrock_hub_session()                            # or the session object
    agents = hub.for_resource(agent_alias_arn).client("bedrock-agent-runtime")
    model = BedrockModel(boto_session=hub.boto3_session)       # frameworks take the session or hub.credentials

It reads the ``BEDROCK_ASSUME_ROLE_*`` variables the ``BedrockHubAccess`` construct sets, with the same
rules as the Node shim (generated from the same contract). Unset or empty role ARN: plain boto3.
"""

from ._contract import ENV, ERROR_LAYERS
from .credentials import HubCredentialProvider, HubCredentials
from .errors import BedrockHubError
from .session import (
    BedrockHubIdentity,
    BedrockHubSession,
    get_bedrock_hub_session,
    get_bedrock_session,
    reset,
    reset_cached_session,
)

__all__ = [
    "ENV",
    "ERROR_LAYERS",
    "BedrockHubError",
    "BedrockHubIdentity",
    "BedrockHubSession",
    "HubCredentialProvider",
    "HubCredentials",
    "get_bedrock_hub_session",
    "get_bedrock_session",
    "reset",
    "reset_cached_session",
]
