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

/**
 * What a prop takes, the shim request that carries the same value, and the values both sides must
 * accept and refuse.
 */
interface Field {
  readonly props: (value: string) => Partial<BedrockHubRoleProps>;
  readonly request: (value: string) => [operation: string, input: Record<string, unknown>];
  readonly accepted: readonly string[];
  readonly refused: readonly string[];
}

// ARNs travel in requests as `modelId` / `modelArn` / `guardrailIdentifier`, which take Bedrock ARNs:
// the shim checks them with the contract's per-type ARN rules.
const asArn = (value: string): [string, Record<string, unknown>] => ['Converse', { modelId: value }];

const FIELDS: Record<string, Field> = {
  // Agent aliases: AWS's pattern is [0-9a-zA-Z]{10} for both ids; lower case is allowed.
  agentAlias: {
    props: (value) => ({ agentAliases: [value] }),
    request: (value) => {
      if (value.startsWith('arn:')) return asArn(value);
      const [agentId, agentAliasId] = value.split('/');
      return ['InvokeAgent', { agentId, agentAliasId, sessionId: 's', inputText: 'hi' }];
    },
    accepted: ['AGENT12345/ALIAS12345', 'agent12345/alias12345', 'PEGHWIVI5Y/TSTALIASID', arn(HUB, 'agent-alias/agent12345/alias12345')],
    refused: [
      'AGENT1234/ALIAS12345', 'AGENT12345/ALIAS1234', 'AGENT-2345/ALIAS12345', 'AGENT12345/ALIAS12345"',
      arn('', 'agent-alias/AGENT12345/ALIAS12345'), arn(OTHER, 'agent-alias/AGENT12345/ALIAS12345'),
    ],
  },
  knowledgeBase: {
    props: (value) => ({ knowledgeBases: [value] }),
    request: (value) => (value.startsWith('arn:') ? asArn(value) : ['Retrieve', { knowledgeBaseId: value, retrievalQuery: { text: 'q' } }]),
    accepted: ['KB12345678', 'kb12345678', arn(HUB, 'knowledge-base/kb12345678')],
    refused: ['KB1234567', 'KB12345678\n', arn('', 'knowledge-base/KB12345678'), arn(OTHER, 'knowledge-base/KB12345678')],
  },
  // Guardrails: lower-case letters and digits.
  guardrail: {
    props: (value) => ({ guardrails: [value] }),
    request: (value) => ['ApplyGuardrail', { guardrailIdentifier: value, guardrailVersion: '1', source: 'INPUT', content: [] }],
    accepted: ['gr4abc123xyz', arn(HUB, 'guardrail/gr4abc123xyz')],
    refused: ['GR4ABC', 'gr4abc ', arn(HUB, 'guardrail/GR-1'), arn('', 'guardrail/gr4abc123xyz'), arn(OTHER, 'guardrail/gr4abc123xyz')],
  },
  // Foundation models and cross-region profiles, by id.
  foundationModel: {
    props: (value) => ({ models: [BedrockModel.foundationModel(value)] }),
    request: (value) => ['Converse', { modelId: value }],
    accepted: [SONNET],
    refused: [`${SONNET} `, `"${SONNET}"`],
  },
  crossRegionProfile: {
    props: (value) => ({ models: [BedrockModel.crossRegionProfile(value, { allDestinationRegions: true })] }),
    request: (value) => ['Converse', { modelId: value }],
    accepted: [`us.${SONNET}`, 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    refused: [` us.${SONNET}`, `us.${SONNET}'`],
  },
  // Application inference profiles, by id or ARN (account-scoped: in the hub account only).
  applicationProfile: {
    props: (value) => ({ models: [BedrockModel.applicationInferenceProfile(value, { routesTo: BedrockModel.foundationModel(SONNET) })] }),
    request: (value) => (value.startsWith('arn:') ? asArn(value) : ['GetInferenceProfile', { inferenceProfileIdentifier: value }]),
    accepted: ['a1b2c3d4e5f6', arn(HUB, 'application-inference-profile/a1b2c3d4e5f6')],
    refused: ['a1b2c3d4e5f6\t', arn('', 'application-inference-profile/a1b2c3d4e5f6'), arn(OTHER, 'application-inference-profile/a1b2c3d4e5f6')],
  },
};

/** field, value, the verdict both sides must give. */
const CASES: Array<[string, string, Verdict]> = Object.entries(FIELDS).flatMap(([name, field]) => [
  ...field.accepted.map((value): [string, string, Verdict] => [name, value, 'accepted']),
  ...field.refused.map((value): [string, string, Verdict] => [name, value, 'refused']),
]);

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
