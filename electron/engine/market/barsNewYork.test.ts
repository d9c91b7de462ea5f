// Bars under TZ=America/New_York: set before anything reads a date, so this whole file runs in that zone.
// Its twin (barsKolkata.test.ts) runs the same scenario in the other zone; both must match one digest.
process.env.TZ = 'America/New_York';

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BARS_SCENARIO_SHA256, runBarsScenario } from './barsScenario';

describe('bars under TZ=America/New_York', () => {
  it('the zone is really in effect for this process', () => {
    expect(new Date(0).getTimezoneOffset()).toBe(300);
    // 10:00 IST on 2025-12-10 read with the machine's zone.
    expect(new Date(Date.UTC(2025, 11, 10, 4, 30)).getHours()).toBe(23);
  });

  it('gives the same bars and times as in every other zone', () => {
    const lines = runBarsScenario();
    expect(lines.filter((l) => l.includes(' 1d '))).toEqual([
      'NSE 1d 2025-12-10 00:00:00 150035 151275 148370 150515 1702225',
      'MCX 1d 2025-12-10 00:00:00 150035 151275 148370 150515 1702225',
      'NSE 1d 2025-12-11 00:00:00 150005 150945 148860 149335 1695811',
      'MCX 1d 2025-12-11 00:00:00 150005 150945 148860 149335 1695811',
    ]);
    expect(lines.filter((l) => l.startsWith('NSE 1h 2025-12-10')).map((l) => l.slice(18, 26))).toEqual([
      '09:15:00', '10:15:00', '11:15:00', '12:15:00', '13:15:00', '14:15:00', '15:15:00',
    ]); // prettier-ignore
    expect(createHash('sha256').update(lines.join('\n')).digest('hex')).toBe(BARS_SCENARIO_SHA256);
  });
});
