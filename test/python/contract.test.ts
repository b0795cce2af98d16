/**
 * The Python shim's contract is the TypeScript one: its constants are generated from
 * `src/contract` (and must not be stale), and both shims give the same verdict on one table of
 * environments, ids, ARNs and Bedrock requests (`python/tests/fixtures/contract-cases.json`,
 * also run by pytest).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { describeAccountIdProblem, describeBedrockArnProblem, describeBedrockIdProblem, getBedrockHubSession, resetBedrockHubSessions } from '../../lambda-shim';
import type { BedrockIdKind } from '../../lambda-shim';
import { checkBedrockRequest } from '../../lambda-shim/request-checks';
import { CONTRACT_MODULE, renderContractModule } from '../../python/scripts/generate-contract';
import { geographyPrefixOf, isFoundationModelId, parseBedrockArn } from '../../src/contract';

interface ContractCase {
  readonly name: string;
  readonly env: Record<string, string | null>;
  readonly expect: string;
  readonly sessionName?: string;
  readonly secret?: string;
}

interface IdCase {
  readonly kind: BedrockIdKind | 'accountId' | 'bedrockArn' | 'foundationModelId';
  readonly value: string;
  readonly valid: boolean;
  /** A part of the problem's text. */
  readonly says?: string;
  /** `foundationModelId` only: what `geographyPrefixOf` gives (`null` for none). */
  readonly geography?: string | null;
}

interface RequestCase {
  readonly name: string;
  readonly operation: string;
  readonly params: Record<string, unknown>;
  /** `accepted`, or the layer of the error. */
  readonly expect: string;
  /** A part of the error's message. */
  readonly says?: string;
}

const table = JSON.parse(readFileSync(join(__dirname, '..', '..', 'python', 'tests', 'fixtures', 'contract-cases.json'), 'utf8')) as {
  base: Record<string, string>;
  cases: ContractCase[];
  ids: IdCase[];
  requestContext: { roleArn: string; account: string; region: string };
  requests: RequestCase[];
};

/** The case's environment: the base, with the case's values set and its nulls removed. */
function environmentOf(c: ContractCase): Record<string, string> {
  const env: Record<string, string> = { ...table.base };
  for (const [name, value] of Object.entries(c.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}

afterEach(() => resetBedrockHubSessions());

test('python/src/bedrock_hub_access/_contract.py is what src/contract generates (run `npx projen python:contract`)', () => {
  expect(readFileSync(CONTRACT_MODULE, 'utf8')).toBe(renderContractModule());
});

test.each(table.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
  // GIVEN
  const env = environmentOf(c);

  // WHEN
  let verdict: string;
  let message = '';
  let sessionName: string | undefined;
  try {
    const hub = getBedrockHubSession({ env });
    verdict = hub.enabled ? 'ok' : 'off';
    sessionName = hub.sessionName;
  } catch (error) {
    message = (error as Error).message;
    expect((error as { layer?: string }).layer).toBe('configuration');
    verdict = /^bedrock-hub-access \(configuration\): (\S+?):? /.exec(message)?.[1] ?? message;
  }

  // THEN
  expect(verdict).toBe(c.expect);
  if (c.sessionName !== undefined) expect(sessionName).toBe(c.sessionName);
  if (c.secret !== undefined) expect(message).not.toContain(c.secret);
});

/** The problem the contract finds with an id of the table; `undefined` when there is none. */
function idProblem(c: IdCase): string | undefined {
  switch (c.kind) {
    case 'accountId': return describeAccountIdProblem(c.value);
    case 'bedrockArn': {
      const problem = describeBedrockArnProblem(c.value);
      expect(parseBedrockArn(c.value) === undefined).toBe(problem !== undefined);
      return problem;
    }
    case 'foundationModelId':
      expect(geographyPrefixOf(c.value) ?? null).toBe(c.geography);
      return isFoundationModelId(c.value) ? undefined : 'not a foundation model id';
    default: return describeBedrockIdProblem(c.kind, c.value);
  }
}

test.each(table.ids.map((c) => [c.kind, JSON.stringify(c.value), c] as const))('%s %s', (_kind, _value, c) => {
  const problem = idProblem(c);
  expect(problem === undefined).toBe(c.valid);
  if (c.says !== undefined) expect(problem).toContain(c.says);
});

test.each(table.requests.map((c) => [c.name, c] as const))('request: %s', (_, c) => {
  // GIVEN a hub client signing as the table's role
  const ctx = { kind: 'hub' as const, ...table.requestContext, roleFor: () => undefined };

  // WHEN
  const error = checkBedrockRequest(c.operation, c.params, ctx);

  // THEN
  expect(error?.layer ?? 'accepted').toBe(c.expect);
  if (c.says !== undefined) expect(error?.message).toContain(c.says);
});
