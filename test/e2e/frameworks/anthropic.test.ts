/** @anthropic-ai/bedrock-sdk on the hub: see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'anthropic', overridable: true, packageName: '@anthropic-ai/bedrock-sdk', streams: true });
