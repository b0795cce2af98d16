import { BedrockControlPlaneService } from '../../emulator/bedrock';
import { BedrockAgentRuntimeService } from '../../emulator/bedrock-agent-runtime';
import { BedrockResources } from '../../emulator/bedrock-resources';
import { BedrockRuntimeService } from '../../emulator/bedrock-runtime';
import { ManualClock } from '../../emulator/clock';
import { ServiceError } from '../../emulator/errors';
import { PolicyEngine } from '../../emulator/iam';
import { IdentityStore } from '../../emulator/identities';
import type { EmulatorRequest } from '../../emulator/server';
import type { ServiceRequestContext } from '../../emulator/service';

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
