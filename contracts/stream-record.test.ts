import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeStreamRecord, splitStreamRecord } from './stream-record.js';

const isGzip = (data: Uint8Array) => data[0] === 0x1f && data[1] === 0x8b;

describe('Wire format: a stream record', () => {
  it('gzips by default, and round-trips text outside ASCII', () => {
    // Act
    const record = encodeStreamRecord(['{"branch":"Łódź"}', '{"n":2}']);
    // Assess
    expect(isGzip(record)).toBe(true);
    expect(splitStreamRecord(record)).toEqual(['{"branch":"Łódź"}', '{"n":2}']);
  });

  it('is the events joined by newlines, as UTF-8, when not compressed', () => {
    expect(encodeStreamRecord(['{"branch":"Łódź"}', '{}'], false)).toEqual(Buffer.from('{"branch":"Łódź"}\n{}', 'utf8'));
  });

  it.each([
    { form: 'a string', data: '{"a":1}\n{"b":"é"}' },
    { form: 'a Buffer', data: Buffer.from('{"a":1}\n{"b":"é"}', 'utf8') },
    { form: 'a Uint8Array', data: new Uint8Array(Buffer.from('{"a":1}\n{"b":"é"}', 'utf8')) },
    { form: 'a gzipped Uint8Array', data: new Uint8Array(gzipSync(Buffer.from('{"a":1}\n{"b":"é"}', 'utf8'))) },
  ])('reads $form', ({ data }) => {
    expect(splitStreamRecord(data)).toEqual(['{"a":1}', '{"b":"é"}']);
  });

  it('drops blank and whitespace-only lines, and keeps the others as they are', () => {
    expect(splitStreamRecord('\n {"a":1}\r\n  \n\t\n{"b":2}\n')).toEqual([' {"a":1}\r', '{"b":2}']);
  });

  it('inflates only a body that starts with both bytes of the gzip magic', () => {
    // A plain body may start with one of them; it is text (the consumer then refuses it as malformed JSON).
    expect(splitStreamRecord(Buffer.from([0x1f, 0x7b, 0x7d]))).toEqual(['\u001f{}']);
    expect(splitStreamRecord(Buffer.from([0x7b, 0x8b, 0x7d]))).toEqual(['{\ufffd}']);
  });

  it('refuses a record that inflates past 16 MiB (a gzip bomb)', () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    expect(() => splitStreamRecord(bomb)).toThrow(RangeError);
    expect(splitStreamRecord(gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20)))).toEqual([]);
  });
});
