/**
 * The catalogue of AWS's answers is data the diagnosis is checked against: this test keeps its shape
 * honest (required fields, unique ids, known layers, replaced accounts, AWS's exact characters). It
 * does not run the diagnosis; the expectations in the catalogue are for the classifier.
 */
import type { BedrockHubErrorLayer } from '../../lambda-shim';
import { AwsAnswer, loadAwsAnswers } from './fixtures/aws-answers';

/** Today's layers; `satisfies` makes `tsc` fail if one of them stops being a `BedrockHubErrorLayer`. */
const EXISTING_LAYERS = [
  'configuration', 'local-credentials', 'sts-unreachable', 'sts-throttled', 'caller-policy', 'trust-policy',
  'assume-role-denied', 'session-duration', 'identity-mismatch', 'attribution', 'sts', 'expired-token',
  'hub-permission', 'model-access', 'model-routing', 'vpc-endpoint-policy', 'hub-quota', 'hub-resource', 'wrong-client',
  'invalid-identifier', 'resource-account', 'no-target-role',
] as const satisfies readonly BedrockHubErrorLayer[];

const SERVICES = ['sts', 'bedrock-runtime', 'bedrock', 'bedrock-agent-runtime'];
const EVIDENCE = ['report', 'documented', 'documented-format'];
const FAMILIES = [
  'access-denied-clause', 'model-access', 'model-routing', 'guardrails', 'sts',
  'credentials-and-quotas', 'agents-and-knowledge-bases', 'issue-input',
];
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const catalogue = loadAwsAnswers();
const entries = catalogue.entries;
const knownLayers = new Set<string>([...EXISTING_LAYERS, ...Object.keys(catalogue.proposedLayers)]);
const placeholderAccounts = new Set(Object.values(catalogue.accounts));

describe('catalogue of AWS answers', () => {
  test('has at least 60 entries, and prints its size by family and its sources', () => {
    const byFamily = new Map<string, number>();
    for (const e of entries) byFamily.set(e.family, (byFamily.get(e.family) ?? 0) + 1);
    const sources = new Set(entries.map((e) => e.source));
    console.log([
      `aws-answers.json: ${entries.length} entries, ${sources.size} distinct sources`,
      ...[...byFamily].map(([family, n]) => `  ${family}: ${n}`),
    ].join('\n'));

    expect(entries.length).toBeGreaterThanOrEqual(60);
    expect([...byFamily.keys()].sort()).toEqual([...FAMILIES].sort());
  });

  test('ids are unique and kebab-case', () => {
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test.each(entries.map((e): [string, AwsAnswer] => [e.id, e]))('%s: fields are present and typed', (_id, e) => {
    expect(FAMILIES).toContain(e.family);
    expect(SERVICES).toContain(e.service);
    expect(e.operation).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(EVIDENCE).toContain(e.evidence);
    expect(e.source).toMatch(/^https:\/\/\S+$/);
    if (e.message === null) {
      // Only the inputs that AWS never answers: refused before sending, or a warning.
      expect(e.family).toBe('issue-input');
      expect(e.code).toBeNull();
      expect(e.httpStatus).toBeNull();
      expect(e.expect.sent === false || e.expect.warning === true).toBe(true);
    } else {
      expect(e.message.trim()).toBe(e.message);
      expect(e.message.length).toBeGreaterThan(0);
      expect(e.code).toMatch(/^[A-Za-z]+$/);
      expect(Number.isInteger(e.httpStatus) && e.httpStatus! >= 400 && e.httpStatus! < 600).toBe(true);
    }

    expect(e.context.clientRegion).toMatch(REGION);
    expect(typeof e.context.hubMode).toBe('boolean');
    expect(e.context.roleArn).toMatch(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/);
    expect(typeof e.context.externalIdSent).toBe('boolean');
    expect(typeof e.context.sessionTagsConfigured).toBe('boolean');
    expect(typeof e.context.sourceIdentityConfigured).toBe('boolean');
    expect(e.context.modelId === null || (typeof e.context.modelId === 'string' && e.context.modelId.length > 0)).toBe(true);
  });

  test.each(entries.map((e): [string, AwsAnswer] => [e.id, e]))('%s: expectation names a known layer and can be met', (_id, e) => {
    if (e.expect.layer === null) {
      expect(e.expect.warning).toBe(true);
    } else {
      expect(knownLayers.has(e.expect.layer)).toBe(true);
    }
    expect(e.expect.hintIncludes.length).toBeGreaterThan(0);
    for (const term of [...e.expect.hintIncludes, ...e.expect.hintExcludes]) {
      expect(typeof term).toBe('string');
      expect(term.trim().length).toBeGreaterThan(0);
    }
    // A hint cannot contain a required term without also containing an excluded one.
    for (const include of e.expect.hintIncludes) {
      for (const exclude of e.expect.hintExcludes) {
        const contained = include.toLowerCase().includes(exclude.toLowerCase());
        expect({ include, exclude, contained }).toEqual({ include, exclude, contained: false });
      }
    }
  });

  test('accounts and ids in messages are the catalogue\'s placeholders', () => {
    for (const e of entries) {
      const text = `${e.message ?? ''} ${JSON.stringify(e.context)}`;
      for (const account of text.match(/(?<![\d.])\d{12}(?![\d.])/g) ?? []) {
        expect(`${e.id}: ${account} is a placeholder: ${placeholderAccounts.has(account)}`).toBe(`${e.id}: ${account} is a placeholder: true`);
      }
      expect(text).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
    }
  });

  test('every proposed layer is justified, new, and used', () => {
    for (const [layer, why] of Object.entries(catalogue.proposedLayers)) {
      expect((EXISTING_LAYERS as readonly string[]).includes(layer)).toBe(false);
      expect(why.length).toBeGreaterThan(80);
      expect(entries.some((e) => e.expect.layer === layer)).toBe(true);
    }
  });

  test('the issue\'s nine inputs are all there', () => {
    const inputs = entries.filter((e) => e.family === 'issue-input').map((e) => /^input-(\d)/.exec(e.id)?.[1]);
    expect([...new Set(inputs)].sort()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  test('on-demand answers keep AWS\'s typographic apostrophe', () => {
    const onDemand = entries.filter((e) => e.message?.includes('with on-demand throughput'));
    expect(onDemand.length).toBeGreaterThanOrEqual(4);
    for (const e of onDemand) {
      expect(e.message).toContain('isn\u2019t supported');
      expect(e.message).not.toContain("isn't");
    }
  });

  test('every reason clause of access-denied messages is covered, explicit and implicit', () => {
    const covered = new Set(entries.filter((e) => e.parsed).map((e) => `${e.parsed!.policyType ?? 'none'}/${e.parsed!.denyKind}`));
    for (const type of ['identity-based', 'resource-based', 'permissions-boundary', 'session', 'service-control', 'vpc-endpoint', 'role-trust']) {
      expect(covered).toContain(`${type}/explicit`);
      expect(covered).toContain(`${type}/implicit`);
    }
    expect(covered).toContain('resource-control/explicit');
    expect(covered).toContain('none/unstated');
    expect(covered).toContain('none/explicit');
    expect(entries.some((e) => e.parsed?.policyArn && e.parsed.organizationId)).toBe(true);
    expect(entries.some((e) => e.parsed && !e.parsed.policyArn && e.parsed.denyKind === 'explicit' && e.parsed.policyType === 'service-control')).toBe(true);
  });
});
