import { describe, expect, it } from 'vitest';
import { createLineEndingNormaliser } from './line-endings.js';

/** Normalises text given in chunks of `chunkSize` characters. */
function normalise(text: string, chunkSize: number) {
  const normaliser = createLineEndingNormaliser();
  let out = '';
  for (let at = 0; at < text.length; at += chunkSize) out += normaliser.normalise(text.slice(at, at + chunkSize));
  return { text: out + normaliser.end(), found: normaliser.found() };
}

describe('Function: createLineEndingNormaliser', () => {
  it.each([
    ['a\nb\n', 'lf'],
    ['a\r\nb\r\n', 'crlf'],
    ['a\rb\r', 'cr'],
    ['a\r\nb\nc\rd', 'mixed'],
    ['a\rb\n', 'mixed'],
    ['a\r\nb\n', 'mixed'],
    ['a\r\nb\rc', 'mixed'],
    ['one line', 'none'],
  ])('makes every line ending LF and names the kinds found: %j', (text, found) => {
    for (const chunkSize of [1, 2, 3, 100]) {
      // Act
      const result = normalise(text, chunkSize);
      // Assess: one ending is one line, a CRLF split across chunks included.
      expect(result).toEqual({ text: text.replace(/\r\n?/g, '\n'), found });
    }
  });

  it('holds a CR at the end of a chunk until it knows whether LF follows', () => {
    const normaliser = createLineEndingNormaliser();
    expect(normaliser.normalise('a\r')).toBe('a');
    expect(normaliser.normalise('\nb\r')).toBe('\nb');
    expect(normaliser.end()).toBe('\n');
    expect(normaliser.found()).toBe('mixed');
  });

  it('gives the held CR once: a second end has nothing more', () => {
    const normaliser = createLineEndingNormaliser();
    expect(normaliser.normalise('a\r')).toBe('a');
    expect(normaliser.end()).toBe('\n');
    expect(normaliser.end()).toBe('');
  });
});
