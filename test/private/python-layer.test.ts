// The Python shim layer and the runtimes no shim serves, through BedrockHubAccess's public API.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations as CoreAnnotations, App, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BedrockHubAccess } from '../../src';
import { layerRuntimes, PYTHON_LAYER_DIR, PYTHON_LAYER_ID } from '../../src/private/python-layer';
import { WARNINGS } from '../../src/private/warnings';
import { HUB_ROLE_ARN, newFunction, newStack } from '../support/stacks';

const UNSERVED = WARNINGS.RUNTIME_WITHOUT_SHIM.id;

function pythonFunction(scope: Stack, id: string, runtime = lambda.Runtime.PYTHON_3_13): lambda.Function {
  return newFunction(scope, id, { runtime, handler: 'index.handler', code: lambda.Code.fromInline('def handler(event, context):\n    return {}\n') });
}

/** Code in an S3 bucket, which any runtime accepts (inline code is for Node.js and Python only). */
function codeInBucket(stack: Stack): lambda.Code {
  const bucket = (stack.node.tryFindChild('Code') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(stack, 'Code', 'workload-code');
  return lambda.Code.fromBucket(bucket, 'function.zip', 'v1');
}

/** The logical id of the stack's layer, from the `Layers` of the function whose logical id starts with `prefix`. */
function layersOf(template: Template, prefix: string): unknown {
  const [fn] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(prefix));
  return fn[1].Properties.Layers;
}

describe('the Python shim layer', () => {
  test('a Python function gets the layer; a Node.js function does not', () => {
    // GIVEN
    const stack = newStack();
    const py = pythonFunction(stack, 'Py');
    const node = newFunction(stack, 'Node');

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [py, node] });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const [layerId] = Object.keys(template.findResources('AWS::Lambda::LayerVersion'));
    expect(layerId).toMatch(new RegExp(`^${PYTHON_LAYER_ID}`));
    expect(layersOf(template, 'Py')).toEqual([{ Ref: layerId }]);
    expect(layersOf(template, 'Node')).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('declares the Python runtimes from 3.9 on and both architectures', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [pythonFunction(stack, 'Py')] });

    // THEN
    const runtimes = layerRuntimes().map((r) => r.name);
    expect(runtimes).toEqual(expect.arrayContaining(['python3.9', 'python3.12', 'python3.13']));
    expect(runtimes).not.toContain('python3.8');
    expect(runtimes.every((name) => name.startsWith('python3.'))).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleRuntimes: runtimes,
      CompatibleArchitectures: ['x86_64', 'arm64'],
      Content: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
    });
  });

  test('bounded cost: one layer per stack, whatever the number of functions or of BedrockHubAccess constructs', () => {
    // GIVEN
    const stack = newStack();
    const functions = Array.from({ length: 5 }, (_, i) => pythonFunction(stack, `Py${i}`));
    const other = pythonFunction(stack, 'Other');

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions });
    new BedrockHubAccess(stack, 'OtherHub', { hubRoleArn: 'arn:aws:iam::777788889999:role/OtherHubRole', functions: [other] });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const [layerId] = Object.keys(template.findResources('AWS::Lambda::LayerVersion'));
    for (const prefix of ['Py0', 'Py4', 'Other']) expect(layersOf(template, prefix)).toEqual([{ Ref: layerId }]);
  });

  test('applyToAll adds it to Python functions defined after the call, and in nested stacks', () => {
    // GIVEN
    const stack = newStack();
    const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });

    // WHEN
    hub.applyToAll(stack);
    pythonFunction(stack, 'Later');
    const nested = new NestedStack(stack, 'Nested');
    pythonFunction(nested as unknown as Stack, 'InNested');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const nestedTemplate = Template.fromStack(nested);
    nestedTemplate.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const [nestedLayerId] = Object.keys(nestedTemplate.findResources('AWS::Lambda::LayerVersion'));
    expect(layersOf(nestedTemplate, 'InNested')).toEqual([{ Ref: nestedLayerId }]);
  });

  test('parameter mode: the layer is unconditional, so the handler\'s import works with hub mode off', () => {
    // GIVEN
    const stack = newStack();
    const fn = pythonFunction(stack, 'Py');

    // WHEN
    BedrockHubAccess.fromParameters(stack, 'Hub', { functions: [fn] });

    // THEN
    const template = Template.fromStack(stack);
    const layers = template.findResources('AWS::Lambda::LayerVersion');
    expect(Object.keys(layers)).toHaveLength(1);
    expect(Object.values(layers)[0].Condition).toBeUndefined();
    expect(layersOf(template, 'Py')).toEqual([{ Ref: Object.keys(layers)[0] }]);
  });

  test.each([
    ['a literal hub role', (stack: Stack, fn: lambda.Function) => new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, pythonLayer: false, functions: [fn] })],
    ['parameter mode', (stack: Stack, fn: lambda.Function) => BedrockHubAccess.fromParameters(stack, 'Hub', { pythonLayer: false, functions: [fn] })],
  ])('pythonLayer: false leaves the function\'s layers alone, without a warning (%s)', (_, create) => {
    // GIVEN
    const stack = newStack();
    const fn = pythonFunction(stack, 'Py');

    // WHEN
    create(stack, fn);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    expect(layersOf(template, 'Py')).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('the asset is the package laid out under python/, without tests, caches or compiled files', () => {
    // GIVEN the folder the asset is built from (npx projen compile lays it out)
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of fs.readdirSync(dir)) {
        const full = path.join(dir, name);
        if (fs.statSync(full).isDirectory()) walk(full); else files.push(path.relative(PYTHON_LAYER_DIR, full));
      }
    };
    walk(PYTHON_LAYER_DIR);

    // THEN every file is a source of the package or its py.typed marker, and each source is there
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^python\/bedrock_hub_access\/([a-z_]+\.py|py\.typed)$/);
    const sources = fs.readdirSync(path.join(__dirname, '..', '..', 'python', 'src', 'bedrock_hub_access')).filter((f) => f.endsWith('.py'));
    for (const source of sources) expect(files).toContain(`python/bedrock_hub_access/${source}`);

    // AND the staged asset of a synthesized app holds the same files
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'python-layer-'));
    const app = new App({ outdir });
    const stack = newStack(undefined, app);
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [pythonFunction(stack, 'Py')] });
    app.synth();
    const staged = fs.readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(staged).toHaveLength(1);
    expect(fs.readdirSync(path.join(outdir, staged[0], 'python', 'bedrock_hub_access')).sort())
      .toEqual(files.map((f) => path.basename(f)).sort());
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

describe('runtimes no shim serves', () => {
  test.each([
    ['Java', lambda.Runtime.JAVA_21],
    ['.NET', lambda.Runtime.DOTNET_8],
    ['Ruby', lambda.Runtime.RUBY_3_3],
    ['OS-only', lambda.Runtime.PROVIDED_AL2023],
    ['Python older than 3.9', lambda.Runtime.PYTHON_3_8],
    ['a custom runtime', new lambda.Runtime('my-runtime', lambda.RuntimeFamily.OTHER)],
  ])('%s: an acknowledgeable warning on the function, and no layer', (_, runtime) => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack, 'Fn', { runtime, code: codeInBucket(stack) });

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Workload/Fn', Match.stringLikeRegexp(
      `^BedrockHubAccess 'Workload/Hub' set the BEDROCK_ASSUME_ROLE_\\* variables on this function, but .*${runtime.name.replace('.', '\\.')}.*stay on local credentials.* \\[ack: ${UNSERVED}\\]$`,
    ));
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::LayerVersion', 0);
  });

  test('a container image: the warning says to install the shim in the image', () => {
    // GIVEN
    const stack = newStack();
    const fn = new lambda.DockerImageFunction(stack, 'Image', {
      code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Repo', 'workload-images')),
    });

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Workload/Image', Match.stringLikeRegexp('container image.*Install the shim in the image'));
  });

  test('a Python runtime newer than the layer declares: a warning, not an error from addLayers', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack, 'Py', { runtime: new lambda.Runtime('python3.99', lambda.RuntimeFamily.PYTHON), code: codeInBucket(stack) });

    // WHEN
    new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN, functions: [fn] });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Workload/Py', Match.stringLikeRegexp('python3\\.99 is newer than the Python shim layer declares.*pythonLayer: false'));
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::LayerVersion', 0);
  });

  test('applyToAll warns too, and the warning can be acknowledged beforehand on a scope above the function', () => {
    // GIVEN
    const stack = newStack();
    const hub = new BedrockHubAccess(stack, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
    const fn = newFunction(stack, 'Java', { runtime: lambda.Runtime.JAVA_21, handler: 'example.Handler', code: codeInBucket(stack) });
    hub.applyToAll(stack);
    expect(Annotations.fromStack(stack).findWarning('/Workload/Java', Match.stringLikeRegexp(UNSERVED))).toHaveLength(1);

    // WHEN
    const acknowledged = newStack();
    const hub2 = new BedrockHubAccess(acknowledged, 'Hub', { hubRoleArn: HUB_ROLE_ARN });
    const fn2 = newFunction(acknowledged, 'Java', { runtime: lambda.Runtime.JAVA_21, handler: 'example.Handler', code: codeInBucket(acknowledged) });
    // aws-cdk-lib matches an acknowledgement made before the warning on the scopes above it only
    CoreAnnotations.of(acknowledged).acknowledgeWarning(UNSERVED, 'its own code assumes the role');
    hub2.applyToAll(acknowledged);

    // THEN
    expect([fn.runtime, fn2.runtime]).toEqual([lambda.Runtime.JAVA_21, lambda.Runtime.JAVA_21]);
    Annotations.fromStack(acknowledged).hasNoWarning('*', Match.anyValue());
  });
});
