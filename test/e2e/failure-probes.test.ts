/**
 * The failure probes (`failure-probes.ts`) for the example's Node.js function, bundled with the
 * Node shim.
 */
import { verifyFailureProbes } from './failure-probes';
import { NODE_FUNCTION } from './verification-steps';

verifyFailureProbes(NODE_FUNCTION, {
  describePrefix: '7. ',
  rethrowTitle: 'Lambda reports the BedrockHubError itself when the handler rethrows it',
});
