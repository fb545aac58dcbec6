import type * as Crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const made = vi.hoisted(() => ({ keys: [] as string[], withoutOneShotHash: false }));

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  return {
    ...actual,
    createSecretKey: (key: Buffer) => {
      made.keys.push(key.toString('utf8'));
      return actual.createSecretKey(key);
    },
    // Node 20 before 20.12 has no one-shot hash.
    get hash() {
      return made.withoutOneShotHash ? undefined : actual.hash;
    },
  };
});

/** A fresh module (and so an empty key cache) for each test. */
const load = async () => {
  vi.resetModules();
  return (await import('./keyed-hash.js')).keyedHash;
};

describe('Function: keyedHash', () => {
  beforeEach(() => {
    made.keys = [];
  });

  it('is HMAC-SHA256 of the text under the pepper, as UTF-8, in hex', async () => {
    const keyedHash = await load();
    expect(keyedHash('pépper', 'Łódź 09:00')).toBe(createHmac('sha256', Buffer.from('pépper', 'utf8')).update('Łódź 09:00', 'utf8').digest('hex'));
  });

  it('prepares a pepper\'s key once', async () => {
    const keyedHash = await load();
    keyedHash('p0', 'a');
    keyedHash('p1', 'a');
    keyedHash('p0', 'b');
    expect(made.keys).toEqual(['p0', 'p1']);
  });

  it('keeps up to 17 peppers\' keys, then starts again', async () => {
    // Prepare
    const keyedHash = await load();
    const peppers = Array.from({ length: 17 }, (_, index) => `p${index}`);
    for (const pepper of peppers) keyedHash(pepper, 'a');
    // Act: all 17 are still there; an 18th clears them
    keyedHash('p0', 'b');
    keyedHash('p17', 'a');
    keyedHash('p0', 'c');
    // Assess
    expect(made.keys).toEqual([...peppers, 'p17', 'p0']);
  });
});

describe('Function: sha256Hex', () => {
  // FIPS 180-2's test vector, and a text that is not ASCII (hashed as UTF-8).
  const cases = [
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['Łódź 09:00', createHash('sha256').update('Łódź 09:00', 'utf8').digest('hex')],
  ] as const;

  it.each([
    ['with the one-shot hash', false],
    ['on a Node without it', true],
  ])('is SHA-256 of the text as UTF-8, in hex, %s', async (_name, withoutOneShotHash) => {
    made.withoutOneShotHash = withoutOneShotHash;
    try {
      vi.resetModules();
      const { sha256Hex } = await import('./keyed-hash.js');
      for (const [text, digest] of cases) expect(sha256Hex(text)).toBe(digest);
    } finally {
      made.withoutOneShotHash = false;
    }
  });
});
