/**
 * The scripts the emulator runs inside child processes (the clock preload, the Lambda runtime loop)
 * are TypeScript files of the emulator, compiled with esbuild on first use: type-checked and linted
 * like the rest, yet plain JavaScript for `node` to load.
 *
 * The output is cached in the temporary directory under a hash of its content, so parallel test
 * workers share one file per version of the sources and nothing piles up between runs.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildSync } from 'esbuild';

/** The child scripts. */
export type ChildScript = 'child-clock' | 'lambda-runtime';

/** Where each child script's source lives, relative to this folder. */
const SOURCES: Readonly<Record<ChildScript, string>> = {
  'child-clock': '../clock/child-clock.ts',
  'lambda-runtime': 'runtime.ts',
};

const compiled = new Map<ChildScript, string>();

/** The path of the compiled script (CommonJS), compiling it on first use. */
export function childScriptPath(script: ChildScript): string {
  const cached = compiled.get(script);
  if (cached) {
    return cached;
  }
  const result = buildSync({
    entryPoints: [join(__dirname, SOURCES[script])],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const directory = join(tmpdir(), 'aws-emulator-scripts');
  const file = join(directory, `${script}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`);
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    // Write then rename, so a parallel worker never loads a half-written file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  compiled.set(script, file);
  return file;
}
