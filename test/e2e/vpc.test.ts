/**
 * A function in a VPC without internet access needs an STS interface endpoint to assume the hub
 * role. The example's VPC variant adds it with `BedrockHubAccess.addStsEndpoint`; the synthesized
 * template still runs end to end.
 */
import { failuresOf, resultOf } from './helpers';
import { HUB_ACCOUNT, WORKLOAD_STACK_PREFIX } from '../fixtures/hub-app/app';
import { RunningExample, startExample, synthesizeExample, SynthesizedExample, templateOf } from '../fixtures/hub-app/scenario';
import { hubAssumeRoles, isBedrock, signerOf } from '../fixtures/hub-app/trail';

const VPC_STACK = `${WORKLOAD_STACK_PREFIX}Vpc`;

let synthesized: SynthesizedExample;
let running: RunningExample;

beforeAll(async () => {
  synthesized = synthesizeExample({ workloads: [{ stackName: VPC_STACK, vpc: true }] });
  running = await startExample({ assemblies: [synthesized] });
});

afterAll(async () => {
  const problems = await running?.stop();
  synthesized?.dispose();
  expect(problems).toEqual([]);
});

test('the workload template has an STS interface endpoint with private DNS, open on 443 to the function only', () => {
  const resources = Object.values<any>(templateOf(synthesized, VPC_STACK).Resources);
  const endpoints = resources.filter((r) => r.Type === 'AWS::EC2::VPCEndpoint');
  expect(endpoints).toHaveLength(1);
  expect(endpoints[0].Properties).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
  expect(JSON.stringify(endpoints[0].Properties.ServiceName)).toContain('.sts');
  const ingress = resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties.FromPort === 443);
  expect(ingress).toHaveLength(1);
  expect(ingress[0].Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).toMatch(/^AskFunctionSecurityGroup/);
});

test('the function in the VPC calls Bedrock through the hub', async () => {
  const lambda = await running.startFunction(VPC_STACK);
  const result = resultOf(await lambda.invoke({ operations: [{ op: 'Converse' }, { op: 'PutItem' }] }));
  expect(failuresOf(result)).toEqual([]);
  const events = running.emulator.cloudTrail.events;
  expect(hubAssumeRoles(events)).toHaveLength(1);
  expect(events.filter(isBedrock).map((e) => `${e.recipientAccountId} ${signerOf(e, events)}`)).toEqual([`${HUB_ACCOUNT} hub`]);
});
