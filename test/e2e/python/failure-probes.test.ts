/**
 * The failure probes (`../failure-probes.ts`) for the example's Python function, on the Python shim:
 * the same layers and hints as the Node shim's.
 */
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { verifyFailureProbes } from '../failure-probes';
import { PYTHON_FUNCTION } from '../verification-steps';

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

verifyFailureProbes(PYTHON_FUNCTION, {
  describePrefix: '7. Python: ',
  rethrowTitle: 'Lambda reports the BedrockHubError itself when the Python handler raises it',
});
