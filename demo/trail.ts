/**
 * Reading the emulator's CloudTrail as the reference's "How to verify" list does: AssumeRole events
 * in the hub account, Bedrock events under the hub's assumed-role session, and, for every call,
 * whose credentials signed it (the access key ids Lambda issued to the execution role, or those
 * AssumeRole issued for the hub role).
 */
import { HUB_ACCOUNT, HUB_ROLE_ARN } from './app';
import type { CloudTrailEvent } from '../emulator';

/** Whose credentials signed a call. */
export type Signer = 'local' | 'hub' | 'unknown';

const BEDROCK = 'bedrock.amazonaws.com';

/** True for a Bedrock event (runtime, control plane or agent runtime). */
export function isBedrock(event: CloudTrailEvent): boolean {
  return event.eventSource === BEDROCK;
}

/** The access key id an AssumeRole event issued. */
export function issuedKey(event: CloudTrailEvent): string | undefined {
  const credentials = (event.responseElements as { credentials?: { accessKeyId?: string } } | null)?.credentials;
  return credentials?.accessKeyId;
}

/** Access key ids Lambda issued for execution roles (of `functionName`, if given). */
export function localKeys(events: readonly CloudTrailEvent[], functionName?: string): Set<string> {
  return new Set(events
    .filter((e) => e.eventName === 'AssumeRole' && e.userIdentity.invokedBy === 'lambda.amazonaws.com')
    .filter((e) => functionName === undefined || (e.requestParameters as { roleSessionName?: string }).roleSessionName === functionName)
    .map(issuedKey)
    .filter((k): k is string => k !== undefined));
}

/** The hub account's record of each successful AssumeRole on the hub role. */
export function hubAssumeRoles(events: readonly CloudTrailEvent[], options: { failed?: boolean } = {}): CloudTrailEvent[] {
  return events.filter((e) => e.eventName === 'AssumeRole'
    && e.recipientAccountId === HUB_ACCOUNT
    && (e.requestParameters as { roleArn?: string } | null)?.roleArn === HUB_ROLE_ARN
    && (options.failed ? e.errorCode !== undefined : e.errorCode === undefined));
}

/** Access key ids AssumeRole issued for the hub role. */
export function hubKeys(events: readonly CloudTrailEvent[]): Set<string> {
  return new Set(hubAssumeRoles(events).map(issuedKey).filter((k): k is string => k !== undefined));
}

/** Whose credentials signed `event`. */
export function signerOf(event: CloudTrailEvent, events: readonly CloudTrailEvent[]): Signer {
  const key = event.userIdentity.accessKeyId;
  if (key === undefined) return 'unknown';
  if (localKeys(events).has(key)) return 'local';
  if (hubKeys(events).has(key)) return 'hub';
  return 'unknown';
}

/** When the credentials with `accessKeyId` expire, from the AssumeRole that issued them. */
export function expirationOf(accessKeyId: string, events: readonly CloudTrailEvent[]): number | undefined {
  for (const e of events) {
    const credentials = (e.responseElements as { credentials?: { accessKeyId?: string; expiration?: string } } | null)?.credentials;
    if (credentials?.accessKeyId === accessKeyId && credentials.expiration) return Date.parse(credentials.expiration);
  }
  return undefined;
}

/** The role session name of an assumed-role caller (`…:assumed-role/<role>/<session>`). */
export function sessionNameOf(event: CloudTrailEvent): string | undefined {
  return /:assumed-role\/[^/]+\/(.+)$/.exec(event.userIdentity.arn ?? '')?.[1];
}

/** One event as the demo's table shows it. */
export interface EventRow {
  readonly time: number;
  readonly account: string;
  readonly event: string;
  /** Who: the calling role (or service, or account), as the recipient account sees it. */
  readonly caller: string;
  readonly session: string;
  readonly signer: Signer | '-';
  readonly result: string;
}

/** Rows for `events` (in order), classified against `all`. */
export function eventRows(events: readonly CloudTrailEvent[], all: readonly CloudTrailEvent[]): EventRow[] {
  return events.map((e) => {
    const who = e.userIdentity;
    const caller = who.type === 'AWSService' ? who.invokedBy ?? 'AWS service'
      : who.type === 'AWSAccount' ? `account ${who.accountId}`
        : who.sessionContext ? `role/${who.sessionContext.sessionIssuer.userName}` : who.arn ?? who.type;
    const assumed = e.eventName === 'AssumeRole' ? (e.requestParameters as { roleSessionName?: string } | null)?.roleSessionName : undefined;
    const source = e.eventSource.replace('.amazonaws.com', '');
    return {
      time: Date.parse(e.eventTime),
      account: e.recipientAccountId,
      event: `${source}:${e.eventName}`,
      caller,
      session: assumed ? `-> ${assumed}` : sessionNameOf(e) ?? '-',
      signer: who.type === 'AWSService' || who.type === 'AWSAccount' ? '-' : signerOf(e, all),
      result: e.errorCode ?? 'OK',
    };
  });
}
