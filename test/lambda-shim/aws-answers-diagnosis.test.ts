/**
 * Every answer of the catalogue (`fixtures/aws-answers.json`) through the real diagnosis: an error
 * shaped like the SDK's (name, message, `$metadata.httpStatusCode`) given to `explainAssumeRoleError`
 * (STS) or `explainBedrockError` (Bedrock), with the shim's knowledge taken from the entry's context;
 * requests refused before sending through `checkBedrockRequest`; the bearer-token warning through
 * `warnAboutBearerBypass`. Layer, required terms and forbidden advice are asserted on the diagnosis in
 * the shim's own words (AWS's quoted message removed).
 */
import { AwsAnswer, loadAwsAnswers } from './fixtures/aws-answers';
import { explainAssumeRoleError } from '../../lambda-shim/assume-role-diagnosis';
import { resetBearerBypassWarning, warnAboutBearerBypass } from '../../lambda-shim/bearer-warning';
import { explainBedrockError } from '../../lambda-shim/bedrock-diagnosis';
import type { RoleToAssume } from '../../lambda-shim/config';
import { BedrockHubError } from '../../lambda-shim/errors';
import { checkBedrockRequest } from '../../lambda-shim/request-checks';

const EXTERNAL_ID = 'example-external-id-secret';
const BEARER_TOKEN = 'ABSKexampleBearerTokenValue';
const entries = loadAwsAnswers().entries;

/** What the shim warns, once per process, for `env` in hub mode; `''` when it does not warn. */
function bearerBypassWarning(env: Record<string, string>, roleArn: string): string {
  let text = '';
  resetBearerBypassWarning();
  warnAboutBearerBypass(env, roleArn, (message) => { text = message; });
  return text;
}

function roleOf(e: AwsAnswer): RoleToAssume {
  const c = e.context;
  return {
    kind: 'hub',
    roleArn: c.roleArn,
    account: c.roleArn.split(':')[4],
    partition: 'aws',
    ...(c.externalIdSent ? { externalId: EXTERNAL_ID } : {}),
    sessionName: 'orders-fn',
    durationSeconds: 3600,
    stsRegion: c.clientRegion,
    ...(c.sessionTagsConfigured ? { tags: [{ Key: 'team', Value: 'orders' }] } : {}),
    ...(c.sourceIdentityConfigured ? { sourceIdentity: 'orders-fn' } : {}),
  };
}

/** An error as the SDK throws it for a service's answer. */
function sdkError(e: AwsAnswer): Error {
  return Object.assign(new Error(e.message!), {
    name: e.code!,
    $fault: e.httpStatus! >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: e.httpStatus!, requestId: 'example-request-id' },
  });
}

/** What the diagnosis of entry `e` is: an error (layer, text) or a warning (text). */
function diagnose(e: AwsAnswer): { layer: string | null; text: string; hint: string } {
  const role = roleOf(e);
  const ctx = { kind: role.kind, roleArn: role.roleArn, account: role.account, region: e.context.clientRegion };
  if (e.expect.warning) {
    const env = { BEDROCK_ASSUME_ROLE_ARN: role.roleArn, ...(e.context.bearerTokenInEnvironment ? { AWS_BEARER_TOKEN_BEDROCK: BEARER_TOKEN } : {}) };
    const warning = e.context.hubMode ? bearerBypassWarning(env, role.roleArn) : '';
    return { layer: null, text: warning, hint: warning };
  }
  let explained: unknown;
  if (e.message === null) {
    explained = checkBedrockRequest(e.operation, { modelId: e.context.modelId }, { ...ctx, roleFor: () => undefined });
  } else if (e.service === 'sts') {
    explained = explainAssumeRoleError(sdkError(e), role);
  } else {
    explained = explainBedrockError(sdkError(e), ctx, {
      operation: e.operation,
      ...(e.context.modelId ? { modelId: e.context.modelId } : {}),
      ...('guardrailIdentifier' in e.context ? { guardrailIdentifier: e.context.guardrailIdentifier } : {}),
    });
  }
  if (!(explained instanceof BedrockHubError)) return { layer: 'unexplained', text: String(explained), hint: '' };
  // The shim's own words: AWS's message, quoted after "said:", is not the diagnosis.
  return { layer: explained.layer, text: e.message === null ? explained.message : explained.message.split(e.message).join(''), hint: explained.hint };
}

describe('the diagnosis of every answer in the catalogue', () => {
  test.each(entries.map((e): [string, AwsAnswer] => [e.id, e]))('%s', (_id, e) => {
    const { layer, text } = diagnose(e);
    expect(layer).toBe(e.expect.layer);
    const lower = text.toLowerCase();
    const found = (term: string) => lower.includes(term.toLowerCase());
    for (const term of e.expect.hintIncludes) expect({ includes: term, found: found(term) }).toEqual({ includes: term, found: true });
    for (const term of e.expect.hintExcludes) expect({ excludes: term, found: found(term) }).toEqual({ excludes: term, found: false });
    expect(text).not.toContain(EXTERNAL_ID);
    expect(text).not.toContain(BEARER_TOKEN);
  });

  test('prints the layer and the first sentence of the hint for each of the issue\'s inputs', () => {
    const lines = entries.filter((e) => e.family === 'issue-input').map((e) => {
      const { layer, hint } = diagnose(e);
      return `${e.id}: ${layer ?? 'warning'}: ${/^.*?\.(\s|$)/.exec(hint)?.[0].trim() ?? hint}`;
    });
    console.log(lines.join('\n'));
    expect(lines).toHaveLength(11);
  });
});
