/**
 * A CloudTrail-like record of every request the emulator served, in CloudTrail's event shape, kept in
 * memory and optionally appended to a JSON-lines file.
 *
 * Secrets never reach it: external IDs are replaced by `HIDDEN_DUE_TO_SECURITY_REASONS` wherever a
 * field is named like one, and secret keys and session tokens are never put in.
 */
import { randomUUID } from 'crypto';
import { appendFileSync } from 'fs';
import { Principal } from './identities';
import { isoSeconds } from '../clock/clock';

/** The marker CloudTrail writes instead of a sensitive value. */
export const REDACTED = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** `userIdentity.sessionContext`. */
export interface SessionContext {
  readonly sessionIssuer: {
    readonly type: 'Role';
    readonly principalId: string;
    readonly arn: string;
    readonly accountId: string;
    readonly userName: string;
  };
  readonly attributes: { readonly creationDate: string; readonly mfaAuthenticated: 'false' | 'true' };
  readonly sourceIdentity?: string;
}

/** `userIdentity`: who made the call. */
export interface UserIdentity {
  readonly type: 'AssumedRole' | 'IAMUser' | 'AWSAccount' | 'AWSService' | 'Unknown';
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  readonly invokedBy?: string;
  readonly sessionContext?: SessionContext;
}

/** One event, in CloudTrail's field names. */
export interface CloudTrailEvent {
  readonly eventVersion: string;
  readonly userIdentity: UserIdentity;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly additionalEventData?: Record<string, unknown>;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly resources?: ReadonlyArray<{ readonly ARN?: string; readonly accountId?: string; readonly type?: string }>;
  readonly eventType: 'AwsApiCall' | 'AwsServiceEvent';
  readonly managementEvent: boolean;
  readonly recipientAccountId: string;
  readonly sharedEventID?: string;
  readonly eventCategory: 'Management' | 'Data';
}

/** The fields a caller supplies; the trail fills in IDs, version and redaction. */
export type CloudTrailEventInput = Omit<CloudTrailEvent, 'eventVersion' | 'eventID' | 'eventTime'> & { readonly eventTime: number };

/** A filter for {@link CloudTrail.find}: every given field must be equal. */
export interface CloudTrailFilter {
  readonly eventSource?: string;
  readonly eventName?: string;
  readonly recipientAccountId?: string;
  readonly errorCode?: string;
  /** Matches `userIdentity.arn`. */
  readonly principalArn?: string;
  /** Matches `userIdentity.accessKeyId`. */
  readonly accessKeyId?: string;
}

const SENSITIVE_KEY = /external.?id/i;
const SECRET_KEY = /secret|sessiontoken|password/i;

/** Replaces sensitive values in a JSON value, recursively. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redact);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = (SENSITIVE_KEY.test(k) || SECRET_KEY.test(k)) && v !== undefined && v !== null ? REDACTED : redact(v);
    }
    return out;
  }
  return value;
}

/** `userIdentity` for a signed request by `principal` with `accessKeyId`. */
export function userIdentityOf(principal: Principal, accessKeyId?: string, mfaAuthenticated = false): UserIdentity {
  if (principal.type === 'IAMUser') {
    return { type: 'IAMUser', principalId: principal.principalId, arn: principal.arn, accountId: principal.accountId, accessKeyId, userName: principal.userName };
  }
  return {
    type: 'AssumedRole',
    principalId: principal.principalId,
    arn: principal.arn,
    accountId: principal.accountId,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: principal.roleId,
        arn: principal.roleArn,
        accountId: principal.accountId,
        userName: principal.roleName,
      },
      attributes: { creationDate: isoSeconds(principal.issuedAt), mfaAuthenticated: mfaAuthenticated ? 'true' : 'false' },
      ...(principal.sourceIdentity ? { sourceIdentity: principal.sourceIdentity } : {}),
    },
  };
}

/** Options for {@link CloudTrail}. */
export interface CloudTrailOptions {
  /** Append each event as one JSON line to this file. */
  readonly file?: string;
}

/** The event log. */
export class CloudTrail {
  private readonly recorded: CloudTrailEvent[] = [];

  constructor(private readonly options: CloudTrailOptions = {}) {}

  /** Every event so far, oldest first. */
  public get events(): readonly CloudTrailEvent[] {
    return this.recorded;
  }

  /** Records one event (redacted) and returns it. */
  public record(input: CloudTrailEventInput): CloudTrailEvent {
    const { userIdentity, eventTime, ...rest } = input;
    const event = redact({
      eventVersion: '1.09',
      userIdentity,
      eventTime: isoSeconds(eventTime),
      ...rest,
      eventID: randomUUID(),
    }) as CloudTrailEvent;
    this.recorded.push(event);
    if (this.options.file) {
      appendFileSync(this.options.file, `${JSON.stringify(event)}\n`);
    }
    return event;
  }

  /** Events matching every field of `filter`. */
  public find(filter: CloudTrailFilter = {}): CloudTrailEvent[] {
    return this.recorded.filter((e) =>
      (filter.eventSource === undefined || e.eventSource === filter.eventSource)
      && (filter.eventName === undefined || e.eventName === filter.eventName)
      && (filter.recipientAccountId === undefined || e.recipientAccountId === filter.recipientAccountId)
      && (filter.errorCode === undefined || e.errorCode === filter.errorCode)
      && (filter.principalArn === undefined || e.userIdentity.arn === filter.principalArn)
      && (filter.accessKeyId === undefined || e.userIdentity.accessKeyId === filter.accessKeyId));
  }

  /** The events as JSON lines. */
  public toJsonLines(): string {
    return this.recorded.map((e) => `${JSON.stringify(e)}\n`).join('');
  }

  /** Forgets every event (the file, if any, is left alone). */
  public clear(): void {
    this.recorded.length = 0;
  }
}
