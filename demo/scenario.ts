/**
 * Runs the example app on the local emulator: synthesize it once (the handler is bundled by
 * NodejsFunction's esbuild), load the templates into an emulator, start the bundled function as a
 * warm Lambda environment. Used by `npm run demo` and by the end-to-end tests.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import {
  EXTERNAL_ID, ExampleApp, ExampleAppOptions, FUNCTION_ID, HUB_ACCOUNT, KNOWLEDGE_BASE_ID, REGION, buildExampleApp,
} from './app';
import type { Operation } from './handler';
import { AwsEmulator, LambdaRunner, ManualClock, ResolvedStack } from '../emulator';

/** A synthesized example app in a temporary directory. */
export interface SynthesizedExample {
  readonly example: ExampleApp;
  readonly assembly: CloudAssembly;
  readonly outdir: string;
  /** How long synthesis (with bundling) took. */
  readonly synthMs: number;
  /** Removes the cloud assembly. */
  readonly dispose: () => void;
}

/** Builds and synthesizes the example app into a fresh temporary directory. */
export function synthesizeExample(options: Omit<ExampleAppOptions, 'outdir'> = {}): SynthesizedExample {
  const outdir = mkdtempSync(join(tmpdir(), 'bedrock-hub-example-'));
  const started = Date.now();
  try {
    const example = buildExampleApp({ ...options, outdir });
    const assembly = example.app.synth();
    return { example, assembly, outdir, synthMs: Date.now() - started, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** The synthesized template of a stack. */
export function templateOf(synthesized: SynthesizedExample, stackName: string): Record<string, any> {
  return synthesized.assembly.getStackByName(stackName).template;
}

/** The bundled handler (`index.js` of the function's asset directory) of a workload stack. */
export function bundleOf(synthesized: SynthesizedExample, stackName: string): { directory: string; bytes: number } {
  const template = templateOf(synthesized, stackName);
  const fn = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && String(r.Metadata?.['aws:cdk:path']).includes(`/${FUNCTION_ID}/`));
  if (!fn) {
    throw new Error(`no ${FUNCTION_ID} in ${stackName}`);
  }
  const directory = join(synthesized.outdir, fn.Metadata['aws:asset:path']);
  const bytes = readdirSync(directory).reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
  return { directory, bytes };
}

/** Options of {@link startExample}. */
export interface StartExampleOptions {
  /** Cloud assemblies to load, each with every stack in it. */
  readonly assemblies: readonly SynthesizedExample[];
  /** Parameter values per stack name (parameter mode). */
  readonly parameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Also write CloudTrail as JSON lines to this file. */
  readonly cloudTrailFile?: string;
}

/** The hub's resources, as loaded: what the handler's operations name. */
export interface HubResources {
  readonly guardrailId: string;
  readonly inferenceProfileArn: string;
  readonly agentId: string;
  readonly agentAliasId: string;
  readonly knowledgeBaseId: string;
}

/** An emulator running the example. */
export interface RunningExample {
  readonly emulator: AwsEmulator;
  readonly clock: ManualClock;
  readonly stacks: readonly ResolvedStack[];
  /** The hub's resources (undefined when no hub stack was loaded). */
  readonly hubResources?: HubResources;
  /** The emulator's reference (`<stackName>/<logicalId>`) of the example function of a workload stack. */
  functionReference(stackName: string): string;
  /** The physical name of the example function of a workload stack. */
  functionName(stackName: string): string;
  /** Starts the bundled function of a workload stack as a warm Lambda environment. */
  startFunction(stackName: string, environment?: Record<string, string>): Promise<LambdaRunner>;
  /** Stops the emulator and its Lambda environments; returns the emulator's internal problems. */
  stop(): Promise<readonly string[]>;
}

/**
 * Starts an emulator on a standing clock with the given cloud assemblies loaded, plus a knowledge
 * base in the hub (its vector store is no part of a template, so it is seeded with documents here).
 */
export async function startExample(options: StartExampleOptions): Promise<RunningExample> {
  const clock = new ManualClock();
  const emulator = await AwsEmulator.start({ clock, defaultRegion: REGION, cloudTrailFile: options.cloudTrailFile });
  try {
    const stacks = options.assemblies.flatMap((a) => emulator.loadCloudAssembly(a.outdir, { parameters: options.parameters }));
    const hubStack = stacks.find((s) => s.accountId === HUB_ACCOUNT && s.roles.length > 0);
    let hubResources: HubResources | undefined;
    if (hubStack) {
      const kb = emulator.bedrock.addKnowledgeBase({
        accountId: HUB_ACCOUNT,
        region: REGION,
        name: 'hub-handbook',
        knowledgeBaseId: KNOWLEDGE_BASE_ID,
        documents: [
          { text: 'To reset your badge, visit the front desk with an ID.' },
          { text: 'Badges expire after one year.' },
        ],
      });
      const one = <T>(items: readonly T[], what: string): T => {
        if (items.length !== 1) throw new Error(`expected one ${what} in ${hubStack.stackName}, found ${items.length}`);
        return items[0];
      };
      const alias = one(hubStack.agentAliases, 'agent alias');
      hubResources = {
        guardrailId: one(hubStack.guardrails, 'guardrail').guardrailId,
        inferenceProfileArn: one(hubStack.applicationInferenceProfiles, 'application inference profile').arn,
        agentId: alias.agentId,
        agentAliasId: alias.agentAliasId,
        knowledgeBaseId: kb.knowledgeBaseId,
      };
    }
    const functionOf = (stackName: string): string => {
      const stack = stacks.find((s) => s.stackName === stackName);
      const fn = stack?.functions.find((f) => f.logicalId.startsWith(FUNCTION_ID));
      if (!fn) throw new Error(`no ${FUNCTION_ID} in a loaded stack ${stackName}`);
      return `${stackName}/${fn.logicalId}`;
    };
    return {
      emulator,
      clock,
      stacks,
      hubResources,
      functionReference: functionOf,
      functionName: (stackName) => emulator.lambdaFunction(functionOf(stackName)).functionName,
      startFunction: (stackName, environment) => emulator.startLambda(functionOf(stackName), { environment }),
      stop: async () => {
        const problems = emulator.problems.map((p) => `${p.service} ${p.operation}: ${p.message}`);
        await emulator.stop();
        return problems;
      },
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

/** Every Bedrock operation the handler covers, on the hub's resources. */
export function bedrockOperations(hub: HubResources): Operation[] {
  return [
    { op: 'Converse' },
    { op: 'ConverseStream', modelId: hub.inferenceProfileArn },
    { op: 'InvokeModel' },
    { op: 'GetInferenceProfile', inferenceProfileIdentifier: hub.inferenceProfileArn },
    { op: 'ApplyGuardrail', guardrailIdentifier: hub.guardrailId, guardrailVersion: 'DRAFT' },
    { op: 'InvokeAgent', agentId: hub.agentId, agentAliasId: hub.agentAliasId },
    { op: 'Retrieve', knowledgeBaseId: hub.knowledgeBaseId },
  ];
}

/** The calls to the function's own account, made with plain clients. */
export const LOCAL_OPERATIONS: readonly Operation[] = [{ op: 'PutItem' }, { op: 'PutObject' }];

/** True if `text` contains the example's ExternalId (which must never be printed or logged). */
export function leaksExternalId(text: string): boolean {
  return text.includes(EXTERNAL_ID);
}
