/**
 * The credentials the emulator issued: access key ID → secret, session token, expiry and principal.
 * Signature verification looks the secret up here; expiry is judged by the emulator's clock.
 */
import { randomBytes } from 'crypto';
import { Principal } from './identities';
import { Clock } from '../clock/clock';

/** An issued credential. */
export interface CredentialRecord {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials (`ASIA...`). */
  readonly sessionToken?: string;
  /** Epoch ms by the emulator's clock; absent for a user's long-term key. */
  expiration?: number;
  readonly principal: Principal;
}

/** The three values an SDK needs, plus the expiry. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyId(prefix: 'ASIA' | 'AKIA'): string {
  const bytes = randomBytes(16);
  let id = prefix;
  for (const byte of bytes) {
    id += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  }
  return id;
}

/** Every credential the emulator issued. */
export class CredentialStore {
  private readonly records = new Map<string, CredentialRecord>();

  constructor(private readonly clock: Clock) {}

  /** Issues temporary credentials for `principal`, valid for `durationSeconds` from now. */
  public issueSession(principal: Principal, durationSeconds: number): CredentialRecord {
    const record: CredentialRecord = {
      accessKeyId: randomKeyId('ASIA'),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VtdWxhdG9y${randomBytes(180).toString('base64')}`,
      expiration: this.clock.now() + durationSeconds * 1000,
      principal,
    };
    this.records.set(record.accessKeyId, record);
    return record;
  }

  /** Issues a long-term access key (`AKIA...`) for a user. */
  public issueAccessKey(principal: Principal): CredentialRecord {
    const record: CredentialRecord = {
      accessKeyId: randomKeyId('AKIA'),
      secretAccessKey: randomBytes(30).toString('base64'),
      principal,
    };
    this.records.set(record.accessKeyId, record);
    return record;
  }

  /** The record for an access key ID, if the emulator issued it. */
  public lookup(accessKeyId: string): CredentialRecord | undefined {
    return this.records.get(accessKeyId);
  }

  /** Whether the credential has expired by the emulator's clock. */
  public isExpired(record: CredentialRecord): boolean {
    return record.expiration !== undefined && record.expiration <= this.clock.now();
  }

  /** Expires an access key now: its next request gets `ExpiredToken(Exception)`. */
  public expire(accessKeyId: string): void {
    const record = this.records.get(accessKeyId);
    if (!record) {
      throw new Error(`expire: the emulator never issued access key ${accessKeyId}`);
    }
    record.expiration = this.clock.now();
  }

  /** Forgets an access key: its next request gets the "invalid token" error. */
  public revoke(accessKeyId: string): void {
    this.records.delete(accessKeyId);
  }

  /** Every issued record (most recent last). */
  public all(): CredentialRecord[] {
    return [...this.records.values()];
  }
}

/** The SDK-facing view of a record. */
export function toIssuedCredentials(record: CredentialRecord): IssuedCredentials {
  return {
    accessKeyId: record.accessKeyId,
    secretAccessKey: record.secretAccessKey,
    sessionToken: record.sessionToken,
    expiration: record.expiration === undefined ? undefined : new Date(record.expiration),
  };
}
