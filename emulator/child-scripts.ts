/**
 * The scripts the emulator runs inside child processes (the clock preload, the Lambda runtime loop)
 * are TypeScript files of this folder, compiled with esbuild on first use into a temporary directory:
 * type-checked and linted like the rest, yet plain JavaScript for `node` to load.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildSync } from 'esbuild';

/** The child scripts. */
export type ChildScript = 'child-clock' | 'lambda-runtime';

let outputDirectory: string | undefined;
const compiled = new Map<ChildScript, string>();

/** The path of the compiled script (CommonJS), compiling it on first use. */
export function childScriptPath(script: ChildScript): string {
  const cached = compiled.get(script);
  if (cached) {
    return cached;
  }
  if (!outputDirectory) {
    const directory = mkdtempSync(join(tmpdir(), 'aws-emulator-'));
    outputDirectory = directory;
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  }
  const outfile = join(outputDirectory, `${script}.js`);
  buildSync({
    entryPoints: [join(__dirname, `${script}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'silent',
  });
  compiled.set(script, outfile);
  return outfile;
}
