/**
 * What the three Bedrock endpoints (control plane, runtime, agent runtime) have in common: restJson1,
 * signed as `bedrock`, logged by CloudTrail as `bedrock.amazonaws.com`, read-only, served from the
 * same resources and policies, and routed by a table of path patterns that all take one HTTP method.
 *
 * Each endpoint states only its name, method, event category and its routes; a route names the
 * operation and what serves it, so an operation cannot be routed without being served.
 */
import { BedrockResources } from './bedrock-resources';
import { PolicyEngine } from '../iam/policy-engine';
import { ServiceError } from '../server/errors';
import type { ServiceName } from '../server/faults';
import type { EmulatorRequest, EmulatorResponse } from '../server/server';
import { matchPath, OperationRoute, ServiceHandler, ServiceRequestContext } from '../server/service';

/** One route: a path pattern (`/model/{modelId}/converse`), the operation it is, and what serves it. */
export type BedrockRoute = readonly [
  pattern: string,
  operation: string,
  serve: (context: ServiceRequestContext) => Promise<EmulatorResponse>,
];

/** A Bedrock endpoint. */
export abstract class BedrockEndpoint implements ServiceHandler {
  public abstract readonly name: ServiceName;
  public readonly family = 'bedrock' as const;
  public readonly protocol = 'restJson1' as const;
  public readonly signingName = 'bedrock';
  public readonly eventSource = 'bedrock.amazonaws.com';

  /** The HTTP method every route of this endpoint takes. */
  protected abstract readonly method: 'GET' | 'POST';
  /** The routes, tried in order; the first pattern the path matches wins. */
  protected abstract readonly routes: readonly BedrockRoute[];

  constructor(protected readonly resources: BedrockResources, protected readonly policies: PolicyEngine) {}

  public route(request: EmulatorRequest): OperationRoute | undefined {
    if (request.method !== this.method) {
      return undefined;
    }
    for (const [pattern, operation] of this.routes) {
      const params = matchPath(pattern, request.rawPath);
      if (params) {
        return { operation, params };
      }
    }
    return undefined;
  }

  public async handle(context: ServiceRequestContext): Promise<EmulatorResponse> {
    const route = this.routes.find(([, operation]) => operation === context.operation);
    if (!route) {
      throw new ServiceError('UnknownOperationException', `Unknown operation ${context.operation}`, 404);
    }
    const [, , serve] = route;
    return serve(context);
  }

  public isReadOnly(): boolean {
    return true;
  }

  public abstract eventCategory(): 'Management' | 'Data';
}
