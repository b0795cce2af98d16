import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { WARNINGS } from '../../src/private/warnings';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const code = sources(join(ROOT, 'src')).filter((p) => !p.endsWith(join('private', 'warnings.ts'))).map((p) => readFileSync(p, 'utf8')).join('\n');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const catalogued = Object.values(WARNINGS).map((w) => w.id);

describe('acknowledgeable warnings have one home', () => {
  test('no warning id is written outside the catalogue', () => {
    // Ids in documentation comments are fine; ids in code must come from WARNINGS.
    const literals = [...code.matchAll(/'(bedrock-hub-access:[A-Za-z]+)'/g)].map((m) => m[1]);
    expect(literals).toEqual([]);
  });

  test('every warning the code raises is in the catalogue', () => {
    const used = [...code.matchAll(/warn\([^,]+, '([A-Z_]+)'|WARNINGS\.([A-Z_]+)/g)].map((m) => m[1] ?? m[2]);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(Object.keys(WARNINGS)).toContain(name);
  });

  test('every catalogued warning is raised somewhere', () => {
    for (const name of Object.keys(WARNINGS)) {
      expect(code).toMatch(new RegExp(`warn\\([^,]+, '${name}'|WARNINGS\\.${name}\\b`));
    }
  });

  test('every catalogued id is listed in the README with its meaning, and the README lists no other', () => {
    for (const { id, meaning } of Object.values(WARNINGS)) {
      expect(readme).toContain(`| \`${id}\` |`);
      expect(readme).toContain(meaning);
    }
    const listed = [...readme.matchAll(/^\| `(bedrock-hub-access:[A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...catalogued].sort());
  });

  test('ids are unique and in the bedrock-hub-access: namespace', () => {
    expect(new Set(catalogued).size).toBe(catalogued.length);
    for (const id of catalogued) expect(id).toMatch(/^bedrock-hub-access:[a-z][A-Za-z]+$/);
  });
});
