/** The OpenAI SDK on bedrock-runtime's and bedrock-mantle's OpenAI-compatible endpoints, on the hub: see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'openai', credentialsOnlyWithoutKey: 'no call', packageName: 'openai', streams: true, endpoints: ['runtime', 'mantle'] });
