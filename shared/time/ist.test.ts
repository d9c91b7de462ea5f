import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { IST_OFFSET_MS, formatIstDate, formatIstDateTime, formatIstTime, istFields } from './ist';

const originalTz = process.env.TZ;

function withTz<T>(tz: string, fn: () => T): T {
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  }
}

// Zones far from India on both sides, with and without daylight saving, and half-hour offsets.
const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Europe/London',
  'Australia/Adelaide',
  'Asia/Kathmandu',
  'Asia/Kolkata',
];

// 1950..2200: modern IST (+05:30 since 1945), so Intl's tz database can serve as the oracle.
const instants = fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2200, 0, 1) });

// An independent oracle: Intl with the zone named explicitly (never the machine's zone).
const oracle = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Kolkata',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
function oracleDateTime(epochMs: number): string {
  const parts = Object.fromEntries(oracle.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('IST formatting', () => {
  it('formats known instants', () => {
    expect(formatIstTime(Date.parse('2026-11-24T03:45:07Z'))).toBe('09:15:07');
    expect(formatIstDateTime(Date.parse('2026-11-24T03:45:07Z'))).toBe('2026-11-24 09:15:07');
    // NSE close, 15:30 IST.
    expect(formatIstTime(Date.parse('2026-11-24T10:00:00Z'))).toBe('15:30:00');
    // 18:30Z is already the next day in India.
    expect(formatIstDateTime(Date.parse('2026-12-31T18:30:00Z'))).toBe('2027-01-01 00:00:00');
    expect(formatIstDateTime(Date.parse('2026-12-31T18:29:59.999Z'))).toBe('2026-12-31 23:59:59');
    expect(formatIstDate(Date.parse('2024-02-28T18:30:00Z'))).toBe('2024-02-29');
    expect(formatIstDateTime(0)).toBe('1970-01-01 05:30:00');
  });

  it('truncates milliseconds rather than rounding', () => {
    expect(formatIstTime(Date.parse('2026-11-24T03:45:07.999Z'))).toBe('09:15:07');
  });

  it('refuses instants that are not instants', () => {
    expect(() => formatIstTime(Number.NaN)).toThrow(RangeError);
    expect(() => formatIstDateTime(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => istFields(8.64e15 + 1)).toThrow(RangeError);
  });

  it('really changes the machine zone in this test process (so the next test proves something)', () => {
    const inUtc = withTz('UTC', () => new Date(0).getHours());
    const inTokyo = withTz('Asia/Tokyo', () => new Date(0).getHours());
    expect(inUtc).toBe(0);
    expect(inTokyo).toBe(9);
  });

  it('gives the same answer whatever process.env.TZ is', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), (epochMs, tz) => {
        const expectedTime = withTz('UTC', () => formatIstTime(epochMs));
        const expectedDateTime = withTz('UTC', () => formatIstDateTime(epochMs));
        withTz(tz, () => {
          expect(formatIstTime(epochMs)).toBe(expectedTime);
          expect(formatIstDateTime(epochMs)).toBe(expectedDateTime);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the tz database for Asia/Kolkata', () => {
    fc.assert(
      fc.property(instants, (epochMs) => {
        expect(formatIstDateTime(epochMs)).toBe(oracleDateTime(epochMs));
      }),
      { numRuns: 2000 },
    );
  });

  it('is UTC shifted by exactly 05:30', () => {
    fc.assert(
      fc.property(instants, (epochMs) => {
        const f = istFields(epochMs);
        const back =
          Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond) - IST_OFFSET_MS;
        expect(back).toBe(epochMs);
      }),
    );
  });
});
