import type { CredentialStore, TillCredentialRecord } from '../credentials.js';

/** Credentials in a Map: for tests, and for a demo that needs no warehouse. */
export function createMemoryCredentialStore(): CredentialStore {
  const records = new Map<string, TillCredentialRecord>();
  return {
    async find(tillId) {
      return records.get(tillId);
    },
    async insert(record) {
      if (records.has(record.tillId)) throw new Error(`till ${record.tillId} already exists`);
      records.set(record.tillId, record);
    },
    async revoke(tillId, at) {
      const record = records.get(tillId);
      if (!record || record.revokedAt !== null) return false;
      records.set(tillId, { ...record, revokedAt: at });
      return true;
    },
    async list() {
      return [...records.values()].map(({ salt: _salt, secretHash: _hash, ...summary }) => summary);
    },
  };
}
