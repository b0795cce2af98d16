import { DEFAULT_DURATION_SECONDS, readHubConfig, roleSessionKey } from '../../lambda-shim/config';
import { BedrockHubError } from '../../lambda-shim/errors';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/BedrockHubRole';
const BASE = { BEDROCK_ASSUME_ROLE_ARN: ROLE_ARN, AWS_REGION: 'eu-central-1', AWS_LAMBDA_FUNCTION_NAME: 'orders-fn' };

function configError(env: Record<string, string | undefined>, region?: string): BedrockHubError {
  try {
    readHubConfig({ env, region });
  } catch (error) {
    expect(error).toBeInstanceOf(BedrockHubError);
    return error as BedrockHubError;
  }
  throw new Error('expected a configuration error');
}

describe('hub mode off', () => {
  test.each([
    ['absent', {}],
    ['empty', { BEDROCK_ASSUME_ROLE_ARN: '' }],
  ])('BEDROCK_ASSUME_ROLE_ARN %s: no role to assume, nothing validated', (_, env) => {
    // GIVEN values that would be rejected in hub mode
    const config = readHubConfig({ env: { ...env, AWS_REGION: 'not a region', BEDROCK_ASSUME_ROLE_DURATION_SECONDS: 'abc' } });

    // THEN
    expect(config).toEqual({ region: 'not a region', targets: [] });
  });
});

describe('hub mode on', () => {
  test('defaults: function name as session name, 3600 s, region from AWS_REGION, no ExternalId', () => {
    const { region, hubRole } = readHubConfig({ env: BASE });

    expect(region).toBe('eu-central-1');
    expect(hubRole).toEqual({
      kind: 'hub',
      roleArn: ROLE_ARN,
      account: '111122223333',
      partition: 'aws',
      externalId: undefined,
      sessionName: 'orders-fn',
      durationSeconds: DEFAULT_DURATION_SECONDS,
      stsRegion: 'eu-central-1',
      stsRegions: ['eu-central-1'],
      stsEndpoint: undefined,
      tags: undefined,
      sourceIdentity: undefined,
    });
    expect(DEFAULT_DURATION_SECONDS).toBe(3600);
  });

  test('explicit values win; empty optional values count as absent', () => {
    const { hubRole } = readHubConfig({
      env: {
        ...BASE,
        BEDROCK_ASSUME_ROLE_EXTERNAL_ID: 'shared-ext-id',
        BEDROCK_ASSUME_ROLE_SESSION_NAME: 'orders',
        BEDROCK_ASSUME_ROLE_DURATION_SECONDS: '900',
      },
    });
    expect(hubRole).toMatchObject({ externalId: 'shared-ext-id', sessionName: 'orders', durationSeconds: 900 });

    const empty = readHubConfig({
      env: { ...BASE, BEDROCK_ASSUME_ROLE_EXTERNAL_ID: '', BEDROCK_ASSUME_ROLE_SESSION_NAME: '', BEDROCK_ASSUME_ROLE_DURATION_SECONDS: '' },
    });
    expect(empty.hubRole).toMatchObject({ externalId: undefined, sessionName: 'orders-fn', durationSeconds: 3600 });
  });

  test('the function name is sanitised into a session name', () => {
    const { hubRole } = readHubConfig({ env: { ...BASE, AWS_LAMBDA_FUNCTION_NAME: `my stack/fn:${'x'.repeat(80)}` } });
    expect(hubRole?.sessionName).toMatch(/^my-stack-fn-x+$/);
    expect(hubRole?.sessionName).toHaveLength(64);

    const unnamed = readHubConfig({ env: { ...BASE, AWS_LAMBDA_FUNCTION_NAME: undefined } });
    expect(unnamed.hubRole?.sessionName).toBe('bedrock-hub-access');
  });

  test('region: option, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(readHubConfig({ env: BASE, region: 'us-west-2' }).hubRole?.stsRegion).toBe('us-west-2');
    expect(readHubConfig({ env: { ...BASE, AWS_REGION: undefined, AWS_DEFAULT_REGION: 'ap-south-1' } }).region).toBe('ap-south-1');
  });

  test('an injected environment supplies the STS endpoint, service-specific first', () => {
    const env = { ...BASE, AWS_ENDPOINT_URL: 'http://global.test', AWS_ENDPOINT_URL_STS: 'http://sts.test' };
    expect(readHubConfig({ env }).hubRole?.stsEndpoint).toBe('http://sts.test');
    expect(readHubConfig({ env: { ...env, AWS_ENDPOINT_URL_STS: undefined } }).hubRole?.stsEndpoint).toBe('http://global.test');
    expect(readHubConfig({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } }).hubRole?.stsEndpoint).toBeUndefined();
  });

  test('process.env leaves the endpoint to the SDK', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, BASE, { AWS_ENDPOINT_URL_STS: 'http://sts.test' });
      expect(readHubConfig({ env: process.env }).hubRole?.stsEndpoint).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });

  test('STS regions: the function\'s region alone, or BEDROCK_ASSUME_ROLE_STS_REGIONS in its order', () => {
    expect(readHubConfig({ env: BASE }).hubRole).toMatchObject({ stsRegion: 'eu-central-1', stsRegions: ['eu-central-1'] });
    const listed = readHubConfig({ env: { ...BASE, BEDROCK_ASSUME_ROLE_STS_REGIONS: 'eu-west-1, eu-central-1' } }).hubRole;
    expect(listed).toMatchObject({ stsRegion: 'eu-west-1', stsRegions: ['eu-west-1', 'eu-central-1'] });
    expect(readHubConfig({ env: { ...BASE, BEDROCK_ASSUME_ROLE_STS_REGIONS: '' } }).hubRole?.stsRegions).toEqual(['eu-central-1']);
  });

  test('roles that differ in anything that makes a session differ have different keys', () => {
    const base = readHubConfig({ env: BASE }).hubRole!;
    const keys = new Set([
      roleSessionKey(base),
      roleSessionKey({ ...base, externalId: 'other' }),
      roleSessionKey({ ...base, sessionName: 'other' }),
      roleSessionKey({ ...base, durationSeconds: 900 }),
      roleSessionKey({ ...base, stsRegion: 'us-east-1', stsRegions: ['us-east-1'] }),
      roleSessionKey({ ...base, stsRegions: ['eu-central-1', 'eu-west-1'] }),
      roleSessionKey({ ...base, roleArn: 'arn:aws:iam::111122223333:role/Other' }),
    ]);
    expect(keys.size).toBe(7);
    expect(roleSessionKey(readHubConfig({ env: { ...BASE } }).hubRole!)).toBe(roleSessionKey(base));
  });
});

describe('bad values: the message names the variable, the problem and the fix', () => {
  // One row per bad input: the variables to set, and what the message must say.
  const table: [string, Record<string, string | undefined>, RegExp][] = [
    ['ARN with ExternalId pasted in',
      { BEDROCK_ASSUME_ROLE_ARN: `${ROLE_ARN} ExternalId: s3cr3t-value` },
      /BEDROCK_ASSUME_ROLE_ARN contains an ExternalId after the role name.*pasted into one value.*ExternalId in its own setting/],
    ['ARN with trailing newline',
      { BEDROCK_ASSUME_ROLE_ARN: `${ROLE_ARN}\n` },
      /BEDROCK_ASSUME_ROLE_ARN contains whitespace \(at character 46\).*Set BEDROCK_ASSUME_ROLE_ARN to the hub role's ARN alone/],
    ['assumed-role session ARN',
      { BEDROCK_ASSUME_ROLE_ARN: 'arn:aws:sts::111122223333:assumed-role/BedrockHubRole/s' },
      /BEDROCK_ASSUME_ROLE_ARN: .*assumed-role session ARN, not a role ARN: use the role itself/],
    ['user ARN',
      { BEDROCK_ASSUME_ROLE_ARN: 'arn:aws:iam::111122223333:user/alice' },
      /BEDROCK_ASSUME_ROLE_ARN: .*IAM user ARN, not a role/],
    ['11-digit account',
      { BEDROCK_ASSUME_ROLE_ARN: 'arn:aws:iam::11112222333:role/BedrockHubRole' },
      /BEDROCK_ASSUME_ROLE_ARN: .*not 12 digits/],
    ['not an ARN',
      { BEDROCK_ASSUME_ROLE_ARN: 'BedrockHubRole' },
      /BEDROCK_ASSUME_ROLE_ARN: 'BedrockHubRole' is not an ARN.*leave it empty to turn hub mode off/],
    ['STS regions with a trailing comma',
      { BEDROCK_ASSUME_ROLE_STS_REGIONS: 'us-east-1,' },
      /BEDROCK_ASSUME_ROLE_STS_REGIONS has an empty entry.*comma-separated region codes, most preferred first \(e\.g\. us-east-1,us-west-2\)/],
    ['STS regions naming an endpoint',
      { BEDROCK_ASSUME_ROLE_STS_REGIONS: 'sts.us-east-1.amazonaws.com' },
      /BEDROCK_ASSUME_ROLE_STS_REGIONS has "sts\.us-east-1\.amazonaws\.com", which is not a region code/],
    ['ExternalId with a space',
      { BEDROCK_ASSUME_ROLE_EXTERNAL_ID: 'two words' },
      /BEDROCK_ASSUME_ROLE_EXTERNAL_ID contains whitespace.*not shown.*sts:ExternalId condition/],
    ['ExternalId of one character',
      { BEDROCK_ASSUME_ROLE_EXTERNAL_ID: 'x' },
      /BEDROCK_ASSUME_ROLE_EXTERNAL_ID has 1 characters; STS requires 2 to 1224/],
    ['session name with a space',
      { BEDROCK_ASSUME_ROLE_SESSION_NAME: 'orders fn' },
      /BEDROCK_ASSUME_ROLE_SESSION_NAME: 'orders fn' contains whitespace.*Fix BEDROCK_ASSUME_ROLE_SESSION_NAME, or leave it empty/],
    ['session name too long',
      { BEDROCK_ASSUME_ROLE_SESSION_NAME: 's'.repeat(65) },
      /BEDROCK_ASSUME_ROLE_SESSION_NAME: .*has 65 characters; STS requires 2 to 64/],
    ['duration "abc"',
      { BEDROCK_ASSUME_ROLE_DURATION_SECONDS: 'abc' },
      /BEDROCK_ASSUME_ROLE_DURATION_SECONDS: 'abc' is not a number of seconds\. Set BEDROCK_ASSUME_ROLE_DURATION_SECONDS to a whole number of seconds from 900 to 3600/],
    ['duration "7200" (role chaining)',
      { BEDROCK_ASSUME_ROLE_DURATION_SECONDS: '7200' },
      /BEDROCK_ASSUME_ROLE_DURATION_SECONDS: 7200 s is more than 3600 s: from Lambda this is role chaining/],
    ['duration "600"',
      { BEDROCK_ASSUME_ROLE_DURATION_SECONDS: '600' },
      /BEDROCK_ASSUME_ROLE_DURATION_SECONDS: 600 s is less than STS's minimum of 900 s/],
    ['duration "1800.5"',
      { BEDROCK_ASSUME_ROLE_DURATION_SECONDS: '1800.5' },
      /BEDROCK_ASSUME_ROLE_DURATION_SECONDS: 1800.5 is not a whole number of seconds/],
    ['duration " 900" (whitespace)',
      { BEDROCK_ASSUME_ROLE_DURATION_SECONDS: ' 900' },
      /BEDROCK_ASSUME_ROLE_DURATION_SECONDS: ' 900' is not a number of seconds/],
    ['no region',
      { AWS_REGION: undefined },
      /AWS_REGION is not set.*pass the `region` option/],
    ['malformed region',
      { AWS_REGION: 'US East 1' },
      /AWS_REGION: 'US East 1' is not a region name\. Use a region code such as us-east-1/],
  ];

  test.each(table)('%s', (_, vars, message) => {
    // WHEN
    const error = configError({ ...BASE, ...vars });

    // THEN
    expect(error.layer).toBe('configuration');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^bedrock-hub-access \(configuration\): /);
    expect(error.hint.length).toBeGreaterThan(0);
    expect(error.message).not.toContain('s3cr3t-value');
    expect(error.message).not.toContain('two words');
  });

  test('a bad region option is named as the option', () => {
    expect(configError(BASE, 'nowhere land').message).toMatch(/The `region` option: 'nowhere land' is not a region name/);
  });
});

describe('target roles (BEDROCK_ASSUME_ROLE_TARGETS)', () => {
  const AGENTS_ROLE = 'arn:aws:iam::333344445555:role/AgentInvokeRole';
  const KBS_ROLE = 'arn:aws:iam::444455556666:role/path/KnowledgeRole';

  test('each target shares the session settings, and has its own ExternalId only', () => {
    const config = readHubConfig({
      env: {
        ...BASE,
        BEDROCK_ASSUME_ROLE_EXTERNAL_ID: 'hub-external-id',
        BEDROCK_ASSUME_ROLE_DURATION_SECONDS: '1800',
        BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE, externalId: 'agents-id' }, { roleArn: KBS_ROLE }]),
      },
    });

    expect(config.targets).toEqual([
      { ...config.hubRole, kind: 'target', roleArn: AGENTS_ROLE, account: '333344445555', externalId: 'agents-id' },
      { ...config.hubRole, kind: 'target', roleArn: KBS_ROLE, account: '444455556666', externalId: undefined },
    ]);
    expect(config.hubRole).toMatchObject({ externalId: 'hub-external-id', durationSeconds: 1800, sessionName: 'orders-fn' });
    expect(new Set([config.hubRole!, ...config.targets].map(roleSessionKey)).size).toBe(3);
  });

  test('targets alone are valid: hub mode off, the targets validated like the hub role', () => {
    const config = readHubConfig({
      env: { ...BASE, BEDROCK_ASSUME_ROLE_ARN: '', BEDROCK_ASSUME_ROLE_EXTERNAL_ID: 'ignored', BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE }]) },
    });
    expect(config.hubRole).toBeUndefined();
    expect(config.targets).toEqual([expect.objectContaining({ roleArn: AGENTS_ROLE, externalId: undefined, stsRegion: 'eu-central-1' })]);

    expect(configError({ BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE }]) }).message).toMatch(/AWS_REGION is not set/);
  });

  test('an empty value or an empty array means no targets', () => {
    expect(readHubConfig({ env: { ...BASE, BEDROCK_ASSUME_ROLE_TARGETS: '' } }).targets).toEqual([]);
    expect(readHubConfig({ env: { ...BASE, BEDROCK_ASSUME_ROLE_TARGETS: '[]' } }).targets).toEqual([]);
  });
});

describe('session tags and source identity', () => {
  test('static tags, plus the function name under its key, sanitised to STS tag rules', () => {
    const { hubRole } = readHubConfig({
      env: {
        ...BASE,
        AWS_LAMBDA_FUNCTION_NAME: 'orders-fn#2',
        BEDROCK_ASSUME_ROLE_SESSION_TAGS: '{"team":"orders","cost center":"12 34"}',
        BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'lambda:function',
        BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'orders-service',
      },
    });
    expect(hubRole).toMatchObject({
      tags: [{ Key: 'team', Value: 'orders' }, { Key: 'cost center', Value: '12 34' }, { Key: 'lambda:function', Value: 'orders-fn-2' }],
      sourceIdentity: 'orders-service',
    });
  });

  test('outside Lambda (no function name) the function-name tag is left out, not made up', () => {
    const { hubRole } = readHubConfig({ env: { ...BASE, AWS_LAMBDA_FUNCTION_NAME: undefined, BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'fn' } });
    expect(hubRole?.tags).toBeUndefined();
  });

  test('empty values mean none; hub mode off validates none of it', () => {
    const { hubRole } = readHubConfig({ env: { ...BASE, BEDROCK_ASSUME_ROLE_SESSION_TAGS: '', BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: '' } });
    expect(hubRole).toMatchObject({ tags: undefined, sourceIdentity: undefined });
    expect(readHubConfig({ env: { BEDROCK_ASSUME_ROLE_SESSION_TAGS: 'not json', BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'aws:x' } })).toEqual({ targets: [] });
  });

  test('tags and source identity make role sessions differ', () => {
    const base = readHubConfig({ env: BASE }).hubRole!;
    const keys = new Set([
      roleSessionKey(base),
      roleSessionKey({ ...base, tags: [{ Key: 'team', Value: 'a' }] }),
      roleSessionKey({ ...base, tags: [{ Key: 'team', Value: 'b' }] }),
      roleSessionKey({ ...base, sourceIdentity: 'svc' }),
    ]);
    expect(keys.size).toBe(4);
  });
});

describe('bad multi-account and attribution values: the message names the variable, the problem and the fix', () => {
  const AGENTS_ROLE = 'arn:aws:iam::333344445555:role/AgentInvokeRole';
  const table: [string, Record<string, string | undefined>, RegExp][] = [
    ['targets not JSON', { BEDROCK_ASSUME_ROLE_TARGETS: 'arn:aws:iam::333344445555:role/A' },
      /BEDROCK_ASSUME_ROLE_TARGETS is not valid JSON.*Set BEDROCK_ASSUME_ROLE_TARGETS to a JSON array with one \{"roleArn", "externalId"\?\} per account/],
    ['targets an object', { BEDROCK_ASSUME_ROLE_TARGETS: `{"roleArn":"${AGENTS_ROLE}"}` }, /BEDROCK_ASSUME_ROLE_TARGETS must be a JSON array/],
    ['target ARN with a stray quote', { BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: `${AGENTS_ROLE}"` }]) },
      /BEDROCK_ASSUME_ROLE_TARGETS entry 0 "roleArn": .*characters IAM does not allow/],
    ['target ExternalId with a space', { BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE, externalId: 's3cr3t-value two' }]) },
      /BEDROCK_ASSUME_ROLE_TARGETS entry 0 "externalId" contains whitespace.*not shown/],
    ['two targets in one account', { BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: AGENTS_ROLE }, { roleArn: 'arn:aws:iam::333344445555:role/Other' }]) },
      /entries 0 and 1 both target account 333344445555; give one role per account/],
    ['a target in the hub\'s account', { BEDROCK_ASSUME_ROLE_TARGETS: JSON.stringify([{ roleArn: 'arn:aws:iam::111122223333:role/Other' }]) },
      /BEDROCK_ASSUME_ROLE_TARGETS entry 0 is in account 111122223333, the account of BEDROCK_ASSUME_ROLE_ARN: that account is served by the hub role/],
    ['tags not JSON', { BEDROCK_ASSUME_ROLE_SESSION_TAGS: 'team=orders' },
      /BEDROCK_ASSUME_ROLE_SESSION_TAGS is not valid JSON.*Set BEDROCK_ASSUME_ROLE_SESSION_TAGS to a JSON object of tag key → string value/],
    ['tags an array', { BEDROCK_ASSUME_ROLE_SESSION_TAGS: '[["team","orders"]]' }, /BEDROCK_ASSUME_ROLE_SESSION_TAGS must be a JSON object/],
    ['tag with a number value', { BEDROCK_ASSUME_ROLE_SESSION_TAGS: '{"cost-center":1234}' }, /tag 'cost-center' has a number value; session tag values are strings/],
    ['tag key starting with aws:', { BEDROCK_ASSUME_ROLE_SESSION_TAGS: '{"aws:team":"orders"}' }, /BEDROCK_ASSUME_ROLE_SESSION_TAGS tag key 'aws:team' starts with 'aws:'/],
    ['tag value with a character STS refuses', { BEDROCK_ASSUME_ROLE_SESSION_TAGS: '{"team":"orders;billing"}' }, /tag 'team' has a value with characters STS does not allow/],
    ['tag keys differing in case', { BEDROCK_ASSUME_ROLE_SESSION_TAGS: '{"Team":"a","team":"b"}' }, /'Team' and 'team' differ only in case/],
    ['51 tags with the function name', {
      BEDROCK_ASSUME_ROLE_SESSION_TAGS: JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']))),
      BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'fn',
    }, /BEDROCK_ASSUME_ROLE_SESSION_TAGS has 51 tags; STS allows at most 50.*counting the one under BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY/],
    ['function-name tag key with a \';\'', { BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'fn;' },
      /BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY tag key 'fn;' has characters STS does not allow/],
    ['function-name tag key also a static tag', { BEDROCK_ASSUME_ROLE_SESSION_TAGS: '{"Function":"x"}', BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'function' },
      /BEDROCK_ASSUME_ROLE_FUNCTION_NAME_TAG_KEY: 'function' is also a key of BEDROCK_ASSUME_ROLE_SESSION_TAGS \('Function'\); STS treats tag keys case-insensitively/],
    ['source identity starting with aws:', { BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'aws:me' },
      /BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'aws:me' starts with 'aws:'.*Set BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY to 2–64/],
    ['source identity with a space', { BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'orders service' }, /BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'orders service' contains whitespace/],
    ['source identity of one character', { BEDROCK_ASSUME_ROLE_SOURCE_IDENTITY: 'x' }, /has 1 characters; STS requires 2 to 64/],
  ];

  test.each(table)('%s', (_, vars, message) => {
    const error = configError({ ...BASE, ...vars });

    expect(error.layer).toBe('configuration');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cr3t-value');
  });
});
