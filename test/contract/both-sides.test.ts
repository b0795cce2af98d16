// Every id and ARN case fed to both sides of the contract: BedrockHubRole's props at synth, and
// the runtime shim's request checks before a call. Both must give the same verdict.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { checkBedrockRequest, RequestCheckContext } from '../../lambda-shim/request-checks';
import { BedrockHubRole, BedrockHubRoleProps } from '../../src/bedrock-hub-role';
import { BedrockModel } from '../../src/bedrock-model';
import { describeBedrockArnProblem } from '../../src/contract';

const HUB = '111122223333';
const OTHER = '444455556666';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const arn = (account: string, resource: string) => `arn:aws:bedrock:us-east-1:${account}:${resource}`;

type Verdict = 'accepted' | 'refused';

/** What a prop takes, and the shim request that carries the same value. */
interface Field {
  readonly props: (value: string) => Partial<BedrockHubRoleProps>;
  readonly request: (value: string) => [operation: string, input: Record<string, unknown>];
}

// ARNs travel in requests as `modelId` / `modelArn` / `guardrailIdentifier`, which take Bedrock ARNs:
// the shim checks them with the contract's per-type ARN rules.
const asArn = (value: string): [string, Record<string, unknown>] => ['Converse', { modelId: value }];

const FIELDS: Record<string, Field> = {
  agentAlias: {
    props: (value) => ({ agentAliases: [value] }),
    request: (value) => {
      if (value.startsWith('arn:')) return asArn(value);
      const [agentId, agentAliasId] = value.split('/');
      return ['InvokeAgent', { agentId, agentAliasId, sessionId: 's', inputText: 'hi' }];
    },
  },
  knowledgeBase: {
    props: (value) => ({ knowledgeBases: [value] }),
    request: (value) => (value.startsWith('arn:') ? asArn(value) : ['Retrieve', { knowledgeBaseId: value, retrievalQuery: { text: 'q' } }]),
  },
  guardrail: {
    props: (value) => ({ guardrails: [value] }),
    request: (value) => ['ApplyGuardrail', { guardrailIdentifier: value, guardrailVersion: '1', source: 'INPUT', content: [] }],
  },
  foundationModel: {
    props: (value) => ({ models: [BedrockModel.foundationModel(value)] }),
    request: (value) => ['Converse', { modelId: value }],
  },
  crossRegionProfile: {
    props: (value) => ({ models: [BedrockModel.crossRegionProfile(value, { allDestinationRegions: true })] }),
    request: (value) => ['Converse', { modelId: value }],
  },
  applicationProfile: {
    props: (value) => ({ models: [BedrockModel.applicationInferenceProfile(value, { routesTo: BedrockModel.foundationModel(SONNET) })] }),
    request: (value) => (value.startsWith('arn:') ? asArn(value) : ['GetInferenceProfile', { inferenceProfileIdentifier: value }]),
  },
};

/** field, value, the verdict both sides must give. */
const CASES: Array<[keyof typeof FIELDS, string, Verdict]> = [
  // Agent aliases: AWS's pattern is [0-9a-zA-Z]{10} for both ids; lower case is allowed.
  ['agentAlias', 'AGENT12345/ALIAS12345', 'accepted'],
  ['agentAlias', 'agent12345/alias12345', 'accepted'],
  ['agentAlias', 'PEGHWIVI5Y/TSTALIASID', 'accepted'],
  ['agentAlias', 'AGENT1234/ALIAS12345', 'refused'],
  ['agentAlias', 'AGENT12345/ALIAS1234', 'refused'],
  ['agentAlias', 'AGENT-2345/ALIAS12345', 'refused'],
  ['agentAlias', 'AGENT12345/ALIAS12345"', 'refused'],
  ['agentAlias', arn(HUB, 'agent-alias/agent12345/alias12345'), 'accepted'],
  ['agentAlias', arn('', 'agent-alias/AGENT12345/ALIAS12345'), 'refused'],
  ['agentAlias', arn(OTHER, 'agent-alias/AGENT12345/ALIAS12345'), 'refused'],
  // Knowledge bases.
  ['knowledgeBase', 'KB12345678', 'accepted'],
  ['knowledgeBase', 'kb12345678', 'accepted'],
  ['knowledgeBase', 'KB1234567', 'refused'],
  ['knowledgeBase', 'KB12345678\n', 'refused'],
  ['knowledgeBase', arn(HUB, 'knowledge-base/kb12345678'), 'accepted'],
  ['knowledgeBase', arn('', 'knowledge-base/KB12345678'), 'refused'],
  ['knowledgeBase', arn(OTHER, 'knowledge-base/KB12345678'), 'refused'],
  // Guardrails: lower-case letters and digits.
  ['guardrail', 'gr4abc123xyz', 'accepted'],
  ['guardrail', 'GR4ABC', 'refused'],
  ['guardrail', 'gr4abc ', 'refused'],
  ['guardrail', arn(HUB, 'guardrail/gr4abc123xyz'), 'accepted'],
  ['guardrail', arn(HUB, 'guardrail/GR-1'), 'refused'],
  ['guardrail', arn('', 'guardrail/gr4abc123xyz'), 'refused'],
  ['guardrail', arn(OTHER, 'guardrail/gr4abc123xyz'), 'refused'],
  // Foundation models and cross-region profiles, by id.
  ['foundationModel', SONNET, 'accepted'],
  ['foundationModel', `${SONNET} `, 'refused'],
  ['foundationModel', `"${SONNET}"`, 'refused'],
  ['crossRegionProfile', `us.${SONNET}`, 'accepted'],
  ['crossRegionProfile', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'accepted'],
  ['crossRegionProfile', ` us.${SONNET}`, 'refused'],
  ['crossRegionProfile', `us.${SONNET}'`, 'refused'],
  // Application inference profiles, by id or ARN (account-scoped: in the hub account only).
  ['applicationProfile', 'a1b2c3d4e5f6', 'accepted'],
  ['applicationProfile', 'a1b2c3d4e5f6\t', 'refused'],
  ['applicationProfile', arn(HUB, 'application-inference-profile/a1b2c3d4e5f6'), 'accepted'],
  ['applicationProfile', arn('', 'application-inference-profile/a1b2c3d4e5f6'), 'refused'],
  ['applicationProfile', arn(OTHER, 'application-inference-profile/a1b2c3d4e5f6'), 'refused'],
];

const ctx: RequestCheckContext = {
  kind: 'hub',
  roleArn: `arn:aws:iam::${HUB}:role/BedrockHubRole`,
  account: HUB,
  region: 'us-east-1',
  roleFor: () => undefined,
};

function constructVerdict(field: Field, value: string): Verdict {
  try {
    const stack = new Stack(new App(), 'Hub', { env: { account: HUB, region: 'us-east-1' } });
    new BedrockHubRole(stack, 'HubRole', { trustedAccounts: ['222233334444'], externalId: 'external-id-1', ...field.props(value) });
    Template.fromStack(stack);
    return 'accepted';
  } catch {
    return 'refused';
  }
}

function shimVerdict(field: Field, value: string): Verdict {
  const [operation, input] = field.request(value);
  return checkBedrockRequest(operation, input, ctx) === undefined ? 'accepted' : 'refused';
}

describe('the constructs and the runtime shim give the same verdict on every id and ARN', () => {
  test.each(CASES)('%s %j: %s', (name, value, verdict) => {
    const field = FIELDS[name];
    expect({ construct: constructVerdict(field, value), shim: shimVerdict(field, value) }).toEqual({ construct: verdict, shim: verdict });
  });

  test('the lower-case agent alias: BedrockHubRole grants it, and the shim sends InvokeAgent with it', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Hub', { env: { account: HUB, region: 'us-east-1' } });

    // WHEN
    new BedrockHubRole(stack, 'HubRole', { trustedAccounts: ['222233334444'], externalId: 'external-id-1', agentAliases: ['agent12345/alias12345'] });

    // THEN
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain(arn(HUB, 'agent-alias/agent12345/alias12345'));
    expect(checkBedrockRequest('InvokeAgent', { agentId: 'agent12345', agentAliasId: 'alias12345' }, ctx)).toBeUndefined();
  });
});

describe('every Bedrock ARN BedrockHubRole forms passes the shim\'s ARN check', () => {
  test('foundation models, system and application profiles, guardrails, agent aliases, knowledge bases', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Hub', { env: { account: HUB, region: 'us-east-1' } });
    new BedrockHubRole(stack, 'HubRole', {
      trustedAccounts: ['222233334444'],
      externalId: 'external-id-1',
      models: [
        BedrockModel.foundationModel(SONNET),
        BedrockModel.crossRegionProfile(`us.${SONNET}`, { destinationRegions: ['us-east-1', 'us-west-2'] }),
        BedrockModel.crossRegionProfile('global.anthropic.claude-sonnet-4-5-20250929-v1:0'),
        BedrockModel.applicationInferenceProfile('a1b2c3d4e5f6', { routesTo: BedrockModel.foundationModel(SONNET) }),
      ],
      guardrails: ['gr4abc123xyz'],
      agentAliases: ['agent12345/alias12345'],
      knowledgeBases: ['kb12345678'],
    });

    // WHEN
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    const arns = [...new Set(json.match(/arn:aws:bedrock:[^"*]*/g) ?? [])];

    // THEN
    expect(arns.length).toBeGreaterThanOrEqual(8);
    expect(arns).toContain('arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(arns.map((a) => [a, describeBedrockArnProblem(a)])).toEqual(arns.map((a) => [a, undefined]));
  });
});

describe('ARNs that cannot be right are refused before sending', () => {
  test.each<[string, string, RegExp]>([
    ['a geography prefix inside a foundation-model ARN', 'arn:aws:bedrock:eu-central-1::foundation-model/eu.amazon.nova-pro-v1:0',
      /inference profile id 'eu\.amazon\.nova-pro-v1:0' inside a foundation-model ARN/],
    ['a foundation-model ARN with an account', `arn:aws:bedrock:us-east-1:${HUB}:foundation-model/anthropic.claude-3-haiku-20240307-v1:0`,
      /foundation-model ARNs have none: arn:aws:bedrock:us-east-1::foundation-model\/anthropic\.claude-3-haiku-20240307-v1:0/],
    ['a system inference-profile ARN without an account', 'arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      /has no account, but an inference-profile ARN names the account that calls it/],
  ])('%s', (_name, value, message) => {
    const error = checkBedrockRequest('Converse', { modelId: value }, ctx);
    expect(error?.layer).toBe('invalid-identifier');
    expect(error?.message).toMatch(message);
  });
});
