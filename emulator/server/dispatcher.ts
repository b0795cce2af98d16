/**
 * The request pipeline: route → authenticate → fault → handle → CloudTrail.
 *
 * Routing goes by the SigV4 credential scope's service name first (the same name a real endpoint
 * would check), then by the service's own recognition of the request (STS `Action`, DynamoDB
 * `X-Amz-Target`, Bedrock paths, S3 as the path-style fallback).
 */
import { randomUUID } from 'crypto';
import { authenticate, BearerTokenRegistry } from './auth';
import { authError, serializeError, serverError, ServiceError, throttlingError } from './errors';
import { FaultInjector } from './faults';
import type { EmulatorRequest, EmulatorResponse, TransportAction } from './server';
import { OperationRoute, RequestCaller, ServiceHandler, ServiceRequestContext, TrailDetails } from './service';
import { parseAuthorization } from './sigv4';
import { Clock } from '../clock/clock';
import { CloudTrail, UserIdentity, userIdentityOf } from '../iam/cloudtrail';
import { CredentialStore } from '../iam/credentials';
import { PolicyEvaluationError } from '../iam/policy-engine';
import { StsRequestQuota, stsQuotaAccount } from '../services/sts-quota';

/** A problem inside the emulator (not a modeled service error): an invalid policy, a bug. */
export interface EmulatorProblem {
  readonly time: number;
  readonly service: string;
  readonly operation: string;
  readonly message: string;
}

/** What the dispatcher needs. */
export interface DispatcherDependencies {
  readonly services: readonly ServiceHandler[];
  readonly credentials: CredentialStore;
  readonly bearerTokens: BearerTokenRegistry;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  readonly cloudTrail: CloudTrail;
  readonly defaultRegion: string;
  /** Receives each {@link EmulatorProblem}. */
  readonly onProblem: (problem: EmulatorProblem) => void;
  /** The STS request quota in force, if any. */
  readonly stsQuota?: () => StsRequestQuota | undefined;
}

/** What the dispatcher knows about a request when it records it. */
interface TrailRecord {
  readonly request: EmulatorRequest;
  readonly service: ServiceHandler;
  readonly route: OperationRoute;
  readonly region: string;
  readonly requestId: string;
  readonly trail: TrailDetails;
  /** Absent when authentication failed. */
  readonly caller?: RequestCaller;
  readonly error?: ServiceError;
  /** For a request that failed authentication: whether it carried a bearer token. */
  readonly bearer?: boolean;
  /** For a request that failed authentication: the access key it claimed. */
  readonly accessKeyId?: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Routes and serves requests. */
export class Dispatcher {
  constructor(private readonly deps: DispatcherDependencies) {}

  /** Serves one request. */
  public async handle(request: EmulatorRequest): Promise<EmulatorResponse | TransportAction> {
    const requestId = randomUUID();
    const parsed = parseAuthorization(request);
    const scopeService = parsed.kind === 'sigv4' ? parsed.authorization.service : parsed.kind === 'malformed' ? parsed.service : undefined;
    const region = parsed.kind === 'sigv4' ? parsed.authorization.region : this.deps.defaultRegion;
    const match = this.route(request, scopeService);
    if (!match) {
      return {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ message: `The emulator does not serve ${request.method} ${request.rawPath}${scopeService ? ` for service '${scopeService}'` : ''}.` }),
      };
    }
    const { service, route } = match;
    const fail = (error: ServiceError): EmulatorResponse => {
      const serialized = serializeError(service.protocol, service.family, error, requestId);
      return { status: serialized.status, headers: serialized.headers, body: serialized.body };
    };
    const trail: TrailDetails = {};
    let caller: RequestCaller | undefined;
    try {
      caller = await this.authenticate(request, service);
    } catch (error) {
      if (!(error instanceof ServiceError)) {
        throw error;
      }
      this.recordTrail({
        request,
        service,
        route,
        region,
        requestId,
        trail,
        error,
        bearer: parsed.kind === 'bearer',
        accessKeyId: parsed.kind === 'sigv4' ? parsed.authorization.accessKeyId : undefined,
      });
      return fail(error);
    }

    const fault = this.deps.faults.take(service.name, route.operation, region);
    if (fault?.kind === 'latency') {
      await sleep(fault.ms);
    } else if (fault?.kind === 'reset' || fault?.kind === 'hang') {
      return { transport: fault.kind };
    } else if (fault?.kind === 'throttle' || fault?.kind === 'server-error' || fault?.kind === 'error') {
      const error = fault.kind === 'throttle' ? throttlingError(service.family)
        : fault.kind === 'error' ? new ServiceError(fault.code, fault.message, fault.status ?? 400) : serverError(service.family, fault.status ?? 500);
      this.recordTrail({ request, service, route, region, requestId, trail, caller, error });
      return fail(error);
    }
    const quota = service.name === 'sts' ? this.deps.stsQuota?.() : undefined;
    if (quota && !quota.admit(stsQuotaAccount(route.operation, request.body.toString('utf8'), request.rawQuery, caller.principal.accountId))) {
      const error = throttlingError(service.family);
      this.recordTrail({ request, service, route, region, requestId, trail, caller, error });
      return fail(error);
    }

    const context: ServiceRequestContext = {
      request,
      requestId,
      operation: route.operation,
      params: route.params,
      region,
      caller,
      now: this.deps.clock.now(),
      trail,
      fault,
    };
    try {
      const response = await service.handle(context);
      this.recordTrail({ request, service, route, region, requestId, trail, caller });
      return response;
    } catch (error) {
      const serviceError = error instanceof ServiceError ? error : this.problem(service, route, error);
      this.recordTrail({ request, service, route, region, requestId, trail, caller, error: serviceError });
      return fail(serviceError);
    }
  }

  private route(request: EmulatorRequest, scopeService: string | undefined): { service: ServiceHandler; route: OperationRoute } | undefined {
    for (const service of this.deps.services) {
      if (scopeService !== undefined && service.signingName !== scopeService) {
        continue;
      }
      const route = service.route(request);
      if (route) {
        return { service, route };
      }
    }
    return undefined;
  }

  private async authenticate(request: EmulatorRequest, service: ServiceHandler): Promise<RequestCaller> {
    const caller = await authenticate(request, {
      family: service.family,
      credentials: this.deps.credentials,
      clock: this.deps.clock,
      s3Style: service.s3Style,
    });
    if (caller.kind === 'sigv4') {
      return { principal: caller.principal, accessKeyId: caller.accessKeyId, credential: caller.credential, authType: 'sigv4' };
    }
    const grant = service.family === 'bedrock' ? this.deps.bearerTokens.lookup(caller.token) : undefined;
    if (!grant) {
      throw authError(service.family, 'bearerTokenRejected');
    }
    return { principal: grant.principal, authType: 'bearer' };
  }

  private problem(service: ServiceHandler, route: OperationRoute, error: unknown): ServiceError {
    const message = error instanceof PolicyEvaluationError || error instanceof Error ? error.message : String(error);
    this.deps.onProblem({ time: this.deps.clock.now(), service: service.name, operation: route.operation, message });
    const internal = serverError(service.family, 500);
    return new ServiceError(internal.code, `${internal.message} (emulator: ${message})`, 500);
  }

  private recordTrail(record: TrailRecord): void {
    const { request, service, route, region, requestId, trail, caller, error } = record;
    const bearer = record.bearer ?? caller?.authType === 'bearer';
    const accessKeyId = record.accessKeyId ?? caller?.accessKeyId;
    const userIdentity: UserIdentity = caller ? userIdentityOf(caller.principal, caller.accessKeyId) : { type: 'Unknown', accessKeyId };
    // A request that failed authentication with a key the emulator issued goes to the key owner's trail.
    const keyOwner = accessKeyId ? this.deps.credentials.lookup(accessKeyId)?.principal.accountId : undefined;
    const recipientAccountId = trail.recipientAccountId ?? caller?.principal.accountId ?? keyOwner ?? 'unknown';
    const additionalEventData = { ...(trail.additionalEventData ?? {}), ...(bearer ? { callWithBearerToken: true } : {}) };
    const sharedEventID = trail.alsoDeliverTo?.length ? randomUUID() : undefined;
    const base = {
      eventTime: this.deps.clock.now(),
      eventSource: service.eventSource,
      eventName: route.operation,
      awsRegion: region,
      sourceIPAddress: request.remoteAddress,
      userAgent: request.headers['user-agent'],
      ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
      requestParameters: trail.requestParameters ?? null,
      responseElements: error ? null : trail.responseElements ?? null,
      ...(Object.keys(additionalEventData).length ? { additionalEventData } : {}),
      requestID: requestId,
      readOnly: service.isReadOnly(route.operation),
      ...(trail.resources ? { resources: trail.resources } : {}),
      eventType: 'AwsApiCall' as const,
      managementEvent: service.eventCategory(route.operation) === 'Management',
      eventCategory: service.eventCategory(route.operation),
      ...(sharedEventID ? { sharedEventID } : {}),
    };
    this.deps.cloudTrail.record({ ...base, userIdentity, recipientAccountId });
    for (const copy of trail.alsoDeliverTo ?? []) {
      if (copy.recipientAccountId !== recipientAccountId) {
        this.deps.cloudTrail.record({ ...base, userIdentity: copy.userIdentity, recipientAccountId: copy.recipientAccountId });
      }
    }
  }
}
