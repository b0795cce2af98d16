// The Python shim as a Lambda layer: one `lambda.LayerVersion` per stack, shared by every Python
// function hub access applies to there, and which runtimes the shim serves. Not part of the jsii
// surface.
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/**
 * The folder the layer is built from: `python/bedrock_hub_access/…`, laid out by
 * `python/scripts/build-layer.sh` during compilation. Two levels up from here is the package root
 * both from `src/private` (tests) and from `lib/private` (the published package).
 */
export const PYTHON_LAYER_DIR = path.join(__dirname, '..', '..', 'lib', 'python-layer');

/** The construct id of the layer, a direct child of its stack. */
export const PYTHON_LAYER_ID = 'BedrockHubAccessPythonShim';

/** The oldest Python the shim supports (`requires-python` in `python/pyproject.toml`). */
const OLDEST_PYTHON: readonly [number, number] = [3, 9];

/** `[3, 13]` for `python3.13`; `undefined` for a name that is not `python<major>.<minor>`. */
function pythonVersion(runtime: lambda.Runtime): [number, number] | undefined {
  const match = /^python(\d+)\.(\d+)$/.exec(runtime.name);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function atLeastOldest(version: [number, number]): boolean {
  return version[0] > OLDEST_PYTHON[0] || (version[0] === OLDEST_PYTHON[0] && version[1] >= OLDEST_PYTHON[1]);
}

function isSupportedPython(runtime: lambda.Runtime): boolean {
  const version = pythonVersion(runtime);
  return runtime.family === lambda.RuntimeFamily.PYTHON && version !== undefined && atLeastOldest(version);
}

/**
 * The Python runtimes the layer declares (`CompatibleRuntimes`): every Python runtime aws-cdk-lib
 * names (`Runtime.PYTHON_3_9` …) from the oldest the shim supports on. `lambda.Function.addLayers`
 * refuses a function whose runtime is not in this list. (`Runtime.ALL` would not do: every
 * `new Runtime(…)` of the app joins it.)
 */
export function layerRuntimes(): lambda.Runtime[] {
  const named = Object.values(lambda.Runtime).filter((value): value is lambda.Runtime => value instanceof lambda.Runtime);
  return named.filter(isSupportedPython).sort((a, b) => compareVersions(pythonVersion(a)!, pythonVersion(b)!));
}

function compareVersions(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Which shim serves a function's runtime. */
export enum ShimKind {
  /** `bedrock-hub-access/lambda-shim`, bundled with the handler (NodejsFunction/esbuild). */
  NODE = 'NODE',
  /** The Python package `bedrock_hub_access`, from the layer or vendored. */
  PYTHON = 'PYTHON',
  /** A Python runtime older than the shim supports. */
  OLD_PYTHON = 'OLD_PYTHON',
  /** A container image: its language cannot be known at synth. */
  IMAGE = 'IMAGE',
  /** Java, .NET, Ruby, Go, OS-only (`provided.*`) or custom runtimes: no shim. */
  NONE = 'NONE',
}

/** Which shim serves `fn`'s runtime, judged by its family and name. */
export function shimFor(fn: lambda.Function): ShimKind {
  const runtime = fn.runtime;
  if (runtime.family === lambda.RuntimeFamily.NODEJS) return ShimKind.NODE;
  if (runtime.family === lambda.RuntimeFamily.PYTHON) {
    // A runtime named otherwise than python<major>.<minor> is taken as served: the layer's
    // CompatibleRuntimes then decide (see layerServes).
    const version = pythonVersion(runtime);
    return version === undefined || atLeastOldest(version) ? ShimKind.PYTHON : ShimKind.OLD_PYTHON;
  }
  if (runtime.name === lambda.Runtime.FROM_IMAGE.name) return ShimKind.IMAGE;
  return ShimKind.NONE;
}

/** True when the stack's layer declares `runtime`, so that `addLayers` accepts it. */
export function layerServes(runtime: lambda.Runtime): boolean {
  return layerRuntimes().some((r) => r.runtimeEquals(runtime));
}

/**
 * The stack's Python shim layer, created on first use: one per stack whatever the number of
 * functions (or of BedrockHubAccess constructs) there.
 *
 * @throws when the layer folder was not built (`npx projen compile` builds it)
 */
export function pythonLayerOf(scope: IConstruct): lambda.LayerVersion {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(PYTHON_LAYER_ID);
  if (existing instanceof lambda.LayerVersion) return existing;
  if (!fs.existsSync(path.join(PYTHON_LAYER_DIR, 'python', 'bedrock_hub_access', '__init__.py'))) {
    throw new Error(
      `bedrock-hub-access: the Python shim layer's folder ${PYTHON_LAYER_DIR} is missing or incomplete, so the layer for Python functions cannot be built. ` +
      'In this repository, run `npx projen compile` (it lays the folder out from python/src); an installed package always has it.',
    );
  }
  return new lambda.LayerVersion(stack, PYTHON_LAYER_ID, {
    code: lambda.Code.fromAsset(PYTHON_LAYER_DIR, { exclude: ['**/__pycache__', '**/*.pyc', '**/*.pyo'] }),
    compatibleRuntimes: layerRuntimes(),
    // Pure Python: any architecture.
    compatibleArchitectures: [lambda.Architecture.X86_64, lambda.Architecture.ARM_64],
    description: 'bedrock-hub-access: the Python shim (import bedrock_hub_access), which reads the BEDROCK_ASSUME_ROLE_* variables',
    license: 'Apache-2.0',
  });
}
