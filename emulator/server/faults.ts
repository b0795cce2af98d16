/**
 * Fault injection: make chosen requests fail the way real networks and services fail.
 *
 * Request-level faults are rules matched against each request's service and operation: throttle it,
 * answer 500/503 or a scripted error, delay it, reset its connection, never answer, or (STS) alter
 * the answer: another account's `AssumedRoleUser`, a short credential lifetime. Connection-level faults (refuse new
 * connections, drop open ones) and "expire this key now" live on the emulator itself.
 */

/** The services as the emulator names them. */
export type ServiceName = 'sts' | 'bedrock-runtime' | 'bedrock' | 'bedrock-agent-runtime' | 'bedrock-mantle' | 'dynamodb' | 's3';

/** What happens to a matching request. */
export type FaultKind =
  /** `Throttling` (STS) / `ThrottlingException` / `SlowDown` (S3), in the service's shape. */
  | { readonly kind: 'throttle' }
  /** An internal error (500) or service unavailable (503), in the service's shape. */
  | { readonly kind: 'server-error'; readonly status?: 500 | 503 }
  /** Wait `ms` milliseconds of real time, then serve the request normally. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Break the connection instead of answering (HTTP/1.1: socket destroyed; HTTP/2: stream reset). */
  | { readonly kind: 'reset' }
  /** Never answer; the client's own timeout has to fire. */
  | { readonly kind: 'hang' }
  /** Answer this error (any code, message and HTTP status) in the service's shape. @default status 400 */
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly status?: number }
  /** STS AssumeRole: serve it, but name a session in this account in `AssumedRoleUser` (a misrouted or rewritten answer). */
  | { readonly kind: 'assumed-role-account'; readonly accountId: string }
  /** STS AssumeRole: serve it, but issue credentials that expire in `seconds` (shorter than STS's 900 s minimum). */
  | { readonly kind: 'credential-lifetime'; readonly seconds: number };

/** A fault rule. */
export type FaultRule = FaultKind & {
  /** Only requests to this service. @default every service */
  readonly service?: ServiceName;
  /** Only this operation (`AssumeRole`, `Converse`, ...). @default every operation */
  readonly operation?: string;
  /** Only requests signed for this region (a regional endpoint that fails alone). @default every region */
  readonly region?: string;
  /** How many matching requests the rule affects before it retires itself. @default unlimited */
  readonly times?: number;
};

/** A rule in place. */
export interface ActiveFault {
  readonly rule: FaultRule;
  /** How many requests it has affected so far. */
  readonly hits: number;
  /** Removes the rule. */
  remove(): void;
}

class Fault implements ActiveFault {
  public hits = 0;
  constructor(public readonly rule: FaultRule, private readonly owner: FaultInjector) {}

  public remove(): void {
    this.owner.remove(this);
  }

  public get exhausted(): boolean {
    return this.rule.times !== undefined && this.hits >= this.rule.times;
  }
}

/** The set of fault rules. */
export class FaultInjector {
  private rules: Fault[] = [];

  /**
   * Adds a rule; rules are tried in the order they were added and the first match applies.
   * @example emulator.faults.inject({ service: 'sts', operation: 'AssumeRole', kind: 'throttle', times: 2 })
   */
  public inject(rule: FaultRule): ActiveFault {
    const fault = new Fault(rule, this);
    this.rules.push(fault);
    return fault;
  }

  /** The first rule matching this request, counting the hit; `undefined` if none. */
  public take(service: ServiceName, operation: string, region?: string): FaultKind | undefined {
    const fault = this.rules.find((f) => !f.exhausted
      && (f.rule.service === undefined || f.rule.service === service)
      && (f.rule.operation === undefined || f.rule.operation === operation)
      && (f.rule.region === undefined || f.rule.region === region));
    if (!fault) {
      return undefined;
    }
    fault.hits++;
    if (fault.exhausted) {
      this.remove(fault);
    }
    return fault.rule;
  }

  /** Removes one rule. */
  public remove(fault: ActiveFault): void {
    this.rules = this.rules.filter((f) => f !== fault);
  }

  /** Removes every rule. */
  public clear(): void {
    this.rules = [];
  }

  /** The rules in place. */
  public get active(): readonly ActiveFault[] {
    return this.rules;
  }
}
