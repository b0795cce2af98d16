/**
 * Writes the Python shim's constants (`python/src/bedrock_hub_access/_contract.py`) from the one
 * definition of the contract, `src/contract`, and the error layers of the Node shim, so both shims
 * read the same variables with the same patterns and limits and name the same layers.
 *
 * Run it with `npx projen python:contract`. With `--check` it writes nothing and fails when the
 * committed file differs from what it renders (as `test/python/contract.test.ts` does); run by
 * ts-node without `--transpile-only`, it also fails when the error layers below drift.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { BedrockHubErrorLayer } from '../../lambda-shim';
import {
  ACCOUNT_ID_PATTERN,
  AGENT_ALIAS_ID_PATTERN,
  AGENT_ID_PATTERN,
  DURATION_LIMITS,
  ENV,
  EXTERNAL_ID_LIMITS,
  EXTERNAL_ID_PATTERN_SOURCE,
  GUARDRAIL_ID_PATTERN,
  GUARDRAIL_VERSION_PATTERN,
  KNOWLEDGE_BASE_ID_PATTERN,
  LAMBDA_ENV,
  MODEL_ID_PATTERN,
  PARTITIONS,
  ROLE_ARN_PATTERN_SOURCE,
  SESSION_NAME_LIMITS,
  SESSION_NAME_PATTERN_SOURCE,
  SESSION_TAG_LIMITS,
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
} as const satisfies Record<BedrockHubErrorLayer, true>;

type Value = string | number | readonly Value[] | { readonly [key: string]: Value };

/** A Python literal for a JSON-like value (strings as JSON strings, which Python reads the same). */
function py(value: Value, indent = ''): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) return `(\n${value.map((v) => `${inner}${py(v, inner)},\n`).join('')}${indent})`;
  const entries = Object.entries(value as Record<string, Value>);
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${py(v, inner)},\n`).join('')}${indent}}`;
}

/** A JavaScript pattern's source with its anchors, for Python's `re.fullmatch` (which anchors itself). */
function unanchored(pattern: RegExp): string {
  if (pattern.flags !== '') throw new Error(`pattern ${pattern} has flags; only flagless patterns translate`);
  return pattern.source.replace(/^\^/, '').replace(/\$$/, '');
}

/** The text of `_contract.py`. */
export function renderContractModule(): string {
  const constants: [string, string, Value][] = [
    ['ENV', 'The environment variables a hub-enabled function receives.', { ...ENV }],
    ['LAMBDA_ENV', 'Standard Lambda variables the shim reads.', { ...LAMBDA_ENV }],
    ['PARTITIONS', 'Partitions whose role ARNs are accepted.', [...PARTITIONS]],
    ['ROLE_ARN_PATTERN_SOURCE', 'A role ARN (match whole, ASCII).', ROLE_ARN_PATTERN_SOURCE],
    ['EXTERNAL_ID_LIMITS', '`ExternalId` length.', { ...EXTERNAL_ID_LIMITS }],
    ['EXTERNAL_ID_PATTERN_SOURCE', '`ExternalId` (match whole, ASCII).', EXTERNAL_ID_PATTERN_SOURCE],
    ['SESSION_NAME_LIMITS', '`RoleSessionName` length.', { ...SESSION_NAME_LIMITS }],
    ['SESSION_NAME_PATTERN_SOURCE', '`RoleSessionName` (match whole, ASCII).', SESSION_NAME_PATTERN_SOURCE],
    ['DURATION_LIMITS', '`DurationSeconds` of a role-chained session.', { ...DURATION_LIMITS }],
    ['SESSION_TAG_LIMITS', 'STS session tag limits.', { ...SESSION_TAG_LIMITS }],
    ['ACCOUNT_ID_PATTERN_SOURCE', 'A 12-digit account id (match whole).', unanchored(ACCOUNT_ID_PATTERN)],
    ['BEDROCK_ID_PATTERN_SOURCES', 'Bedrock identifiers that are not ARNs (match whole, ASCII).', {
      agentId: unanchored(AGENT_ID_PATTERN),
      agentAliasId: unanchored(AGENT_ALIAS_ID_PATTERN),
      knowledgeBaseId: unanchored(KNOWLEDGE_BASE_ID_PATTERN),
      guardrailId: unanchored(GUARDRAIL_ID_PATTERN),
      guardrailVersion: unanchored(GUARDRAIL_VERSION_PATTERN),
      modelId: unanchored(MODEL_ID_PATTERN),
    }],
    ['ERROR_LAYERS', 'The layers a `BedrockHubError` names, as the Node shim\'s `BedrockHubErrorLayer`.', Object.keys(LAYERS)],
  ];
  return [
    '# Generated from src/contract and lambda-shim (BedrockHubErrorLayer) by',
    '# python/scripts/generate-contract.ts: `npx projen python:contract`. Do not edit by hand.',
    '"""The contract between the constructs and the shims: names, patterns and limits, written once."""',
    '',
    'from typing import Dict, Tuple',
    '',
    ...constants.flatMap(([name, doc, value]) => {
      const type = typeof value === 'string' ? 'str'
        : Array.isArray(value) ? 'Tuple[str, ...]'
          : Object.values(value).every((v) => typeof v === 'string') ? 'Dict[str, str]'
            : Object.values(value).every((v) => typeof v === 'number') ? 'Dict[str, int]' : 'Dict[str, object]';
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
