/**
 * The reference's "How to verify", points 2, 3, 4 and 6, for a Python function: the example's
 * python3.13 function (`python_handler/handler.py`, on the Python shim), run as a warm Lambda
 * environment with the template's environment, the execution-role credentials the emulator issued
 * and the boto3 the Lambda runtime ships. The workload role has no Bedrock permission at all;
 * every claim is read from the emulator's CloudTrail.
 */
import { HUB_ACCOUNT, WORKLOAD_STACK_PREFIX } from '../../fixtures/hub-app/app';
import { ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS } from '../../fixtures/hub-app/python-runtime';
import { bedrockOperations, LOCAL_OPERATIONS } from '../../fixtures/hub-app/scenario';
import { isBedrock, signerOf } from '../../fixtures/hub-app/trail';
import { resultOf } from '../helpers';
import { PYTHON_FUNCTION, verifyAttribution } from '../verification-steps';

// The virtualenvs with the Lambda runtime's and the newest boto3 (created on a fresh clone).
beforeAll(ensurePythonRuntimes, PYTHON_RUNTIME_SETUP_TIMEOUT_MS);

verifyAttribution(PYTHON_FUNCTION, {
  titles: {
    sessionName: 'its role session name is the Python function\'s name, and the hub sees the workload account as the caller',
    workloadCopy: 'the workload account\'s copy shows the Python function\'s execution role calling, signed with its Lambda-issued credentials',
    handlerSession: 'the handler\'s hub session reports the same session (hub.identity())',
    noBedrockPolicy: 'no policy of the Python function\'s role in the template names a bedrock:* action',
    ownCredentialsRefused: 'with the Python function\'s own credentials, Bedrock refuses the call',
  },
  // The newest boto3: the Lambda runtime's (1.34.145) predates GetInferenceProfile (see the coverage test).
  startOptions: { boto3: 'latest' },
  moreCoverageTests: (current) => {
    test('on the boto3 the Lambda runtime ships, every operation it knows goes through the hub too', async () => {
      const { running } = current();
      // GIVEN a second environment of the function on boto3 1.34.145, which has no GetInferenceProfile
      const mark = running.emulator.cloudTrail.events.length;
      const shipped = await running.startPythonFunction(WORKLOAD_STACK_PREFIX, { boto3: 'lambda' });

      // WHEN
      const result = resultOf(await shipped.invoke({ operations: [...bedrockOperations(running.hubResources!), ...LOCAL_OPERATIONS] }));
      await shipped.stop();

      // THEN
      const later = running.emulator.cloudTrail.events.slice(mark);
      expect(result.results.map((r) => (r.ok ? r.op : `${r.op}: ${r.error.name}`))).toEqual([
        'Converse', 'ConverseStream', 'InvokeModel', 'GetInferenceProfile: AttributeError', 'ApplyGuardrail', 'InvokeAgent', 'Retrieve', 'PutItem', 'PutObject',
      ]);
      const operationsBoto3Knows = ['Converse', 'ConverseStream', 'InvokeModel', 'ApplyGuardrail', 'InvokeAgent', 'Retrieve'];
      expect(later.filter(isBedrock).map((e) => `${e.eventName} ${e.recipientAccountId} ${signerOf(e, running.emulator.cloudTrail.events)}`))
        .toEqual(operationsBoto3Knows.map((o) => `${o} ${HUB_ACCOUNT} hub`));
    });
  },
});
