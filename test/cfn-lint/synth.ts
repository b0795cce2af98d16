/**
 * Writes every template the example app and the end-to-end suites synthesize into one folder, for
 * cfn-lint (run.sh): the example hub and workload stacks (literal, parameter mode, VPC, no hub
 * access), the hub variants of the failure probes, the multi-account app (hub, target, workload),
 * the Python workload with the shim layer, and the integ snapshots' templates.
 *
 * Usage: ts-node test/cfn-lint/synth.ts OUTDIR
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { SUPPRESSIONS } from './suppressions';
import { buildApp as buildMultiAccountApp } from '../e2e/fixtures/multi-account-app';
import { buildExampleApp, HubAccessMode, HubOptions, WORKLOAD_ACCOUNT, WORKLOAD_STACK_PREFIX } from '../fixtures/hub-app/app';
import { buildPythonWorkloadStack } from '../fixtures/hub-app/python-workload';

const REPO = path.resolve(__dirname, '..', '..');
const [outdir] = process.argv.slice(2);
if (!outdir) {
  console.error('usage: synth.ts OUTDIR');
  process.exit(2);
}
fs.rmSync(outdir, { recursive: true, force: true });
fs.mkdirSync(outdir, { recursive: true });

/** Copies the templates of a synthesized cloud assembly, each named `<group>.<stack>.template.json`. */
function collect(group: string, assemblyDir: string): void {
  for (const file of fs.readdirSync(assemblyDir).filter((f) => f.endsWith('.template.json'))) {
    fs.copyFileSync(path.join(assemblyDir, file), path.join(outdir, `${group}.${file}`));
  }
}

/** Synthesizes `build`'s app into a scratch folder and collects its templates. */
function synthesize(group: string, build: (assemblyDir: string) => App): void {
  const assemblyDir = path.join(outdir, '.assemblies', group);
  build(assemblyDir).synth();
  collect(group, assemblyDir);
}

// The example app: hub, and a workload per way of getting hub access (as the end-to-end suites build them).
synthesize('example', (dir) => {
  const { app } = buildExampleApp({
    outdir: dir,
    workloads: [
      { stackName: WORKLOAD_STACK_PREFIX },
      { stackName: `${WORKLOAD_STACK_PREFIX}Parameters`, mode: HubAccessMode.PARAMETERS },
      { stackName: `${WORKLOAD_STACK_PREFIX}Vpc`, vpc: true },
      { stackName: `${WORKLOAD_STACK_PREFIX}Local`, mode: HubAccessMode.NONE, localBedrockPermission: true },
    ],
  });
  buildPythonWorkloadStack(app);
  return app;
});

// The failure probes' hub variants.
const hubVariants: Record<string, HubOptions> = {
  'hub-trusts-someone-else': { trustedRoleArnPattern: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/OtherTeam-*` },
  'hub-no-model-permission': { modelPermission: false },
};
for (const [group, hub] of Object.entries(hubVariants)) {
  synthesize(group, (dir) => buildExampleApp({ outdir: dir, hub, workloads: [] }).app);
}

// The multi-account app: hub, target and workload.
synthesize('multi-account', (dir) => buildMultiAccountApp(dir).app);

// The integ tests' committed snapshots.
const integ = path.join(REPO, 'integ');
for (const snapshot of fs.readdirSync(integ).filter((f) => f.endsWith('.snapshot'))) {
  collect(snapshot.replace(/\.ts\.snapshot$/, ''), path.join(integ, snapshot));
}

fs.rmSync(path.join(outdir, '.assemblies'), { recursive: true, force: true });
const written = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).sort();

// The accepted findings, as cfn-lint's per-resource metadata, with their reasons printed.
const applied = new Map<string, string[]>();
for (const file of written) {
  const template = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
  let changed = false;
  for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
    for (const s of SUPPRESSIONS) {
      if (!s.template.test(file) || resource.Type !== s.resourceType || (s.logicalId && !s.logicalId.test(logicalId))) continue;
      if (!/^[WI]\d+$/.test(s.rule)) throw new Error(`suppression of ${s.rule}: only warnings and informational findings may be suppressed`);
      const config = ((resource.Metadata ??= {})['cfn-lint'] ??= {}).config ??= {};
      config.ignore_checks = [...new Set([...(config.ignore_checks ?? []), s.rule])];
      applied.set(s.rule, [...(applied.get(s.rule) ?? []), `${file}#${logicalId}`]);
      changed = true;
    }
  }
  if (changed) fs.writeFileSync(path.join(outdir, file), JSON.stringify(template, undefined, 1));
}
console.log(`${written.length} templates in ${outdir}:`);
for (const file of written) console.log(`  ${file}`);
for (const s of SUPPRESSIONS) {
  const where = applied.get(s.rule) ?? [];
  console.log(`suppressed ${s.rule} on ${where.length} resource(s): ${s.reason}`);
}
