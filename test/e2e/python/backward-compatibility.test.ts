/**
 * The reference's "How to verify", point 1, for a Python function: parameter mode deployed with an
 * empty `BedrockHubRoleArn` behaves exactly as before. The Python function gets no hub variable and
 * no AssumeRole permission, and the shim's `get_bedrock_session()` is a plain boto3 session: its
 * Bedrock calls go out with the function's own credentials, in its own account, under its own
 * policy. The same template with the parameter set goes through the hub.
 */
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { PYTHON_FUNCTION, verifyHubModeOff } from '../verification-steps';

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

verifyHubModeOff(PYTHON_FUNCTION, {
  describePrefix: 'Python function, ',
  ownPolicyTitle: 'the function\'s own policy still decides: a call it does not allow is denied in the workload account, unexplained',
  // The newest boto3, which has GetInferenceProfile.
  ownPolicyStartOptions: { boto3: 'latest' },
});
