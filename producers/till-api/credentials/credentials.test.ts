import { describe, expect, it } from 'vitest';
import {
  authenticateTill,
  createMemoryCredentialStore,
  hashSecret,
  issueTillCredential,
  listTillCredentials,
  revokeTillCredential,
  withCredentialCache,
} from './credentials.js';

const bearer = (token: string) => `Bearer ${token}`;

describe('Till credentials', () => {
  it('issues a token that authenticates as its till and branch', async () => {
    // Prepare
    const store = createMemoryCredentialStore();
    // Act
    const issued = await issueTillCredential(store, { branch: '  London   Soho ' });
    const outcome = await authenticateTill(store, bearer(issued.token));
    // Assess
    expect(issued.token).toMatch(/^till_[a-z0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(outcome).toEqual({ ok: true, tillId: issued.tillId, branch: 'London Soho' });
  });

  it('stores only a salted hash of the secret', async () => {
    const store = createMemoryCredentialStore();
    const issued = await issueTillCredential(store, { branch: 'Leeds' });
    const secret = issued.token.split('.')[1] ?? '';
    const record = await store.find(issued.tillId);
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(record?.secretHash).toBe(hashSecret(secret, record?.salt ?? ''));
    const other = await issueTillCredential(store, { branch: 'Leeds' });
    expect((await store.find(other.tillId))?.salt).not.toBe(record?.salt);
  });

  describe.each([
    ['no header', undefined, 'credentials_missing'],
    ['an empty header', '  ', 'credentials_missing'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'credentials_malformed'],
    ['a token without a secret', 'Bearer till_0123456789abcdef', 'credentials_malformed'],
    ['an unknown till', bearer(`till_0123456789abcdef.${'A'.repeat(43)}`), 'credentials_invalid'],
  ])('Given %s', (_case, header, code) => {
    it(`refuses with ${code}`, async () => {
      const store = createMemoryCredentialStore();
      await issueTillCredential(store, { branch: 'Leeds' });
      expect(await authenticateTill(store, header)).toEqual({ ok: false, code });
    });
  });

  it('refuses a wrong secret for a known till', async () => {
    const store = createMemoryCredentialStore();
    const issued = await issueTillCredential(store, { branch: 'Leeds' });
    expect(await authenticateTill(store, bearer(`${issued.tillId}.${'A'.repeat(43)}`))).toEqual({ ok: false, code: 'credentials_invalid' });
  });

  it('refuses a revoked credential, and says so only to its holder', async () => {
    // Prepare
    const store = createMemoryCredentialStore();
    const issued = await issueTillCredential(store, { branch: 'Leeds' });
    // Act
    const revoked = await revokeTillCredential(store, issued.tillId);
    const again = await revokeTillCredential(store, issued.tillId);
    // Assess
    expect([revoked, again]).toEqual([true, false]);
    expect(await authenticateTill(store, bearer(issued.token))).toEqual({ ok: false, code: 'credentials_revoked' });
    expect(await authenticateTill(store, bearer(`${issued.tillId}.${'A'.repeat(43)}`))).toEqual({ ok: false, code: 'credentials_invalid' });
  });

  it('lists credentials newest first, without salts or hashes', async () => {
    const store = createMemoryCredentialStore();
    let tick = 0;
    const clock = () => new Date(Date.UTC(2021, 8, 10, 9, tick++));
    await issueTillCredential(store, { branch: 'Leeds', clock });
    const newer = await issueTillCredential(store, { branch: 'Leeds', label: 'front counter', clock });
    const listed = await listTillCredentials(store);
    expect(listed.map((credential) => credential.tillId)[0]).toBe(newer.tillId);
    expect(listed[0]).toEqual({ tillId: newer.tillId, branch: 'Leeds', label: 'front counter', createdAt: newer.createdAt, revokedAt: null });
  });

  it('refuses to issue for an empty branch', async () => {
    await expect(issueTillCredential(createMemoryCredentialStore(), { branch: '   ' })).rejects.toThrow(RangeError);
  });
});

describe('Function: withCredentialCache', () => {
  it('serves a found credential from memory until the TTL, and forgets it on revoke', async () => {
    // Prepare
    const inner = createMemoryCredentialStore();
    let reads = 0;
    const counting = { ...inner, find: (id: string) => (reads++, inner.find(id)) };
    let now = 0;
    const cached = withCredentialCache(counting, { ttlMs: 1_000, now: () => now });
    const issued = await issueTillCredential(cached, { branch: 'Leeds' });
    // Act
    await cached.find(issued.tillId);
    await cached.find(issued.tillId);
    now = 1_001;
    await cached.find(issued.tillId);
    await cached.revoke(issued.tillId, new Date());
    const afterRevoke = await cached.find(issued.tillId);
    // Assess
    expect(reads).toBe(3);
    expect(afterRevoke?.revokedAt).not.toBeNull();
  });

  it('does not cache an unknown till, so a new credential works at once', async () => {
    const inner = createMemoryCredentialStore();
    const cached = withCredentialCache(inner, { ttlMs: 60_000 });
    expect(await cached.find('till_0123456789abcdef')).toBeUndefined();
    const issued = await issueTillCredential(inner, { branch: 'Leeds' });
    expect(await cached.find(issued.tillId)).toBeDefined();
  });
});
