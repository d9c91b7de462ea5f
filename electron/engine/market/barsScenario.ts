// A fixed two-day tick scenario for the time-zone tests (barsNewYork.test.ts, barsKolkata.test.ts):
// the same ticks must give the same bars whatever the machine's zone. The days cross the instants
// where a zone-dependent implementation would go wrong: New York's midnight falls at 10:30 IST, in
// the middle of the session, and UTC's at 05:30 IST; an MCX-style evening session runs past 18:30
// UTC, when the IST date changes. Deterministic; not used by the engine at run time.
import { formatIstDateTime, IST_OFFSET_MS } from '../../../shared/time/ist';
import { BarAggregator } from './bars';
import type { Bar, SessionHours } from './bars';

/** MCX: 09:00 to 23:30 IST. */
export const MCX_SESSION: SessionHours = { openMs: 9 * 3_600_000, closeMs: (23 * 60 + 30) * 60_000 };

function ist(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) - IST_OFFSET_MS;
}

/** Closed bars of every interval, as text (IST start, OHLC, volume), for the NSE and MCX sessions. */
export function runBarsScenario(): string[] {
  const out: string[] = [];
  const line = (tag: string) => (b: Bar) =>
    out.push(
      `${tag} ${b.interval} ${formatIstDateTime(b.start)} ${b.open} ${b.high} ${b.low} ${b.close} ${b.volume}`,
    );
  const nse = new BarAggregator({ instrumentToken: 408065, onClose: line('NSE') });
  const mcx = new BarAggregator({ instrumentToken: 53_496_327, session: MCX_SESSION, onClose: line('MCX') });
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 4_294_967_296;
  };
  for (const day of [10, 11]) {
    let price = 150_000;
    let cum = 0;
    // Every 7 s from 08:59 to 23:45 IST.
    for (let t = ist(2025, 12, day, 8, 59, 0); t < ist(2025, 12, day, 23, 45, 0); t += 7_000) {
      price = Math.max(5, price + Math.round((next() - 0.5) * 20) * 5);
      cum += next() < 0.1 ? 0 : Math.floor(next() * 500);
      nse.onTick(price, cum, t);
      mcx.onTick(price, cum, t);
    }
  }
  const end = ist(2025, 12, 12, 0, 0, 0);
  nse.closeUpTo(end);
  mcx.closeUpTo(end);
  return out;
}

/** sha256 of the scenario's lines joined by '\n', as computed under Asia/Kolkata and America/New_York. */
export const BARS_SCENARIO_SHA256 = 'a0e16ab1fe7d7fdd385be2f3450a49916cb3637dede28301a39f6527ddafa5fc';
