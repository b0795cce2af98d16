/**
 * The reference's "How to verify", point 1 (the most important): parameter mode deployed with an
 * empty `BedrockHubRoleArn` behaves exactly as before. The function gets no hub variable and no
 * AssumeRole permission, and its Bedrock calls go out with its own credentials, in its own account,
 * under its own policy. The same template with the parameter set goes through the hub.
 */
import { NODE_FUNCTION, verifyHubModeOff } from './verification-steps';

verifyHubModeOff(NODE_FUNCTION, {
  describePrefix: '',
  ownPolicyTitle: 'the function\'s own policy still decides: a call it does not allow is denied in the workload account, and left unexplained',
});
