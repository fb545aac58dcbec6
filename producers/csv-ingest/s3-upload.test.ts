import { describe, expect, it } from 'vitest';
import { objectKeyOf, placeholderOf } from './s3-upload.js';

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
