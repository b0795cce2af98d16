// The published package, as a user gets it: `npm pack`, unpacked into a separate project's
// node_modules, then a CDK app there synthesizes a NodejsFunction whose handler imports
// `bedrock-hub-access/lambda-shim`. This checks the files list, the `exports` map and the typings
// of the subpath, which no in-repo import can.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '..');
let consumer: string;
let packedFiles: string[];

beforeAll(() => {
  // GIVEN the package as `npm pack` builds it (the test command compiles lib/ first)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-hub-access-pack-'));
  const packJson = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(packJson);
  packedFiles = packed.files.map((f: { path: string }) => f.path);

  // AND a separate project with it installed, its other dependencies linked from this repo
  consumer = path.join(work, 'consumer');
  const modules = path.join(consumer, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', work]);
  fs.renameSync(path.join(work, 'package'), path.join(modules, 'bedrock-hub-access'));
  for (const entry of fs.readdirSync(path.join(repoRoot, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'bedrock-hub-access') continue;
    fs.symlinkSync(path.join(repoRoot, 'node_modules', entry), path.join(modules, entry));
  }
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  fs.writeFileSync(path.join(consumer, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3 }));
  fs.writeFileSync(path.join(consumer, 'handler.ts'), [
    "import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';",
    "import { getBedrockHubSession } from 'bedrock-hub-access/lambda-shim';",
    '',
    'const hub = getBedrockHubSession();',
    'const runtime = hub.client(BedrockRuntimeClient);',
    '',
    'export async function handler(): Promise<string | undefined> {',
    '  const out = await runtime.send(new ConverseCommand({',
    "    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',",
    "    messages: [{ role: 'user', content: [{ text: 'hi' }] }],",
    '  }));',
    '  return out.output?.message?.content?.[0]?.text;',
    '}',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(consumer, 'app.js'), [
    "const cdk = require('aws-cdk-lib');",
    "const lambda = require('aws-cdk-lib/aws-lambda');",
    "const { NodejsFunction } = require('aws-cdk-lib/aws-lambda-nodejs');",
    "const { BedrockHubAccess } = require('bedrock-hub-access');",
    '',
    "const app = new cdk.App({ outdir: 'cdk.out' });",
    "const stack = new cdk.Stack(app, 'Consumer', { env: { account: '111111111111', region: 'us-east-1' } });",
    "const fn = new NodejsFunction(stack, 'Handler', {",
    "  entry: 'handler.ts',",
    '  runtime: lambda.Runtime.NODEJS_20_X,',
    "  depsLockFilePath: 'package-lock.json',",
    "  bundling: { minify: true, forceDockerBundling: false, externalModules: ['@aws-sdk/*'] },",
    '});',
    "const py = new lambda.Function(stack, 'PyHandler', {",
    '  runtime: lambda.Runtime.PYTHON_3_13,',
    "  handler: 'index.handler',",
    "  code: lambda.Code.fromInline('from bedrock_hub_access import get_bedrock_session\\ndef handler(event, context):\\n    return None\\n'),",
    '});',
    "new BedrockHubAccess(stack, 'BedrockHub', { hubRoleArn: 'arn:aws:iam::222222222222:role/BedrockHubRole', functions: [fn, py] });",
    'app.synth();',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, types: ['node'] },
    files: ['handler.ts'],
  }));
}, 120_000);

afterAll(() => {
  if (consumer) fs.rmSync(path.dirname(consumer), { recursive: true, force: true });
});

test('the tarball ships the constructs, the shim and the jsii manifest, and no sources or dev folders', () => {
  expect(packedFiles).toEqual(expect.arrayContaining([
    'lib/index.js',
    'lib/index.d.ts',
    'lib/shim/lambda-shim/index.js',
    'lib/shim/lambda-shim/index.d.ts',
    '.jsii',
    'package.json',
  ]));
  const forbidden = /^(src|test|lambda-shim|emulator|integ|demo|bench|\.ci)\//;
  expect(packedFiles.filter((f) => forbidden.test(f))).toEqual([]);
  // The AGPL policy engine is a development tool only: nothing of it may be published.
  expect(packedFiles.filter((f) => /iam-simulate/.test(f))).toEqual([]);
});

test('a handler importing bedrock-hub-access/lambda-shim type-checks with node16 resolution', () => {
  // WHEN the consumer's handler is type-checked through the package's exports map
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', consumer], {
    cwd: consumer,
    encoding: 'utf8',
  });
  // THEN it compiles
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
});

test('a consumer app synthesizes a NodejsFunction that bundles the shim with the SDK external', () => {
  // WHEN the consumer's CDK app synthesizes
  execFileSync(process.execPath, ['app.js'], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  // THEN the function has the hub environment and the grant
  const template = JSON.parse(fs.readFileSync(path.join(consumer, 'cdk.out', 'Consumer.template.json'), 'utf8'));
  const fn = Object.entries<any>(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('Handler'))![1];
  expect(fn.Properties.Environment.Variables.BEDROCK_ASSUME_ROLE_ARN).toBe('arn:aws:iam::222222222222:role/BedrockHubRole');
  const policies = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
  expect(JSON.stringify(policies)).toContain('"sts:AssumeRole"');

  // AND the bundle holds the shim but not the SDK, which the Lambda runtime provides
  const code = fn.Properties.Code.S3Key as string;
  const assetDir = path.join(consumer, 'cdk.out', `asset.${code.replace(/\.zip$/, '')}`);
  const bundle = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
  expect(bundle).toContain('BEDROCK_ASSUME_ROLE_ARN');
  expect(bundle).toMatch(/require\("@aws-sdk\/client-sts"\)/);
  expect(bundle).toMatch(/require\("@aws-sdk\/client-bedrock-runtime"\)/);
  expect(bundle).not.toContain('AssumeRoleRequestFilterSensitiveLog');
});

test('the tarball ships the Python shim layer\'s folder, and a Python function of the consumer app gets the layer from it', () => {
  // GIVEN the package's layer folder: the shim's sources only
  const layerFiles = packedFiles.filter((f) => f.startsWith('lib/python-layer/'));
  expect(layerFiles).toContain('lib/python-layer/python/bedrock_hub_access/__init__.py');
  for (const file of layerFiles) expect(file).toMatch(/^lib\/python-layer\/python\/bedrock_hub_access\/([a-z_]+\.py|py\.typed)$/);

  // WHEN the consumer's CDK app synthesizes (again: each test stands alone)
  execFileSync(process.execPath, ['app.js'], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  // THEN its Python function has the stack's layer, staged from the installed package
  const template = JSON.parse(fs.readFileSync(path.join(consumer, 'cdk.out', 'Consumer.template.json'), 'utf8'));
  const [layerId, layer] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::LayerVersion')!;
  const py = Object.entries<any>(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('PyHandler'))![1];
  expect(py.Properties.Layers).toEqual([{ Ref: layerId }]);
  const staged = path.join(consumer, 'cdk.out', `asset.${(layer.Properties.Content.S3Key as string).replace(/\.zip$/, '')}`);
  expect(fs.readdirSync(path.join(staged, 'python', 'bedrock_hub_access')).sort())
    .toEqual(layerFiles.map((f) => path.basename(f)).sort());
});
