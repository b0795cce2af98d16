/** The Vercel AI SDK on the hub: see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'ai-sdk', packageName: '@ai-sdk/amazon-bedrock', streams: true });
