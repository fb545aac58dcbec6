import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Till credentials. A till authenticates with `Authorization: Bearer <tillId>.<secret>`.
 * Only a salted hash of the secret is stored: HMAC-SHA256 keyed by a random
 * per-credential salt. A slow KDF (scrypt) protects guessable passwords; these
 * secrets are 256 random bits, which no hash speed makes guessable, and a fast hash
 * keeps every request's check to microseconds on a two-core box or a small Lambda.
 * Comparison is constant-time, and an unknown till costs the same as a wrong secret.
 */

/** A stored credential: everything but the secret itself. */
export interface TillCredentialRecord {
  readonly tillId: string;
  /** The branch the till may post for. */
  readonly branch: string;
  readonly label: string | null;
  /** Hex salt and hex HMAC-SHA256(salt, secret). */
  readonly salt: string;
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** What listing shows: no salt, no hash. */
export type TillCredentialSummary = Omit<TillCredentialRecord, 'salt' | 'secretHash'>;

/**
 * Where credentials live. The port the API depends on: Postgres (the local
 * warehouse, `createPostgresCredentialStore`), in memory for tests, and a DynamoDB
 * table in AWS (a later adapter: key `tillId`, the same attributes).
 */
export interface CredentialStore {
  find(tillId: string): Promise<TillCredentialRecord | undefined>;
  insert(record: TillCredentialRecord): Promise<void>;
  /** Marks a credential revoked; false when there was no active credential by that id. */
  revoke(tillId: string, at: Date): Promise<boolean>;
  list(): Promise<TillCredentialSummary[]>;
}

/** A newly issued credential: the token is shown once and never stored. */
export interface IssuedTillCredential {
  readonly tillId: string;
  readonly branch: string;
  /** `<tillId>.<secret>`: what the till sends as its bearer token. */
  readonly token: string;
  readonly createdAt: Date;
}

export type AuthOutcome =
  | { readonly ok: true; readonly tillId: string; readonly branch: string }
  | { readonly ok: false; readonly code: 'credentials_missing' | 'credentials_malformed' | 'credentials_invalid' | 'credentials_revoked' };

const TILL_ID_PATTERN = /^till_[a-z0-9]{16}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
// Checked against when the till is unknown, so timing does not say which ids exist.
const DECOY = { salt: '00'.repeat(16), secretHash: '00'.repeat(32) };

/** The stored hash of a secret under a salt (both hex). */
export function hashSecret(secret: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(secret, 'utf8').digest('hex');
}

function secretMatches(secret: string, record: { salt: string; secretHash: string }): boolean {
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = Buffer.from(hashSecret(secret, record.salt), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A branch as credentials and comparisons hold it: trimmed, single-spaced. */
export function canonicalBranch(branch: string): string {
  return branch.trim().replace(/\s+/g, ' ');
}

/** True when a sale's branch names the till's branch (case and spacing aside). */
export function sameBranch(a: string, b: string): boolean {
  return canonicalBranch(a).toLowerCase() === canonicalBranch(b).toLowerCase();
}

/** Issues a credential for a till of `branch`; the token in the result is the only copy of the secret. */
export async function issueTillCredential(
  store: CredentialStore,
  options: { branch: string; label?: string; clock?: () => Date },
): Promise<IssuedTillCredential> {
  const branch = canonicalBranch(options.branch);
  if (branch === '' || branch.length > 128) throw new RangeError('branch must be 1 to 128 characters');
  const tillId = `till_${randomBytes(10).toString('hex').slice(0, 16)}`;
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  const createdAt = (options.clock ?? (() => new Date()))();
  await store.insert({ tillId, branch, label: options.label?.trim() || null, salt, secretHash: hashSecret(secret, salt), createdAt, revokedAt: null });
  return { tillId, branch, token: `${tillId}.${secret}`, createdAt };
}

/** Revokes a till's credential at once; false when it was unknown or already revoked. */
export function revokeTillCredential(store: CredentialStore, tillId: string, clock: () => Date = () => new Date()): Promise<boolean> {
  return store.revoke(tillId, clock());
}

/** Every credential, newest first, without secrets or hashes. */
export async function listTillCredentials(store: CredentialStore): Promise<TillCredentialSummary[]> {
  return (await store.list()).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Checks an `Authorization` header value against the store. */
export async function authenticateTill(store: CredentialStore, header: string | undefined): Promise<AuthOutcome> {
  if (header === undefined || header.trim() === '') return { ok: false, code: 'credentials_missing' };
  const match = /^Bearer\s+([^.\s]+)\.(\S+)$/i.exec(header.trim());
  const [, tillId = '', secret = ''] = match ?? [];
  if (!TILL_ID_PATTERN.test(tillId) || !SECRET_PATTERN.test(secret)) return { ok: false, code: 'credentials_malformed' };
  const record = await store.find(tillId);
  const matches = secretMatches(secret, record ?? DECOY);
  if (!record || !matches) return { ok: false, code: 'credentials_invalid' };
  // Only a till that proved its secret learns that it was revoked.
  if (record.revokedAt !== null) return { ok: false, code: 'credentials_revoked' };
  return { ok: true, tillId: record.tillId, branch: record.branch };
}

export { createPostgresCredentialStore } from './adapters/postgres-credential-store.js';
export { createMemoryCredentialStore } from './adapters/memory-credential-store.js';
export { withCredentialCache } from './adapters/cached-credential-store.js';
export { createDynamoCredentialStore } from './adapters/dynamodb-credential-store.js';
