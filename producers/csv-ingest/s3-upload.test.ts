import { describe, expect, it } from 'vitest';
import { SEQUENCER_DIGITS, fileVersionOf, objectKeyOf, placeholderOf } from './s3-upload.js';

describe('Function: objectKeyOf', () => {
  it('URL-decodes an S3 event key, "+" as a space and %2B as "+"', () => {
    expect(objectKeyOf('uploads/Leeds/leeds+27-08-2021+%28copy+1%29+%2B+fixes+Zo%C3%AB%27s.csv')).toBe("uploads/Leeds/leeds 27-08-2021 (copy 1) + fixes Zoë's.csv");
  });
});

describe('Function: placeholderOf', () => {
  it.each([
    ['uploads/Leeds/2024-03/', 0, 'folder_marker'],
    ['uploads/Leeds/2024-03/', undefined, 'folder_marker'],
    ['uploads/Leeds/empty.csv', 0, 'empty_object'],
    ['uploads/Leeds/leeds.csv', 283, undefined],
    ['uploads/Leeds/leeds.csv', undefined, undefined],
  ])('%s of %s bytes is %s', (key, size, placeholder) => {
    expect(placeholderOf(key, size)).toBe(placeholder);
  });
});

describe('Function: fileVersionOf', () => {
  it('pads the sequencer to 32 hex digits, so a later upload of the key compares greater as text', () => {
    // Prepare: S3 sequencers of one key may differ in length; the longer one here is the later
    const earlier = fileVersionOf('0065E2C0D3A1B2C3D4');
    const later = fileVersionOf('010065E2C0D3A1B2C3');

    // Assess
    expect(earlier).toBe('000000000000000065E2C0D3A1B2C3D4');
    expect(earlier).toHaveLength(SEQUENCER_DIGITS);
    expect(later! > earlier!).toBe(true);
    expect('010065E2C0D3A1B2C3' > '0065E2C0D3A1B2C3D4').toBe(true);
    expect('0065E2C0D3A1B2C3D4FF' > '010065E2C0D3A1B2C3').toBe(false);
    expect(fileVersionOf('0065E2C0D3A1B2C3D4FF')! > later!).toBe(true);
  });

  it('reads lower-case hex as upper-case, so case never orders versions', () => {
    expect(fileVersionOf('0065e2c0d3a1b2c3d4')).toBe(fileVersionOf('0065E2C0D3A1B2C3D4'));
  });

  it('takes a sequencer of up to 64 hex digits as it is, upper-cased', () => {
    expect(fileVersionOf('a'.repeat(64))).toBe('A'.repeat(64));
  });

  it.each([undefined, '', 'not-hex', '0x12', 'a'.repeat(65)])('has no version for the sequencer %j', (sequencer) => {
    expect(fileVersionOf(sequencer)).toBeUndefined();
  });
});
