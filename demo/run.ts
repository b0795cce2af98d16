/**
 * `npm run demo`: synthesizes the example app (hub stack + workload stack), runs its bundled
 * Lambda function on the local emulator and prints what happened: what BedrockHubAccess added to
 * the template, who called what in which account under which session, an hour of warm
 * invocations with the credential refresh, and one misconfiguration with its diagnosis.
 *
 * Needs no AWS account and no credentials. Exits non-zero if any check fails.
 */
import { BedrockHubEnvironment } from '../src';
import { eventRows, kilobytes, relativeTime, seconds, table, wrap } from './report';
import type { CloudTrailEvent, InvocationResult, LambdaRunner } from '../emulator';
import { EXTERNAL_ID, HUB_ACCOUNT, HUB_ROLE_ARN, HUB_STACK_NAME, MODEL_ID, REGION, WORKLOAD_ACCOUNT, WORKLOAD_STACK_PREFIX } from '../test/fixtures/hub-app/app';
import type { DemoResult, Operation, OperationResult } from '../test/fixtures/hub-app/handler';
import { bedrockOperations, bundleOf, LOCAL_OPERATIONS, RunningExample, startExample, synthesizeExample, SynthesizedExample, templateOf } from '../test/fixtures/hub-app/scenario';
import { expirationOf, hubAssumeRoles, isBedrock, issuedKey, signerOf } from '../test/fixtures/hub-app/trail';

/** One thing the demo verified. */
export interface DemoCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/** What {@link runDemo} found. */
export interface DemoOutcome {
  /** Whether every check passed. */
  readonly ok: boolean;
  readonly checks: readonly DemoCheck[];
  /** Wall time of the whole demo. */
  readonly wallMs: number;
  /** Invocations during the simulated hour, how many failed, and AssumeRole calls in the hub meanwhile. */
  readonly hour: { readonly invocations: number; readonly failed: number; readonly assumeRoles: number };
  /** Everything printed. */
  readonly output: string;
}

/** Prints one line of the report. */
type Print = (line?: string) => void;
/** Records one check; returns whether it passed. */
type Check = (name: string, ok: boolean, detail?: string) => boolean;

const WIDTH = 110;
const MINUTE = 60_000;

/** A failed step: the demo stops, and reports it. */
class StepFailed extends Error {}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Receives the report, line by line. @default stdout */
  readonly write?: (line: string) => void;
  /** Changes the emulator before the function first runs (to see the demo catch a broken setup). */
  readonly beforeInvoking?: (running: RunningExample) => void;
}

/** Runs the demo, writing the report line by line. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const lines: string[] = [];
  const print = (line = ''): void => {
    lines.push(line);
    write(line);
  };
  const checks: DemoCheck[] = [];
  const check = (name: string, ok: boolean, detail?: string): boolean => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const hour = { invocations: 0, failed: 0, assumeRoles: 0 };

  print('bedrock-hub-access demo: a workload Lambda function calls Amazon Bedrock through a role in a hub account');
  print(`workload account ${WORKLOAD_ACCOUNT}, hub account ${HUB_ACCOUNT}, region ${REGION}. No AWS account is used: the`);
  print('synthesized templates run on the local emulator, which verifies every SigV4 signature and decides every');
  print('request with an IAM policy engine over the templates\' policies.');

  let synthesized: SynthesizedExample | undefined;
  let running: RunningExample | undefined;
  try {
    synthesized = synthesizeExample();
    describeApp(synthesized, print);
    describeConstruct(synthesized, print, check);

    running = await startExample({ assemblies: [synthesized] });
    options.beforeInvoking?.(running);
    const lambda = await running.startFunction(WORKLOAD_STACK_PREFIX);
    const functionName = running.functionName(WORKLOAD_STACK_PREFIX);
    // CloudTrail times have whole seconds.
    const origin = Math.floor(running.clock.now() / 1000) * 1000;

    await invokeAFewTimes(running, lambda, functionName, origin, print, check);
    describeTrail(running, functionName, origin, print, check);
    Object.assign(hour, await runAnHour(running, lambda, functionName, origin, print, check));
    await misconfigure(running, lambda, print, check);
  } catch (error) {
    check('every step ran', false, error instanceof StepFailed ? error.message : (error as Error).stack ?? String(error));
  } finally {
    const problems = running ? await running.stop() : [];
    check('the emulator met no internal problem', problems.length === 0, problems.join('; '));
    synthesized?.dispose();
  }

  check('this report shows no ExternalId', !lines.join('\n').includes(EXTERNAL_ID));
  const ok = checks.every((c) => c.ok);
  section(print, 'Checks');
  for (const c of checks) {
    print(`   ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}`);
    if (!c.ok && c.detail) wrap(c.detail, WIDTH, '         ').forEach((l) => print(l));
  }
  const wallMs = Date.now() - started;
  print();
  print(`${ok ? 'All' : `${checks.filter((c) => !c.ok).length} of`} ${checks.length} checks ${ok ? 'passed' : 'FAILED'}. Wall time: ${seconds(wallMs)}.`);
  return { ok, checks, wallMs, hour, output: lines.join('\n') };
}

function section(print: Print, title: string): void {
  print();
  print(title);
  print('='.repeat(title.length));
}

// ---------------------------------------------------------------------------
// 1. The app, 2. what the construct added
// ---------------------------------------------------------------------------

function describeApp(synthesized: SynthesizedExample, print: Print): void {
  section(print, '1. The example app, synthesized');
  const bundle = bundleOf(synthesized, WORKLOAD_STACK_PREFIX);
  print(table(['stack', 'account', 'what is in it'], [
    [HUB_STACK_NAME, HUB_ACCOUNT, `role ${HUB_ROLE_ARN.split('/').pop()} (the BedrockHubRole construct), a guardrail, an application`],
    ['', '', 'inference profile, an agent with an alias (and a knowledge base, created next to the stack)'],
    [WORKLOAD_STACK_PREFIX, WORKLOAD_ACCOUNT, 'function AskFunction (NodejsFunction: handler + shim bundled by esbuild,'],
    ['', '', `${kilobytes(bundle.bytes)}, @aws-sdk/* left to the runtime), a DynamoDB table, an S3 bucket`],
  ]).join('\n'));
  print(`   Synthesized in ${seconds(synthesized.synthMs)}, bundling included.`);

  const resources = templateOf(synthesized, HUB_STACK_NAME).Resources as Record<string, any>;
  const role = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === HUB_ROLE_ARN.split('/').pop());
  const show = (value: unknown): string => [value].flat()
    .map((v) => (typeof v === 'string' ? v : `<${Object.values(v as Record<string, string[]>)[0].join('.')}>`)).join(', ');
  print(`   The hub role's trust policy, for ${HUB_ROLE_ARN}:`);
  for (const t of role.Properties.AssumeRolePolicyDocument.Statement) {
    const conditions = Object.entries<Record<string, unknown>>(t.Condition ?? {}).flatMap(([operator, entries]) => Object.entries(entries)
      .map(([key, value]) => `${key} ${operator} ${/externalid/i.test(key) ? '(the ExternalId; not shown)' : show(value)}`));
    print(`     ${t.Effect} ${t.Action} to ${show(t.Principal.AWS)}`);
    for (const c of conditions) print(`       if ${c}`);
  }
  print('   and its permissions:');
  const statements = role.Properties.Policies.flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement);
  print(table(['actions (bedrock:…)', 'resource (arn:aws:bedrock:…)', ''], statements.map((st: { Action: unknown; Resource: unknown; Condition?: unknown }) => [
    show(st.Action).replace(/bedrock:/g, ''), show(st.Resource).replace(/arn:aws:bedrock:/g, ''), st.Condition ? '(only through the profile)' : '',
  ]), '     ').join('\n'));
}

function describeConstruct(synthesized: SynthesizedExample, print: Print, check: Check): void {
  section(print, '2. What BedrockHubAccess added to the workload template');
  const resources = templateOf(synthesized, WORKLOAD_STACK_PREFIX).Resources as Record<string, any>;
  const added = Object.entries(resources).filter(([, r]) => /\/BedrockHub\//.test(String(r.Metadata?.['aws:cdk:path'])));
  const [fnId, fn] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;

  const statements: Array<{ Effect: string; Action: string | string[]; Resource: unknown }> = [];
  for (const [id, r] of added) {
    const document = r.Properties?.PolicyDocument;
    const roles = (r.Properties?.Roles ?? []).map((ref: { Ref?: string }) => ref.Ref).join(', ');
    print(`   ${r.Type} ${id}${roles ? `, attached to the function's role ${roles}` : ''}:`);
    for (const s of document?.Statement ?? []) {
      statements.push(s);
      print(`     ${s.Effect} ${[s.Action].flat().join(', ')} on ${[s.Resource].flat().join(', ')}`);
    }
  }
  const variables = Object.entries<string>(fn.Properties.Environment?.Variables ?? {}).filter(([k]) => BedrockHubEnvironment.ALL.includes(k));
  print(`   Environment of ${fnId}:`);
  const shown = variables.map(([k, v]) => [k, k === BedrockHubEnvironment.EXTERNAL_ID ? '(set; the value is not shown)' : v]);
  print(table(['variable', 'value'], shown, '     ').join('\n'));
  const bytes = JSON.stringify(Object.fromEntries(added)).length + JSON.stringify(Object.fromEntries(variables)).length;
  print(`   In all: ${added.length} resource and ${variables.length} variables, about ${bytes} bytes of template.`);

  const bedrockActions = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((ref: { Ref?: string }) => ref.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()))
    .filter((a: string) => a.startsWith('bedrock:'));
  print(`   The function's own role (${roleId}) has ${bedrockActions.length === 0 ? 'no bedrock:* permission at all: every Bedrock call must go through the hub' : `bedrock permissions: ${bedrockActions.join(', ')}`}.`);

  check('the construct grants sts:AssumeRole on exactly the hub role, nothing else',
    statements.length === 1 && statements[0].Effect === 'Allow' && statements[0].Action === 'sts:AssumeRole' && statements[0].Resource === HUB_ROLE_ARN,
    JSON.stringify(statements));
  const variable = (name: string): string | undefined => variables.find(([k]) => k === name)?.[1];
  check('the construct sets the hub role ARN and the ExternalId on the function',
    variable(BedrockHubEnvironment.ROLE_ARN) === HUB_ROLE_ARN && variable(BedrockHubEnvironment.EXTERNAL_ID) !== undefined);
  check('the function\'s own role has no Bedrock permission', bedrockActions.length === 0, bedrockActions.join(', '));
}

// ---------------------------------------------------------------------------
// 3. Invocations, 4. CloudTrail
// ---------------------------------------------------------------------------

function summarize(invocation: InvocationResult): { ok: boolean; results: readonly OperationResult[]; text: string; signedAs?: string } {
  if (!invocation.ok) {
    return { ok: false, results: [], text: `${invocation.error.errorType}: ${invocation.error.errorMessage}` };
  }
  const result = invocation.result as DemoResult;
  const failed = result.results.filter((r) => !r.ok);
  return {
    ok: failed.length === 0,
    results: result.results,
    text: failed.length === 0 ? `${result.results.length}/${result.results.length} OK` : `failed: ${failed.map((f) => f.op).join(', ')}`,
    signedAs: result.signedAs,
  };
}

async function invokeAFewTimes(
  running: RunningExample, lambda: LambdaRunner, functionName: string, origin: number,
  print: Print, check: Check,
): Promise<void> {
  section(print, '3. Invoking the bundled function');
  print('   A warm Lambda environment runs the asset esbuild wrote, with the template\'s environment and execution-role');
  print(`   credentials the emulator issued for function ${functionName}.`);
  const plan: Array<[string, Operation[]]> = [
    ['every Bedrock API the shim covers, then DynamoDB and S3', [...bedrockOperations(running.hubResources!), ...LOCAL_OPERATIONS]],
    ['Converse + DynamoDB PutItem', [{ op: 'Converse' }, { op: 'PutItem' }]],
    ['Converse', [{ op: 'Converse' }]],
  ];
  const rows: string[][] = [];
  let allOk = true;
  let signedAs: string | undefined;
  let answer: string | undefined;
  for (const [i, [what, operations]] of plan.entries()) {
    if (i > 0) running.clock.advance(MINUTE);
    const invocation = await lambda.invoke({ operations });
    const summary = summarize(invocation);
    allOk &&= summary.ok;
    signedAs ??= summary.signedAs;
    const first = summary.results[0];
    answer ??= first?.ok ? first.detail : undefined;
    rows.push([String(i + 1), relativeTime(running.clock.now(), origin), invocation.coldStart ? 'cold' : 'warm', what, summary.text]);
    if (i === 0) {
      for (const r of summary.results) rows.push(['', '', '', `  ${r.op}`, r.ok ? truncate(r.detail, 52) : `${r.error.name} ${r.error.layer ?? r.error.code ?? ''}`]);
    }
  }
  print(table(['#', 'time', 'start', 'operations', 'outcome'], rows).join('\n'));
  print(`   Hub clients signed as ${signedAs ?? '(nobody)'}`);
  check('every operation of the first invocations succeeded', allOk);
  check('the hub session is the hub role, named after the function',
    signedAs === `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/${HUB_ROLE_ARN.split('/').pop()}/${functionName}`, signedAs);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function describeTrail(
  running: RunningExample, functionName: string, origin: number,
  print: Print, check: Check,
): void {
  section(print, '4. CloudTrail: who called what, in which account, under which session');
  const events = running.emulator.cloudTrail.events;
  const rows = eventRows(events, events).map((r) => [
    relativeTime(r.time, origin), r.account, r.event, r.caller.replace(/^role\/Workload-.*$/, 'role/<function\'s role>'), r.session, r.signer, r.result,
  ]);
  print(table(['time', 'account', 'event', 'caller', 'session', 'keys', 'result'], rows).join('\n'));
  const fnRole = events.find((e) => e.recipientAccountId === WORKLOAD_ACCOUNT && e.userIdentity.sessionContext)
    ?.userIdentity.sessionContext?.sessionIssuer.userName;
  print(`   <function's role> = ${fnRole}, the execution role; the session of every call is the function's name.`);
  print('   keys: whose credentials signed the request. local = the execution role\'s, issued by Lambda;');
  print('   hub = the hub role\'s, issued by AssumeRole. An AssumeRole appears in both accounts\' trails; the hub');
  print('   sees the calling account only.');

  const assumeRoles = hubAssumeRoles(events);
  const bedrock = events.filter(isBedrock);
  const local = events.filter((e) => /^(dynamodb|s3)\./.test(e.eventSource));
  check('one AssumeRole in the hub for the first credential lifetime, session name = function name',
    assumeRoles.length === 1 && (assumeRoles[0].requestParameters as { roleSessionName?: string }).roleSessionName === functionName,
    `${assumeRoles.length} AssumeRole events`);
  check('every Bedrock call is in the hub account\'s trail, under the hub role\'s session, signed with hub credentials',
    bedrock.length > 0 && bedrock.every((e) => e.recipientAccountId === HUB_ACCOUNT && e.userIdentity.sessionContext?.sessionIssuer.arn === HUB_ROLE_ARN && signerOf(e, events) === 'hub'));
  check('DynamoDB and S3 calls stay in the workload account, signed with local credentials',
    local.length >= 3 && local.every((e) => e.recipientAccountId === WORKLOAD_ACCOUNT && signerOf(e, events) === 'local'));
}

// ---------------------------------------------------------------------------
// 5. An hour, 6. a misconfiguration
// ---------------------------------------------------------------------------

async function runAnHour(
  running: RunningExample, lambda: LambdaRunner, functionName: string, origin: number,
  print: Print, check: Check,
): Promise<{ invocations: number; failed: number; assumeRoles: number }> {
  section(print, '5. One simulated hour: the warm function is invoked every 5 minutes');
  print('   The clock moves; nothing sleeps. Hub credentials last one hour (role chaining); the shim refreshes them');
  print('   at the first call with 15 minutes or less left, and never signs with less than 10 minutes left.');
  const before = hubAssumeRoles(running.emulator.cloudTrail.events).length;
  const start = running.clock.now();
  let invocations = 0;
  let failed = 0;
  while (running.clock.now() - start < 60 * MINUTE) {
    running.clock.advance(5 * MINUTE);
    const summary = summarize(await lambda.invoke({ operations: [{ op: 'Converse' }] }));
    invocations++;
    if (!summary.ok) failed++;
  }
  const events = running.emulator.cloudTrail.events;
  const assumeRoles = hubAssumeRoles(events);
  const expiry = (e: CloudTrailEvent | undefined): number | undefined => e && expirationOf(issuedKey(e) ?? '', events);
  const rows = assumeRoles.map((e, i) => {
    const time = Date.parse(e.eventTime);
    const previousExpiry = expiry(assumeRoles[i - 1]);
    const why = previousExpiry
      ? `refresh, ${Math.round((previousExpiry - time) / MINUTE)} min before the previous credentials expired`
      : 'first Bedrock call (cold start)';
    const session = (e.requestParameters as { roleSessionName: string }).roleSessionName;
    return [relativeTime(time, origin), session, relativeTime(expiry(e) ?? NaN, origin), why];
  });
  print(table(['time', 'AssumeRole session', 'expires', 'why'], rows).join('\n'));
  const lastMinutesSigning = events.filter(isBedrock).map((e) => ((expirationOf(e.userIdentity.accessKeyId ?? '', events) ?? 0) - Date.parse(e.eventTime)) / MINUTE);
  const tightest = Math.min(...lastMinutesSigning);
  print(`   ${invocations} invocations over ${Math.round((running.clock.now() - start) / MINUTE)} minutes, ${failed} failed; ${assumeRoles.length - before} AssumeRole in the hub meanwhile;`);
  print(`   the least time left on credentials any Bedrock call was signed with: ${Math.round(tightest)} min.`);
  check('a warm function keeps working across the hour: zero failed invocations', failed === 0, `${failed} failed`);
  check('AssumeRole once per credential lifetime: 2 in the hub for the ~1 hour run', assumeRoles.length === 2, `${assumeRoles.length} AssumeRole events`);
  check('every AssumeRole session name is the function name',
    assumeRoles.every((e) => (e.requestParameters as { roleSessionName?: string }).roleSessionName === functionName));
  check('no Bedrock call was signed with credentials in their last 10 minutes', tightest > 10, `${tightest} min`);
  return { invocations, failed, assumeRoles: assumeRoles.length - before };
}

async function misconfigure(
  running: RunningExample, lambda: LambdaRunner,
  print: Print, check: Check,
): Promise<void> {
  section(print, `6. A misconfiguration: the hub account is not subscribed to ${MODEL_ID}, and the hub role may not subscribe it`);
  const { emulator, clock } = running;
  const mark = emulator.cloudTrail.events.length;
  // Serverless models are enabled by default; a Marketplace model is subscribed per account by its
  // first call, with the caller's aws-marketplace:Subscribe / ViewSubscriptions (the hub role has neither).
  emulator.bedrock.setModelSubscription({ accountId: HUB_ACCOUNT, modelId: MODEL_ID, subscribed: false });
  clock.advance(MINUTE);
  const invocation = await lambda.invoke({ operations: [{ op: 'Converse' }] });
  if (!invocation.ok) throw new StepFailed(`the function crashed: ${invocation.error.errorType}: ${invocation.error.errorMessage}`);
  const outcome = (invocation.result as DemoResult).results[0];
  if (outcome.ok) throw new StepFailed('the call succeeded without the hub account\'s Marketplace subscription');
  const { name, layer, hint = '', message } = outcome.error;
  const problem = message.replace(/^bedrock-hub-access \([\w-]+\): /, '').replace(hint, '').trim();
  print(`   The handler gets a ${name}; its message, also the function's log line, has it all:`);
  print(`     layer:   ${layer}`);
  wrap(problem, WIDTH, '              ', '     problem: ').forEach((l) => print(l));
  wrap(hint, WIDTH, '              ', '     hint:    ').forEach((l) => print(l));
  const after = emulator.cloudTrail.events.slice(mark);
  print('   CloudTrail meanwhile:');
  print(table(['account', 'event', 'caller', 'keys', 'result'],
    eventRows(after, emulator.cloudTrail.events).map((r) => [r.account, r.event, r.caller, r.signer, r.result]), '     ').join('\n'));

  check('the misconfiguration ends in a BedrockHubError of layer hub-permission whose hint names the Marketplace actions and the hub account',
    outcome.error.name === 'BedrockHubError' && outcome.error.layer === 'hub-permission'
      && /aws-marketplace:Subscribe/.test(outcome.error.hint ?? '') && (outcome.error.hint ?? '').includes(HUB_ACCOUNT)
      && !/Model access page|Bedrock console > Model access/i.test(outcome.error.hint ?? ''),
    JSON.stringify(outcome.error));
  const bedrock = after.filter(isBedrock);
  check('the denied call was made with hub credentials, and none with local ones',
    bedrock.length > 0 && bedrock.every((e: CloudTrailEvent) => signerOf(e, emulator.cloudTrail.events) === 'hub' && e.recipientAccountId === HUB_ACCOUNT));

  // An administrator of the hub account subscribes it (one call); subscriptions take a few minutes.
  emulator.bedrock.setModelSubscription({ accountId: HUB_ACCOUNT, modelId: MODEL_ID, subscribed: true });
  clock.advance(5 * MINUTE);
  const fixed = summarize(await lambda.invoke({ operations: [{ op: 'Converse' }] }));
  print(`   Once an administrator of the hub account has subscribed it, the same warm function: ${fixed.text}.`);
  check('after the fix the same warm function succeeds again', fixed.ok, fixed.text);
}

/** Runs the demo and sets the exit code. */
export async function main(): Promise<void> {
  const outcome = await runDemo();
  process.exitCode = outcome.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  });
}
