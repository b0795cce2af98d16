import {
  BEDROCK_RESOURCE_TYPES,
  describeBedrockArnProblem,
  describeBedrockIdProblem,
  GEOGRAPHIES,
  geographyPrefixOf,
  isFoundationModelId,
  parseBedrockArn,
  parseInferenceProfileId,
  sourceGeographyOf,
} from '../../src/contract';

const HUB = '111122223333';

describe('ARN shapes per Bedrock resource type', () => {
  // type, a valid ARN of it
  const valid: Array<[string, string]> = [
    ['foundation-model', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'],
    ['foundation-model (region-less, as global profiles are authorized)', 'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['inference-profile', `arn:aws:bedrock:us-east-1:${HUB}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0`],
    ['application-inference-profile', `arn:aws:bedrock:us-east-1:${HUB}:application-inference-profile/a1b2c3d4e5f6`],
    ['guardrail', `arn:aws:bedrock:us-east-1:${HUB}:guardrail/gr4abc123xyz`],
    ['guardrail-profile', `arn:aws:bedrock:us-east-1:${HUB}:guardrail-profile/us.guardrail.v1:0`],
    ['agent', `arn:aws:bedrock:us-east-1:${HUB}:agent/agent12345`],
    ['agent-alias', `arn:aws:bedrock:us-east-1:${HUB}:agent-alias/agent12345/alias12345`],
    ['knowledge-base', `arn:aws:bedrock:us-east-1:${HUB}:knowledge-base/kb12345678`],
    ['prompt', `arn:aws:bedrock:us-east-1:${HUB}:prompt/PROMPT12AB:3`],
    ['flow', `arn:aws:bedrock:us-east-1:${HUB}:flow/FLOW123456/alias/ALIAS12345`],
  ];
  test.each(valid)('accepts a %s ARN', (_type, arn) => {
    expect(describeBedrockArnProblem(arn)).toBeUndefined();
    expect(parseBedrockArn(arn)).toBeDefined();
  });

  test('every type with a rule has a valid example above', () => {
    const covered = new Set(valid.map(([, arn]) => parseBedrockArn(arn)!.resourceType));
    expect([...covered].sort()).toEqual(Object.keys(BEDROCK_RESOURCE_TYPES).sort());
  });

  test.each<[string, string, RegExp]>([
    ['a geography prefix in a foundation-model ARN', 'arn:aws:bedrock:eu-central-1::foundation-model/eu.amazon.nova-pro-v1:0', /inside a foundation-model ARN.*'eu\.' is a geography/],
    ['a global prefix in a foundation-model ARN', 'arn:aws:bedrock:::foundation-model/global.anthropic.claude-sonnet-4-5-20250929-v1:0', /inside a foundation-model ARN/],
    ['a foundation-model ARN with an account', `arn:aws:bedrock:us-east-1:${HUB}:foundation-model/anthropic.claude-v2`, /foundation-model ARNs have none/],
    ['a system profile ARN without an account', 'arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-v2', /has no account, but an inference-profile ARN names the account that calls it/],
    ['an application profile ARN without an account', 'arn:aws:bedrock:us-east-1::application-inference-profile/a1b2c3d4e5f6', /has no account, but a application-inference-profile ARN/],
    ['a guardrail ARN without an account', 'arn:aws:bedrock:us-east-1::guardrail/gr4abc123xyz', /has no account/],
    ['a guardrail profile id of another shape', `arn:aws:bedrock:us-east-1:${HUB}:guardrail-profile/gr1`, /does not end in guardrail-profile\//],
    ['an agent id of 9 characters', `arn:aws:bedrock:us-east-1:${HUB}:agent/AGENT1234`, /does not end in agent\/<10 letters and digits>/],
    ['a stray quote (named before the shape)', `arn:aws:bedrock:us-east-1:${HUB}:knowledge-base/KB12345678"`, /has a trailing '"'/],
  ])('refuses %s', (_name, arn, message) => {
    expect(describeBedrockArnProblem(arn)).toMatch(message);
    expect(parseBedrockArn(arn)).toBeUndefined();
  });
});

describe('ids', () => {
  test.each([
    ['agentId', 'agent12345'],
    ['agentAliasId', 'alias12345'],
    ['agentAliasId', 'TSTALIASID'],
    ['knowledgeBaseId', 'kb12345678'],
  ] as const)('%s %s: letters of either case (AWS: [0-9a-zA-Z]{10})', (kind, value) => {
    expect(describeBedrockIdProblem(kind, value)).toBeUndefined();
  });

  test('geography prefixes, foundation model ids and profile ids', () => {
    expect(geographyPrefixOf('eu.amazon.nova-pro-v1:0')).toBe('eu');
    expect(geographyPrefixOf('amazon.nova-pro-v1:0')).toBeUndefined();
    expect(isFoundationModelId('amazon.nova-pro-v1:0')).toBe(true);
    expect(isFoundationModelId('us.amazon.nova-pro-v1:0')).toBe(false);
    expect(parseInferenceProfileId('us-gov.anthropic.claude-v2')).toEqual({ geography: 'us-gov', foundationModelId: 'anthropic.claude-v2' });
    expect(parseInferenceProfileId('anthropic.claude-v2')).toBeUndefined();
  });
});

describe('geographies: where a caller\'s profiles come from, and where they route to', () => {
  test.each([
    ['us-east-1', 'us'],
    ['us-west-1', 'us'],
    ['ca-central-1', 'us'],
    ['us-gov-west-1', 'us-gov'],
    ['eu-central-1', 'eu'],
    ['ap-northeast-1', 'apac'],
    ['ap-southeast-2', 'apac'],
    ['sa-east-1', undefined],
    ['me-central-1', undefined],
  ])('a caller in %s uses the %s profiles', (region, geography) => {
    expect(sourceGeographyOf(region)).toBe(geography);
  });

  const routesTo = (geography: string, region: string): boolean =>
    GEOGRAPHIES.get(geography)!.regionPrefixes.some((prefix) => region.startsWith(prefix));
  test.each([
    ['us', 'us-west-1', true],
    ['us', 'ca-central-1', false],
    ['apac', 'me-central-1', true],
    ['jp', 'ap-northeast-3', true],
    ['jp', 'ap-northeast-2', false],
    ['au', 'ap-southeast-4', true],
    ['au', 'ap-southeast-1', false],
    ['global', 'sa-east-1', true],
  ])('%s profiles route to %s: %s', (geography, region, expected) => {
    expect(routesTo(geography, region)).toBe(expected);
  });
});
