/** @langchain/aws on the hub: see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'langchain', packageName: '@langchain/aws', streams: true });
