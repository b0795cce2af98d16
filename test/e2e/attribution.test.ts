/**
 * The reference's "How to verify", points 2, 3, 4 and 6, on the real bundle: the NodejsFunction
 * asset esbuild wrote, run as a warm Lambda environment with the template's environment and the
 * execution-role credentials the emulator issued. The workload role has no Bedrock permission at
 * all; every claim is read from the emulator's CloudTrail.
 */
import { NODE_FUNCTION, verifyAttribution } from './verification-steps';

verifyAttribution(NODE_FUNCTION, {
  titles: {
    sessionName: 'its role session name is the function\'s name, and the hub sees the workload account as the caller',
    workloadCopy: 'the workload account\'s copy shows the execution role calling, signed with its Lambda-issued credentials',
    handlerSession: 'the handler\'s hub clients report the same session',
    noBedrockPolicy: 'no policy of the function\'s role in the template names a bedrock:* action',
    ownCredentialsRefused: 'with the execution role\'s own credentials, Bedrock refuses the call',
  },
});
