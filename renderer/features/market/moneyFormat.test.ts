import { describe, expect, it } from 'vitest';
import { formatPnl, formatRupees, formatRupeesShort } from './moneyFormat';

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

  it('shortens a large sum to lakhs or crores, never overstating it', () => {
    expect(formatRupeesShort(9_999_999)).toBe('99,999.99'); // under a lakh: in full
    expect(formatRupeesShort(10_000_000)).toBe('1.00 L');
    expect(formatRupeesShort(12_599_999)).toBe('1.25 L'); // 1,25,999.99 rounds down
    expect(formatRupeesShort(999_600_000)).toBe('99.96 L');
    expect(formatRupeesShort(999_999_999)).toBe('99.99 L');
    expect(formatRupeesShort(1_000_000_000)).toBe('1.00 Cr');
    expect(formatRupeesShort(1_234_567_890_000)).toBe('1,234.56 Cr');
    expect(formatRupeesShort(-25_000_000)).toBe('-2.50 L');
    expect(formatRupeesShort(0.5)).toBe('—');
  });
});
