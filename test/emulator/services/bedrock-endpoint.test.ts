import { ManualClock } from '../../../emulator/clock/clock';
import { IdentityStore } from '../../../emulator/iam/identities';
import { PolicyEngine } from '../../../emulator/iam/policy-engine';
import { ServiceError } from '../../../emulator/server/errors';
import type { EmulatorRequest } from '../../../emulator/server/server';
import type { ServiceRequestContext } from '../../../emulator/server/service';
import { BedrockAgentRuntimeService } from '../../../emulator/services/bedrock-agent-runtime';
import { BedrockControlPlaneService } from '../../../emulator/services/bedrock-control-plane';
import { BedrockResources } from '../../../emulator/services/bedrock-resources';
import { BedrockRuntimeService } from '../../../emulator/services/bedrock-runtime';

const resources = new BedrockResources();
const policies = new PolicyEngine(new IdentityStore(), new ManualClock());

function request(method: string, rawPath: string): EmulatorRequest {
  return { method, rawPath, rawQuery: '', query: {}, headers: {}, body: Buffer.alloc(0), httpVersion: '2', remoteAddress: '127.0.0.1' };
}

test.each([
  ['runtime', new BedrockRuntimeService(resources, policies), 'bedrock-runtime', 'Management'],
  ['control plane', new BedrockControlPlaneService(resources, policies), 'bedrock', 'Management'],
  ['agent runtime', new BedrockAgentRuntimeService(resources, policies), 'bedrock-agent-runtime', 'Data'],
])('the %s is a read-only restJson1 endpoint signed as bedrock', (_, service, name, category) => {
  expect(service).toMatchObject({ name, family: 'bedrock', protocol: 'restJson1', signingName: 'bedrock', eventSource: 'bedrock.amazonaws.com' });
  expect(service.isReadOnly()).toBe(true);
  expect(service.eventCategory()).toBe(category);
});

test('a route takes its endpoint\'s method and decodes the path parameters', () => {
  const runtime = new BedrockRuntimeService(resources, policies);
  expect(runtime.route(request('POST', '/model/us.amazon.nova-lite-v1%3A0/converse-stream')))
    .toEqual({ operation: 'ConverseStream', params: { modelId: 'us.amazon.nova-lite-v1:0' } });
  expect(runtime.route(request('GET', '/model/m/converse'))).toBeUndefined();
  expect(runtime.route(request('POST', '/model//converse'))).toBeUndefined();
  expect(runtime.route(request('POST', '/model/m/converse/extra'))).toBeUndefined();

  const controlPlane = new BedrockControlPlaneService(resources, policies);
  expect(controlPlane.route(request('GET', '/foundation-models'))).toEqual({ operation: 'ListFoundationModels', params: {} });
  expect(controlPlane.route(request('POST', '/foundation-models'))).toBeUndefined();
});

test('an operation the endpoint has no route for is an UnknownOperationException', async () => {
  const context = { operation: 'Nope' } as ServiceRequestContext;
  const error = await new BedrockRuntimeService(resources, policies).handle(context).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ServiceError);
  expect(error).toMatchObject({ code: 'UnknownOperationException', message: 'Unknown operation Nope', status: 404 });
});
