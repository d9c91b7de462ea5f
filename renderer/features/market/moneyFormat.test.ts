import { describe, expect, it } from 'vitest';
import { formatPnl, formatRupees } from './moneyFormat';

describe('money on screen', () => {
  it('writes paise as rupees with Indian grouping, exactly', () => {
    expect(formatRupees(0)).toBe('0.00');
    expect(formatRupees(5)).toBe('0.05');
    expect(formatRupees(123_456_750)).toBe('12,34,567.50');
    expect(formatRupees(-4205)).toBe('-42.05');
    expect(formatRupees(99_999)).toBe('999.99');
    expect(formatRupees(100_000)).toBe('1,000.00');
    expect(formatRupees(1.5)).toBe('—');
  });

  it('signs a profit or loss, zero unsigned', () => {
    expect(formatPnl(123_450)).toBe('+1,234.50');
    expect(formatPnl(-5)).toBe('-0.05');
    expect(formatPnl(0)).toBe('0.00');
    expect(formatPnl(Number.NaN)).toBe('—');
  });
});
