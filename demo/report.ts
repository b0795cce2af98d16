/** Plain-text report helpers: aligned tables, durations, relative times, CloudTrail event rows. */
import type { CloudTrailEvent } from '../emulator';
import { Signer, signerOf } from '../test/fixtures/hub-app/trail';

/** Formats rows as a table with aligned columns, a header and a rule under it. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], indent = '   '): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `${indent}${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** `+mm:ss` (or `+h:mm:ss`) of `time` after `origin`. */
export function relativeTime(time: number, origin: number): string {
  const total = Math.floor((time - origin) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `+${h}:${mmss}` : `+${mmss}`;
}

/** `1.2 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `40.9 KB`. */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * Wraps `text` at `width` columns: the first line starts with `first`, the others with `indent`
 * (so `first` can be a label, e.g. `'   hint:  '`, with `indent` as wide).
 */
export function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const lines: string[] = [];
  let prefix = first;
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current !== '' && prefix.length + current.length + 1 + word.length > width) {
      lines.push(prefix + current);
      prefix = indent;
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(prefix + current);
  return lines;
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
