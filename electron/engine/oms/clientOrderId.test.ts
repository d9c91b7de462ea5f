import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ORDER_ID_PREFIX_LENGTH,
  KITE_TAG_MAX_LENGTH,
  MAX_RUN_TIME_MS,
  MAX_SEQUENCE,
  MIN_RUN_TIME_MS,
  createClientOrderIdSource,
  formatClientOrderId,
  isClientOrderId,
  parseClientOrderId,
} from './clientOrderId';

const KITE_TAG = /^[0-9A-Za-z]{1,20}$/;
const runTime = fc.integer({ min: MIN_RUN_TIME_MS, max: MAX_RUN_TIME_MS });
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('client order ids', () => {
  it('are valid Kite tags and parse back to their run and sequence', () => {
    fc.assert(
      fc.property(runTime, unit, fc.integer({ min: 1, max: 50 }), (t, r, n) => {
        const source = createClientOrderIdSource(t, () => r);
        expect(source.runPrefix).toHaveLength(CLIENT_ORDER_ID_PREFIX_LENGTH);
        for (let i = 1; i <= n; i += 1) {
          const id = source.next();
          expect(id).toMatch(KITE_TAG);
          expect(id.length).toBeLessThanOrEqual(KITE_TAG_MAX_LENGTH);
          expect(id.startsWith(source.runPrefix)).toBe(true);
          expect(isClientOrderId(id)).toBe(true);
          expect(parseClientOrderId(id)).toMatchObject({ runTimeMs: t, sequence: i });
        }
      }),
    );
  });

  it('format and parse are inverse over the whole range, the longest ids included', () => {
    const parts = fc.record({
      runTimeMs: runTime,
      runNonce: fc.integer({ min: 0, max: 36 ** 3 - 1 }),
      sequence: fc.oneof(
        fc.integer({ min: 1, max: MAX_SEQUENCE }),
        fc.constant(MAX_SEQUENCE),
        fc.constant(1),
      ),
    });
    fc.assert(
      fc.property(parts, (p) => {
        const id = formatClientOrderId(p);
        expect(id).toMatch(KITE_TAG);
        expect(parseClientOrderId(id)).toEqual(p);
      }),
    );
  });

  it('are unique within a run and across runs that differ in start time or nonce', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(runTime, fc.integer({ min: 0, max: 36 ** 3 - 1 })), {
          minLength: 1,
          maxLength: 8,
          selector: ([t, n]) => `${t}:${n}`,
        }),
        fc.integer({ min: 1, max: 40 }),
        (runs, perRun) => {
          const ids = new Set<string>();
          for (const [t, nonce] of runs) {
            const source = createClientOrderIdSource(t, () => nonce / 36 ** 3);
            for (let i = 0; i < perRun; i += 1) ids.add(source.next());
          }
          expect(ids.size).toBe(runs.length * perRun);
        },
      ),
    );
  });

  it('a restart one millisecond later never repeats an id of the previous run', () => {
    const t = Date.UTC(2026, 10, 24, 3, 45);
    const a = createClientOrderIdSource(t, () => 0.5);
    const b = createClientOrderIdSource(t + 1, () => 0.5);
    const first = new Set(Array.from({ length: 1000 }, () => a.next()));
    for (let i = 0; i < 1000; i += 1) expect(first.has(b.next())).toBe(false);
  });

  it('the parser refuses anything that is not one of ours', () => {
    const good = formatClientOrderId({ runTimeMs: Date.UTC(2026, 0, 1), runNonce: 7, sequence: 1 });
    const bad = [
      '',
      'web',
      good.toUpperCase(),
      good.replace(/^q/, 'x'),
      `${good.slice(0, CLIENT_ORDER_ID_PREFIX_LENGTH)}0`, // sequence 0 is never issued
      `${good.slice(0, CLIENT_ORDER_ID_PREFIX_LENGTH)}01`, // no leading zeros: one spelling per id
      `${good}123456789`, // too long for Kite
      'q000000000001', // run time before the field's range
      `${good} `,
      `${good.slice(0, 5)}-${good.slice(6)}`,
    ];
    for (const tag of bad) expect(parseClientOrderId(tag), tag).toBeNull();
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (s) => {
        const parts = parseClientOrderId(s);
        if (parts !== null) expect(formatClientOrderId(parts)).toBe(s);
      }),
    );
  });

  it('refuses start times and random values it cannot encode, and stops at the end of the sequence', () => {
    expect(() => createClientOrderIdSource(MIN_RUN_TIME_MS - 1, () => 0)).toThrow(RangeError);
    expect(() => createClientOrderIdSource(MAX_RUN_TIME_MS + 1, () => 0)).toThrow(RangeError);
    expect(() => createClientOrderIdSource(1.5e12 + 0.5, () => 0)).toThrow(RangeError);
    expect(() => createClientOrderIdSource(1.5e12, () => 1)).toThrow(RangeError);
    expect(() => createClientOrderIdSource(1.5e12, () => Number.NaN)).toThrow(RangeError);
    expect(() => formatClientOrderId({ runTimeMs: 1.5e12, runNonce: 0, sequence: MAX_SEQUENCE + 1 })).toThrow(
      RangeError,
    );
  });
});
