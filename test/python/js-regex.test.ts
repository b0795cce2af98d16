/**
 * The contract's patterns mean the same in Python: `toPythonPattern` refuses the syntax the two
 * engines read differently, and every pattern the generated module carries gives, through Python's
 * `re.search`, the verdict of the JavaScript `RegExp` on the same probe values (the shared table's
 * values and their parts, with line terminators, Unicode whitespace and non-ASCII characters around
 * and inside them).
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { translatedPatterns } from '../../python/scripts/generate-contract';
import { toPythonPattern } from '../../python/scripts/js-regex';

const PYTHON_DIR = join(__dirname, '..', '..', 'python');

/** The Python of the shim's test environment when it exists; the `re` module is the standard library's either way. */
const PYTHON = ['.venv-latest', '.venv-lambda'].map((v) => join(PYTHON_DIR, v, 'bin', 'python')).find(existsSync) ?? 'python3';

/** Characters the engines are known to disagree on when a pattern is copied as it is. */
const TRICKY = ['\n', '\r', '\u2028', '\u2029', '\t', ' ', '\u00a0', '\ufeff', '\u001c', '\u0085', '\u200b', 'é', '\u212a', 'ſ', '１', '٣', '😀', '_', '\u0000'];

/** Every string of the shared table, the parts of its ARNs, and each with the tricky characters around and inside it. */
function probes(): string[] {
  const table = JSON.parse(readFileSync(join(PYTHON_DIR, 'tests', 'fixtures', 'contract-cases.json'), 'utf8'));
  const strings = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      strings.add(value);
      const resource = value.split(':').slice(5).join(':');
      const slash = resource.indexOf('/');
      if (value.startsWith('arn:') && slash > 0) [resource.slice(0, slash), resource.slice(slash + 1)].forEach((s) => strings.add(s));
    } else if (value && typeof value === 'object') {Object.values(value).forEach(collect);}
  };
  collect([table.cases, table.ids, table.requests, table.requestContext]);
  const base = [...strings].filter((s) => s.length < 300);
  const out = new Set(base);
  for (const s of base) {
    for (const c of TRICKY) {
      const middle = Math.floor(s.length / 2);
      out.add(s + c).add(c + s).add(s.slice(0, middle) + c + s.slice(middle));
    }
  }
  TRICKY.forEach((c) => out.add(c));
  return [...out];
}

describe('toPythonPattern refuses what Python reads differently', () => {
  test.each<[string, RegExp]>([
    ['flags', /abc/i],
    ['a named group', /(?<id>[a-z]+)/],
    ['a back-reference', /(a)\1/],
    ['a Unicode property escape without the u flag', new RegExp('\\p{L}')],
    ['a control escape', /\cA/],
    ['an empty class', /a[]/],
    ['a class of everything', /a[^]/],
    ['{,n}: literal in JavaScript, a quantifier in Python', /a{,3}/],
    ['a nested class', /[[a]]/],
    ['a set intersection', /[a&&b]/],
    ['a symmetric difference', /[a~~b]/],
    ['\\S inside a class', /[\Sa]/],
  ])('%s', (_name, pattern) => {
    expect(() => toPythonPattern(pattern)).toThrow(/reads differently in Python's re/);
  });

  test('and writes out what the engines define differently', () => {
    expect(toPythonPattern(/^a.b\s$/)).toBe('(?a)\\Aa[^\\n\\r\\u2028\\u2029]b[\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]\\Z');
    expect(toPythonPattern(/a{2}b{c\/d/)).toBe('(?a)a{2}b\\{c/d');
  });
});

test('every translated pattern gives the JavaScript verdict in Python on every probe', () => {
  // GIVEN
  const patterns = translatedPatterns();
  const values = probes();
  const script = [
    'import json, re, sys, warnings',
    'warnings.simplefilter("error")',
    'data = json.load(sys.stdin)',
    'print(json.dumps(["".join("1" if re.search(p, v) else "0" for v in data["values"]) for p in data["patterns"]]))',
  ].join('\n');

  // WHEN
  const run = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify({ patterns: patterns.map(([, p]) => toPythonPattern(p)), values }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.stderr).toBe('');
  const python: string[] = JSON.parse(run.stdout);

  // THEN
  const differences = patterns.flatMap(([name, pattern], i) => values
    .filter((v, j) => pattern.test(v) !== (python[i][j] === '1'))
    .map((v) => `${name} ${JSON.stringify(v)}: JavaScript ${pattern.test(v)}`));
  expect(differences).toEqual([]);
  expect(values.length * patterns.length).toBeGreaterThan(100_000);
});
