/** Strands Agents on the hub (agents stream): see suite.ts. */
import { frameworkSuite } from './suite';

frameworkSuite({ handler: 'strands', overridable: true, packageName: '@strands-agents/sdk', streams: true, streamsOnly: true });
