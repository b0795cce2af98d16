/**
 * Bundle size: a handler that uses the shim against the same handler with a plain
 * BedrockRuntimeClient (and one that hand-rolls AssumeRole), bundled the way NodejsFunction bundles
 * them: esbuild, minified, Node.js 22, CommonJS, `@aws-sdk/*` external (the Lambda runtime provides
 * it). Sizes are exact, so one build each is enough.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { formatByteDelta, formatBytes, formatRatio, formatTable, ratio } from './support';
import type { Benchmark, Print } from './support';

const REPO = path.resolve(__dirname, '..');

/** The handlers, baseline first. */
export const HANDLERS = [
  { name: 'plain', label: 'plain BedrockRuntimeClient', entry: path.join(__dirname, 'handlers', 'plain.ts') },
  { name: 'hand-rolled', label: 'hand-rolled AssumeRole provider', entry: path.join(__dirname, 'handlers', 'hand-rolled.ts') },
  { name: 'shim', label: 'shim: hub.client()', entry: path.join(__dirname, 'handlers', 'shim.ts') },
] as const;

export type HandlerName = (typeof HANDLERS)[number]['name'];

/** One bundled handler. */
export interface HandlerBundle {
  readonly name: HandlerName;
  readonly label: string;
  /** `<outdir>/<name>/index.js`. */
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes in the output by input file (relative to the repository). */
  readonly inputs: Readonly<Record<string, number>>;
  /** The modules the bundle still `require`s (external). */
  readonly requires: readonly string[];
}

/**
 * Bundles the handler at `entry` into `outfile` as NodejsFunction does: esbuild, minified, Node.js
 * 22, CommonJS, `@aws-sdk/*` external; with esbuild's metafile (input paths relative to the repository).
 */
export function bundleLikeNodejsFunction(entry: string, outfile: string): Promise<esbuild.BuildResult<{ metafile: true }>> {
  return esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: REPO,
  });
}

/** Bundles every handler into `outdir`, as NodejsFunction would (minified, `@aws-sdk/*` external). */
export async function bundleHandlers(outdir: string): Promise<HandlerBundle[]> {
  const bundles: HandlerBundle[] = [];
  for (const handler of HANDLERS) {
    const file = path.join(outdir, handler.name, 'index.js');
    const result = await bundleLikeNodejsFunction(handler.entry, file);
    const code = fs.readFileSync(file);
    const output = Object.values(result.metafile.outputs)[0];
    bundles.push({
      name: handler.name,
      label: handler.label,
      file,
      bytes: code.length,
      gzipBytes: zlib.gzipSync(code).length,
      inputs: Object.fromEntries(Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput])),
      requires: [...new Set([...code.toString('utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort(),
    });
  }
  return bundles;
}

/** The shim's bytes by source file, largest first. */
function shimBreakdown(bundle: HandlerBundle): string[][] {
  return Object.entries(bundle.inputs)
    .filter(([input]) => !input.startsWith('bench/'))
    .sort(([, a], [, b]) => b - a)
    .map(([input, bytes]) => [input, formatBytes(bytes), `${((bytes / bundle.bytes) * 100).toFixed(1)}%`]);
}

function report(bundles: readonly HandlerBundle[], print: Print): void {
  const [plain] = bundles;
  print('minified, node22, cjs, @aws-sdk/* external; gzip at zlib\'s default level');
  print(formatTable(
    ['handler', 'bytes', 'gzip', 'bytes − plain', 'gzip − plain', 'bytes ÷ plain', 'gzip ÷ plain', { header: 'requires', align: 'left' }],
    bundles.map((b) => [
      b.label,
      formatBytes(b.bytes),
      formatBytes(b.gzipBytes),
      formatByteDelta(b.bytes - plain.bytes),
      formatByteDelta(b.gzipBytes - plain.gzipBytes),
      formatRatio(ratio(b.bytes, plain.bytes)),
      formatRatio(ratio(b.gzipBytes, plain.gzipBytes)),
      b.requires.join(' '),
    ]),
  ));
  const shim = bundles.find((b) => b.name === 'shim');
  if (shim) {
    print('');
    print('the shim bundle by source file (esbuild metafile, bytes in the minified output):');
    print(formatTable(['source', 'bytes', 'share'], shimBreakdown(shim)));
  }
  print('');
  const packaged = bundles.flatMap((b) => Object.keys(b.inputs).filter((input) => input.includes('node_modules/')).map((input) => `${b.name}: ${input}`));
  print(packaged.length === 0
    ? 'No node_modules code inside any bundle: @aws-sdk/* stays external (the Lambda runtime provides it).'
    : `node_modules code inside a bundle: ${packaged.join(', ')}`);
  print('÷ plain: the bundle over the plain handler\'s; − plain: what the hub code adds to the function\'s own code.');
}

export const bundleSize: Benchmark<HandlerBundle[]> = {
  name: 'bundle-size',
  title: 'bytes of a NodejsFunction-style bundle: handler with the shim vs the same handler with a plain client',
  async run(print) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundles-'));
    try {
      const bundles = await bundleHandlers(outdir);
      report(bundles, print);
      return bundles;
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  },
};
