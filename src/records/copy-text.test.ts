import { describe, expect, it } from 'vitest';
import { copyField, copyIntegerField, copyJsonField } from './copy-text.js';

describe('COPY text fields', () => {
  it('writes null, booleans, numbers and timestamps as Postgres reads them', () => {
    expect([null, undefined, true, false, 12, 0.0000201, Number.NaN, new Date('2025-06-01T12:00:00.000Z')].map(copyField)).toStrictEqual([
      '\\N',
      '\\N',
      't',
      'f',
      '12',
      '0.0000201',
      'NaN',
      '2025-06-01T12:00:00.000Z',
    ]);
  });

  it('escapes the characters that would end a field or a row, and the escape character itself', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // A value that reads like the null marker or the end-of-data marker stays a value.
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('\\.')).toBe('\\\\.');
  });

  it('replaces NUL, which Postgres text cannot hold', () => {
    expect(copyField('a\0b')).toBe('a\uFFFDb');
  });

  it('writes text arrays as quoted array literals', () => {
    expect(copyField([])).toBe('{}');
    expect(copyField(['overloaded', 'rate_limited'])).toBe('{"overloaded","rate_limited"}');
    // Inside the literal: \" and \\ ; then the literal's backslashes are escaped again for COPY.
    expect(copyField(['say "hi"', 'back\\slash', 'a,b{c}'])).toBe('{"say \\\\"hi\\\\"","back\\\\\\\\slash","a,b{c}"}');
  });

  it('integer columns: whole numbers, and null for anything a column of integers cannot take', () => {
    expect([12, 12.6, Number.NaN, Number.POSITIVE_INFINITY, undefined, null].map(copyIntegerField)).toStrictEqual(['12', '13', '\\N', '\\N', '\\N', '\\N']);
  });

  it('jsonb: serialised once, with \\u0000 replaced unless its backslash is itself escaped', () => {
    expect(copyJsonField(undefined)).toBe('\\N');
    expect(copyJsonField({ message: 'a\0b\0' })).toBe('{"message":"a\\\\ufffdb\\\\ufffd"}');
    // The text "\u0000" (an escaped backslash, then u0000) is not a NUL and is kept.
    expect(copyJsonField({ message: '\\u0000' })).toBe('{"message":"\\\\\\\\u0000"}');
    expect(copyJsonField({ lines: 'one\ntwo\ttab' })).toBe('{"lines":"one\\\\ntwo\\\\ttab"}');
  });
});
