import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { EXTERNAL_ID, HUB_ROLE_ARN, assumeRoleCalls, calls, issuedKeys, signers, startEmulatedHub, stopEmulatedHub } from './emulated-hub';

const REPO = path.resolve(__dirname, '..', '..');

/** Synthesizes a stack with a NodejsFunction bundling the fixture handler; returns the bundle. */
function bundleHandler(outdir: string): { code: string; file: string } {
  const app = new App({ outdir });
  const stack = new Stack(app, 'ShimBundle');
  new NodejsFunction(stack, 'Handler', {
    entry: path.join(__dirname, 'fixtures', 'handler.ts'),
    runtime: Runtime.NODEJS_22_X,
    projectRoot: REPO,
    depsLockFilePath: path.join(REPO, 'package-lock.json'),
    bundling: { minify: true, externalModules: ['@aws-sdk/*'], forceDockerBundling: false },
  });
  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs22.x' });
  const assembly = app.synth();

  const assets = fs.readdirSync(assembly.directory)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => path.join(assembly.directory, name, 'index.js'))
    .filter((file) => fs.existsSync(file));
  expect(assets).toHaveLength(1);
  return { code: fs.readFileSync(assets[0], 'utf8'), file: assets[0] };
}

/** Runs the bundled handler in its own Node.js process, with the function's environment. */
function invoke(file: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `require(${JSON.stringify(file)}).handler({ prompt: 'hi' })` +
    '.then((r) => console.log(JSON.stringify(r)), (e) => { console.error(JSON.stringify({ name: e.name, layer: e.layer, message: e.message })); process.exit(1); })';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], {
      // The Lambda runtime provides @aws-sdk/*; here the repository's node_modules stand in for it.
      env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(REPO, 'node_modules'), NODE_NO_WARNINGS: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('NodejsFunction bundle of a handler that imports the shim', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-bundle-'));
  let bundle: { code: string; file: string };

  beforeAll(() => {
    bundle = bundleHandler(outdir);
  });

  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('@aws-sdk/* stays external: the bundle requires it and contains none of it', () => {
    expect(bundle.code).toMatch(/require\("@aws-sdk\/client-bedrock-runtime"\)/);
    expect(bundle.code).toMatch(/require\("@aws-sdk\/client-sts"\)/);
    expect(bundle.code).not.toMatch(/@smithy\//);
    expect(bundle.code).not.toMatch(/AwsSdkSigV4Signer|NodeHttp2Handler|BedrockRuntimeServiceException|node_modules/);
  });

  test('hub mode off loads nothing of STS; hub mode on loads it at the first AssumeRole', async () => {
    // GIVEN the bundle, loaded the way Lambda loads it, with and without a hub role
    const script = `require(${JSON.stringify(bundle.file)});` +
      'const sts = Object.keys(require.cache).filter((f) => f.includes("client-sts"));' +
      'console.log(JSON.stringify(sts.length));';
    const load = (env: Record<string, string>): Promise<number> => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], {
        env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(REPO, 'node_modules'), NODE_NO_WARNINGS: '1', AWS_REGION: 'us-east-1', ...env },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`exit ${code}`))));
    });

    // THEN the lazy require survived bundling: nothing of STS is loaded with hub mode off, nor by loading alone with it on
    expect(await load({ BEDROCK_ASSUME_ROLE_ARN: '' })).toBe(0);
    expect(await load({ BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN })).toBe(0);
  });

  test('the shim is inside, and small', () => {
    for (const marker of [
      'BEDROCK_ASSUME_ROLE_ARN', 'BEDROCK_ASSUME_ROLE_TARGETS', 'BedrockHubError', 'bedrockHubExpiredTokenRetryMiddleware',
      'bedrockHubRequestCheckMiddleware', 'bedrockHubExplainErrorsMiddleware', 'sts-unreachable', 'resource-account',
    ]) {
      expect(bundle.code).toContain(marker);
    }
    const bytes = Buffer.byteLength(bundle.code);
    const gzipped = zlib.gzipSync(bundle.code).length;
    // eslint-disable-next-line no-console
    console.log(`Minified handler bundle with the shim (@aws-sdk/* external): ${bytes} bytes, ${gzipped} bytes gzipped`);
    // The shim's own code, nearly all of it error texts and validation tables (what makes its errors
    // say which layer failed and what to do): about 23 KB for one hub role, 39 KB with target
    // accounts, id and ARN checks and attribution, about 68 KB with the diagnosis of AWS's answers by
    // reason clause (one hint per cause). The budget is a tripwire for @aws-sdk/* or @smithy/*
    // ending up inside, which would add hundreds of KB.
    expect(bytes).toBeLessThan(80 * 1024);
  });

  test('the bundled handler runs as its own process and calls Bedrock with hub credentials', async () => {
    // GIVEN the function's environment, pointing the SDK at the emulator's STS and Bedrock
    const hub = await startEmulatedHub();
    try {
      const env = {
        BEDROCK_ASSUME_ROLE_ARN: HUB_ROLE_ARN,
        BEDROCK_ASSUME_ROLE_EXTERNAL_ID: EXTERNAL_ID,
        AWS_LAMBDA_FUNCTION_NAME: 'orders-fn',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: hub.endpoint,
        AWS_ACCESS_KEY_ID: hub.master.accessKeyId,
        AWS_SECRET_ACCESS_KEY: hub.master.secretAccessKey,
        AWS_SESSION_TOKEN: hub.master.sessionToken,
        AWS_BEARER_TOKEN_BEDROCK: 'stray-api-key',
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      };

      // WHEN
      const ok = await invoke(bundle.file, env);

      // THEN the stray API key is reported once, by name, never by value
      expect(ok.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^bedrock-hub-access: AWS_BEARER_TOKEN_BEDROCK is set while hub mode is on/)]);
      expect(ok.stderr).not.toContain('stray-api-key');
      expect(JSON.parse(ok.stdout)).toEqual({
        text: expect.any(String),
        signedAs: 'arn:aws:sts::111122223333:assumed-role/BedrockHubRole/orders-fn',
      });
      // (SigV4 both times, verified by the emulator; the stray API key was not used as a bearer token)
      expect([...new Set(hub.emulator.cloudTrail.events.map((e) => e.eventName))]).toEqual(['AssumeRole', 'Converse']);
      expect(assumeRoleCalls(hub.emulator).map((e) => e.userIdentity.accessKeyId)).toEqual([hub.master.accessKeyId]);
      expect(signers(hub.emulator, 'Converse')).toEqual([issuedKeys(hub.emulator)[0]]);
      expect(calls(hub.emulator, 'Converse')[0].additionalEventData).toBeUndefined();

      // AND a denied AssumeRole (an ExternalId the trust policy does not accept) surfaces as a BedrockHubError naming the layer
      // a wrong ExternalId: STS's bare cross-account denial, which names no policy
      const denied = await invoke(bundle.file, { ...env, BEDROCK_ASSUME_ROLE_EXTERNAL_ID: 'not-the-hub-external-id' });
      expect(denied.code).toBe(1);
      expect(JSON.parse(denied.stderr.trim().split('\n').pop()!)).toMatchObject({ name: 'BedrockHubError', layer: 'assume-role-denied' });
    } finally {
      await stopEmulatedHub(hub);
    }
  });
});
