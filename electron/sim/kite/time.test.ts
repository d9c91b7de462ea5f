import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIstDateTime } from '../../../shared/time/ist';
import { formatCandleTime, parseIstDateTime } from './time';

describe('IST text', () => {
  it('formats candle times with the +0530 offset', () => {
    expect(formatCandleTime(Date.UTC(2017, 11, 15, 3, 45))).toBe('2017-12-15T09:15:00+0530');
  });

  it('parses what formatIstDateTime writes, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (seconds) => {
        expect(parseIstDateTime(formatIstDateTime(seconds * 1000))).toBe(seconds * 1000);
      }),
    );
  });

  it('refuses dates that do not exist', () => {
    expect(parseIstDateTime('2026-02-29 10:00:00')).toBeUndefined();
    expect(parseIstDateTime('2026-13-01')).toBeUndefined();
    expect(parseIstDateTime('2026-01-01 24:00:00')).toBeUndefined();
    expect(parseIstDateTime('yesterday')).toBeUndefined();
    expect(parseIstDateTime('2026-01-01')).toBe(Date.UTC(2025, 11, 31, 18, 30));
  });
});
