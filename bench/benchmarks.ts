/** Every benchmark, in the order `npm run bench` runs them. */

import { assumeRoleCount } from './assume-role-count';
import { bundleSize } from './bundle-size';
import { callOverhead } from './call-overhead';
import { coldStart } from './cold-start';
import { frameworkCredentials } from './framework-credentials';
import type { Benchmark } from './support';

export const BENCHMARKS: readonly Benchmark[] = [assumeRoleCount, callOverhead, coldStart, bundleSize, frameworkCredentials];
