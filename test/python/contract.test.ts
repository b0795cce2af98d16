/**
 * The Python shim's contract is the TypeScript one: its constants are generated from
 * `src/contract` (and must not be stale), and both shims give the same verdict on one table of
 * environments (`python/tests/fixtures/contract-cases.json`, also run by pytest).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { describeAccountIdProblem, describeBedrockArnProblem, describeBedrockIdProblem, getBedrockHubSession, resetBedrockHubSessions } from '../../lambda-shim';
import type { BedrockIdKind } from '../../lambda-shim';
import { CONTRACT_MODULE, renderContractModule } from '../../python/scripts/generate-contract';

interface ContractCase {
  readonly name: string;
  readonly env: Record<string, string | null>;
  readonly expect: string;
  readonly sessionName?: string;
  readonly secret?: string;
}

interface IdCase {
  readonly kind: BedrockIdKind | 'accountId' | 'bedrockArn';
  readonly value: string;
  readonly valid: boolean;
}

const table = JSON.parse(readFileSync(join(__dirname, '..', '..', 'python', 'tests', 'fixtures', 'contract-cases.json'), 'utf8')) as {
  base: Record<string, string>;
  cases: ContractCase[];
  ids: IdCase[];
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

test.each(table.ids.map((c) => [c.kind, JSON.stringify(c.value), c] as const))('%s %s', (_kind, _value, c) => {
  const problem = c.kind === 'accountId' ? describeAccountIdProblem(c.value)
    : c.kind === 'bedrockArn' ? describeBedrockArnProblem(c.value)
      : describeBedrockIdProblem(c.kind, c.value);
  expect(problem === undefined).toBe(c.valid);
});
