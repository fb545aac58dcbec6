import type { CredentialStore, TillCredentialRecord } from '../credentials.js';

/**
 * Keeps found credentials for `ttlMs`, so a busy till does not cost a database
 * (or DynamoDB) read per sale. The price is that a revocation made elsewhere (the
 * CLI in another process) takes effect within `ttlMs`; one made through this
 * wrapper takes effect at once. Unknown ids are not cached, so a newly issued
 * credential works immediately.
 */
export function withCredentialCache(inner: CredentialStore, options: { ttlMs: number; now?: () => number; maxEntries?: number }): CredentialStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { record: TillCredentialRecord; until: number }>();
  return {
    async find(tillId) {
      const hit = cache.get(tillId);
      if (hit && hit.until > now()) return hit.record;
      const record = await inner.find(tillId);
      if (cache.size >= maxEntries) cache.clear();
      if (record) cache.set(tillId, { record, until: now() + options.ttlMs });
      else cache.delete(tillId);
      return record;
    },
    insert: (record) => inner.insert(record),
    async revoke(tillId, at) {
      cache.delete(tillId);
      return inner.revoke(tillId, at);
    },
    list: () => inner.list(),
  };
}
