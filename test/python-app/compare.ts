/**
 * Synthesizes the example app in TypeScript (app.ts, python-workload.ts) and compares each stack's
 * template with the one the Python port (app.py, synthesized by run.sh into the folder given)
 * wrote, byte for byte: asset hashes included, so the Python shim layer staged from the wheel's
 * copy of the npm package must hold exactly the files this repository's does. Exits non-zero on
 * any difference, naming where the two templates differ.
 *
 * Usage: ts-node test/python-app/compare.ts PYTHON_CDK_OUT TS_CDK_OUT
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildExampleApp, HubAccessMode, WORKLOAD_STACK_PREFIX } from '../fixtures/hub-app/app';
import { buildPythonWorkloadStack } from '../fixtures/hub-app/python-workload';

const [pythonOut, tsOut] = process.argv.slice(2);
if (!pythonOut || !tsOut) {
  console.error('usage: compare.ts PYTHON_CDK_OUT TS_CDK_OUT');
  process.exit(2);
}

// GIVEN the TypeScript app, built like app.py builds the Python one
const { app } = buildExampleApp({
  outdir: tsOut,
  workloads: [
    { stackName: WORKLOAD_STACK_PREFIX },
    { stackName: `${WORKLOAD_STACK_PREFIX}Parameters`, mode: HubAccessMode.PARAMETERS },
  ],
});
buildPythonWorkloadStack(app);
app.synth();

function read(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function templates(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort();
}

/** The JSON paths where `a` and `b` differ (at most `limit`). */
function differences(a: unknown, b: unknown, at = '$', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at}: ${JSON.stringify(a)?.slice(0, 160)} != ${JSON.stringify(b)?.slice(0, 160)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) differences((a as any)[key], (b as any)[key], `${at}.${key}`, out, limit);
  return out;
}

// WHEN both sets of templates are compared, stack for stack
const expected = templates(tsOut);
const actual = templates(pythonOut);
let failed = false;
if (JSON.stringify(expected) !== JSON.stringify(actual)) {
  console.error(`stacks differ: TypeScript ${expected.join(', ')}; Python ${actual.join(', ')}`);
  failed = true;
}
for (const file of expected.filter((f) => actual.includes(f))) {
  const same = fs.readFileSync(path.join(tsOut, file), 'utf8') === fs.readFileSync(path.join(pythonOut, file), 'utf8');
  const diff = same ? [] : differences(read(path.join(tsOut, file)), read(path.join(pythonOut, file)));
  const resources = Object.keys((read(path.join(tsOut, file)) as any).Resources ?? {}).length;
  if (same) {
    console.log(`  same: ${file} (${resources} resources)`);
  } else {
    failed = true;
    console.error(`  DIFFERENT: ${file}\n    ${(diff.length > 0 ? diff : ['(same JSON, different formatting)']).join('\n    ')}`);
  }
}

// THEN they are the same
console.log(failed ? 'Python app: templates differ from the TypeScript app\'s' : `Python app: ${expected.length} templates, byte for byte the same as the TypeScript app's`);
process.exit(failed ? 1 : 0);
