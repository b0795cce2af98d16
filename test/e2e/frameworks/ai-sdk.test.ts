/** The Vercel AI SDK on the hub, through bedrock-runtime (Converse) and bedrock-mantle: see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'ai-sdk', overridable: true, packageName: '@ai-sdk/amazon-bedrock', streams: true, endpoints: ['runtime', 'mantle'] });
