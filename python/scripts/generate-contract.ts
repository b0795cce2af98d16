/**
 * Writes the Python shim's constants (`python/src/bedrock_hub_access/_contract.py`) from the one
 * definition of the contract, `src/contract`, and the error layers and STS retry policy of the Node
 * shim, so both shims read the same variables with the same patterns and limits, name the same
 * layers and retry AssumeRole alike. Patterns are
 * the contract's `RegExp`s translated to Python `re` by `js-regex.ts`, which refuses syntax the two
 * engines read differently; the Python shim compiles them and adds none of its own.
 *
 * Run it with `npx projen python:contract`. With `--check` it writes nothing and fails when the
 * committed file differs from what it renders (as `test/python/contract.test.ts` does); run by
 * ts-node without `--transpile-only`, it also fails when the error layers below drift.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { toPythonPattern } from './js-regex';
import type { BedrockHubErrorLayer } from '../../lambda-shim';
import {
  DEFAULT_THROTTLE_BUDGET_MS,
  LAMBDA_SAFETY_MARGIN_MS,
  MIN_ATTEMPT_MS,
  THROTTLE_BASE_DELAY_MS,
  THROTTLE_MAX_DELAY_MS,
} from '../../lambda-shim/sts-backoff';
import { REGION_FAILURE_MEMORY_MS } from '../../lambda-shim/sts-regions';
import {
  ACCOUNT_ID_PATTERN,
  BEDROCK_ARN_PATTERN,
  BEDROCK_ID_ARN_TYPES,
  BEDROCK_ID_RULES,
  BEDROCK_RESOURCE_TYPES,
  DURATION_LIMITS,
  ENV,
  EXTERNAL_ID_LIMITS,
  EXTERNAL_ID_PATTERN,
  FOUNDATION_MODEL_ID_PATTERN,
  GEOGRAPHIES,
  LAMBDA_ENV,
  MAX_STS_REGIONS,
  PARTITIONS,
  REGION_PATTERN,
  ROLE_ARN_PATTERN,
  SESSION_NAME_LIMITS,
  SESSION_NAME_PATTERN,
  SESSION_TAG_LIMITS,
  SOURCE_REGION_GEOGRAPHIES,
} from '../../src/contract';

/** The generated module's path. */
export const CONTRACT_MODULE = join(__dirname, '..', 'src', 'bedrock_hub_access', '_contract.py');

/**
 * The Node shim's error layers. `satisfies` makes this fail to compile when a layer is added to or
 * removed from `BedrockHubErrorLayer`, so the Python list cannot drift from it.
 */
const LAYERS = {
  'configuration': true,
  'local-credentials': true,
  'sts-unreachable': true,
  'sts-throttled': true,
  'caller-policy': true,
  'trust-policy': true,
  'assume-role-denied': true,
  'session-duration': true,
  'identity-mismatch': true,
  'attribution': true,
  'sts': true,
  'expired-token': true,
  'hub-permission': true,
  'hub-resource': true,
  'wrong-client': true,
  'invalid-identifier': true,
  'resource-account': true,
  'no-target-role': true,
  'model-access': true,
  'model-routing': true,
  'vpc-endpoint-policy': true,
  'hub-quota': true,
} as const satisfies Record<BedrockHubErrorLayer, true>;

/** A Python literal for a JSON-like value (strings as JSON strings, which Python reads the same). */
function py(value: Value, indent = ''): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'None';
  const inner = `${indent}    `;
  if (Array.isArray(value)) return `(\n${value.map((v) => `${inner}${py(v, inner)},\n`).join('')}${indent})`;
  const entries = Object.entries(value as Record<string, Value>);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${py(v, inner)},\n`).join('')}${indent}}`;
}

type Value = string | number | null | readonly Value[] | { readonly [key: string]: Value };

/**
 * Every pattern the generated module carries, by the name it has there: the contract's `RegExp`s,
 * translated by {@link toPythonPattern} (which refuses JavaScript-only syntax).
 * `test/python/js-regex.test.ts` runs each through both engines.
 */
export function translatedPatterns(): Array<[name: string, pattern: RegExp]> {
  return [
    ['ROLE_ARN_PATTERN', ROLE_ARN_PATTERN],
    ['EXTERNAL_ID_PATTERN', EXTERNAL_ID_PATTERN],
    ['SESSION_NAME_PATTERN', SESSION_NAME_PATTERN],
    ['ACCOUNT_ID_PATTERN', ACCOUNT_ID_PATTERN],
    ['REGION_PATTERN', REGION_PATTERN],
    ['BEDROCK_ARN_PATTERN', BEDROCK_ARN_PATTERN],
    ['FOUNDATION_MODEL_ID_PATTERN', FOUNDATION_MODEL_ID_PATTERN],
    ...Object.entries(BEDROCK_RESOURCE_TYPES).map(([type, rule]): [string, RegExp] => [`BEDROCK_RESOURCE_TYPES[${type}].id`, rule.id]),
    ...Object.entries(BEDROCK_ID_RULES).map(([kind, [pattern]]): [string, RegExp] => [`BEDROCK_ID_RULES[${kind}].pattern`, pattern]),
    ...Object.entries(BEDROCK_ID_ARN_TYPES).map(([kind, pattern]): [string, RegExp] => [`BEDROCK_ID_ARN_TYPES[${kind}]`, pattern!]),
  ];
}

/** How the docstring of a translated pattern ends. */
const SEARCH = ' Python `re` source of the JavaScript RegExp: `re.search` gives its `test()` verdict.';

/** The text of `_contract.py`. */
export function renderContractModule(): string {
  const constants: [string, string, Value][] = [
    ['ENV', 'The environment variables a hub-enabled function receives.', { ...ENV }],
    ['LAMBDA_ENV', 'Standard Lambda variables the shim reads.', { ...LAMBDA_ENV }],
    ['PARTITIONS', 'Partitions whose role ARNs are accepted.', [...PARTITIONS]],
    ['ROLE_ARN_PATTERN', 'A role ARN.' + SEARCH, toPythonPattern(ROLE_ARN_PATTERN)],
    ['EXTERNAL_ID_LIMITS', '`ExternalId` length.', { ...EXTERNAL_ID_LIMITS }],
    ['EXTERNAL_ID_PATTERN', '`ExternalId`.' + SEARCH, toPythonPattern(EXTERNAL_ID_PATTERN)],
    ['SESSION_NAME_LIMITS', '`RoleSessionName` length.', { ...SESSION_NAME_LIMITS }],
    ['SESSION_NAME_PATTERN', '`RoleSessionName`.' + SEARCH, toPythonPattern(SESSION_NAME_PATTERN)],
    ['DURATION_LIMITS', '`DurationSeconds` of a role-chained session.', { ...DURATION_LIMITS }],
    ['SESSION_TAG_LIMITS', 'STS session tag limits.', { ...SESSION_TAG_LIMITS }],
    ['ACCOUNT_ID_PATTERN', 'A 12-digit account id.' + SEARCH, toPythonPattern(ACCOUNT_ID_PATTERN)],
    ['REGION_PATTERN', 'A region code (`us-east-1`, `us-gov-west-1`).' + SEARCH, toPythonPattern(REGION_PATTERN)],
    ['BEDROCK_ARN_PATTERN', 'A Bedrock resource ARN; groups: partition, service, region, account (or None), resource type, resource id.' + SEARCH,
      toPythonPattern(BEDROCK_ARN_PATTERN)],
    ['BEDROCK_RESOURCE_TYPES', 'Per Bedrock resource type: its id after `<type>/` (`id`, a pattern for `re.search`), the resource part as messages show it ' +
      '(`shape`), and whether its ARN names the owning account (`account`: `required` or `none`). Other types only need a non-empty id.',
    Object.fromEntries(Object.entries(BEDROCK_RESOURCE_TYPES).map(([type, rule]) =>
      [type, { id: toPythonPattern(rule.id), shape: rule.shape, account: rule.account }]))],
    ['GEOGRAPHIES', 'The geography prefixes of system-defined inference profile ids: the name and the region code prefixes (`""` for global) of each.',
      Object.fromEntries([...GEOGRAPHIES].map(([prefix, g]) => [prefix, { name: g.name, regionPrefixes: [...g.regionPrefixes] }]))],
    ['SOURCE_REGION_GEOGRAPHIES', 'Whose geographic profiles a caller in a region uses: region code prefix → geography, the first prefix that matches.',
      { ...SOURCE_REGION_GEOGRAPHIES }],
    ['FOUNDATION_MODEL_ID_PATTERN', 'A foundation model id, `<provider>.<model>` (a geography is not a provider: see GEOGRAPHIES).' + SEARCH,
      toPythonPattern(FOUNDATION_MODEL_ID_PATTERN)],
    ['BEDROCK_ID_RULES', 'Per request field: the pattern of its value when it is not an ARN (for `re.search`), and the expected shape as messages give it.',
      Object.fromEntries(Object.entries(BEDROCK_ID_RULES).map(([kind, [pattern, shape]]) => [kind, { pattern: toPythonPattern(pattern), shape }]))],
    ['BEDROCK_ID_ARN_TYPES', 'The request fields that also take an ARN, and the resource types (a pattern for `re.search`) their ARN may have.',
      Object.fromEntries(Object.entries(BEDROCK_ID_ARN_TYPES).map(([kind, pattern]) => [kind, toPythonPattern(pattern!)]))],
    ['ERROR_LAYERS', 'The layers a `BedrockHubError` names, as the Node shim\'s `BedrockHubErrorLayer`.', Object.keys(LAYERS)],
    ['STS_REGION_LIMITS', 'How many regions `BEDROCK_ASSUME_ROLE_STS_REGIONS` may name.', { max: MAX_STS_REGIONS }],
    ['STS_RETRY', 'How both shims retry AssumeRole, in ms (the Node shim\'s `sts-backoff.ts` and `sts-regions.ts`): throttles with exponential ' +
      'backoff and full jitter from `throttleBaseDelayMs`, each wait at most `throttleMaxDelayMs`, until `lambdaSafetyMarginMs` before the ' +
      'invocation\'s deadline (or for `defaultThrottleBudgetMs` without one), a retry only with `minAttemptMs` left after its wait; a region ' +
      'that answered 5xx or could not be reached is skipped for `regionFailureMemoryMs`.', {
      throttleBaseDelayMs: THROTTLE_BASE_DELAY_MS,
      throttleMaxDelayMs: THROTTLE_MAX_DELAY_MS,
      defaultThrottleBudgetMs: DEFAULT_THROTTLE_BUDGET_MS,
      lambdaSafetyMarginMs: LAMBDA_SAFETY_MARGIN_MS,
      minAttemptMs: MIN_ATTEMPT_MS,
      regionFailureMemoryMs: REGION_FAILURE_MEMORY_MS,
    }],
  ];
  return [
    '# Generated from src/contract and lambda-shim (BedrockHubErrorLayer, the STS retry policy) by',
    '# python/scripts/generate-contract.ts: `npx projen python:contract`. Do not edit by hand.',
    '"""The contract between the constructs and the shims: names, patterns and limits, written once."""',
    '',
    'from typing import Any, Dict, Tuple',
    '',
    ...constants.flatMap(([name, doc, value]) => {
      const values = typeof value === 'object' && value !== null ? Object.values(value) : [];
      const type = typeof value === 'string' ? 'str'
        : Array.isArray(value) ? 'Tuple[str, ...]'
          : values.every((v) => typeof v === 'string') ? 'Dict[str, str]'
            : values.every((v) => typeof v === 'number') ? 'Dict[str, int]' : 'Dict[str, Dict[str, Any]]';
      return ['', `${name}: ${type} = ${py(value)}`, `"""${doc}"""`];
    }),
    '',
  ].join('\n');
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    if (readFileSync(CONTRACT_MODULE, 'utf8') !== renderContractModule()) {
      process.stderr.write(`${CONTRACT_MODULE} is stale: run \`npx projen python:contract\`\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(CONTRACT_MODULE, renderContractModule());
    process.stdout.write(`wrote ${CONTRACT_MODULE}\n`);
  }
}
