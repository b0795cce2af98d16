/** @llamaindex/aws on the hub: see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'llamaindex', packageName: '@llamaindex/aws', streams: true });
