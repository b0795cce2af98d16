import { ManualClock } from '../../../emulator';
import { CredentialStore, toIssuedCredentials } from '../../../emulator/iam/credentials';
import { UserPrincipal } from '../../../emulator/iam/identities';

const user: UserPrincipal = { type: 'IAMUser', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/u', userName: 'u', principalId: 'AIDAX' };

test('sessions expire by the clock; long-term keys never do', () => {
  const clock = new ManualClock();
  const store = new CredentialStore(clock);
  const session = store.issueSession(user, 900);
  const longTerm = store.issueAccessKey(user);
  expect(session.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
  expect(longTerm.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  expect(longTerm.sessionToken).toBeUndefined();
  clock.advance(899_999);
  expect(store.isExpired(session)).toBe(false);
  clock.advance(1);
  expect(store.isExpired(session)).toBe(true);
  expect(store.isExpired(longTerm)).toBe(false);
  expect(toIssuedCredentials(session).expiration?.getTime()).toBe(session.expiration);
});

test('a key can be expired now, or forgotten', () => {
  const store = new CredentialStore(new ManualClock());
  const session = store.issueSession(user, 3600);
  store.expire(session.accessKeyId);
  expect(store.isExpired(store.lookup(session.accessKeyId)!)).toBe(true);
  store.revoke(session.accessKeyId);
  expect(store.lookup(session.accessKeyId)).toBeUndefined();
  expect(() => store.expire('ASIANEVERISSUED00000')).toThrow(/never issued access key ASIANEVERISSUED00000/);
});
