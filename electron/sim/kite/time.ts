/**
 * IST text formats of the Kite protocol that shared/time/ist.ts does not cover: candle timestamps
 * (`2017-12-15T09:15:00+0530`) and parsing the `from`/`to` of historical requests. Pure; never uses
 * the machine's time zone.
 */
import { formatIstDateTime, IST_OFFSET_MS } from '../../../shared/time/ist';

/** A candle's timestamp as Kite sends it: `YYYY-MM-DDTHH:MM:SS+0530`. */
export function formatCandleTime(epochMs: number): string {
  return `${formatIstDateTime(epochMs).replace(' ', 'T')}+0530`;
}

const IST_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`, or without seconds) as IST wall-clock time into
 * epoch ms; undefined when it is not such a date or names a day that does not exist.
 */
export function parseIstDateTime(text: string): number | undefined {
  const m = IST_TEXT.exec(text.trim());
  if (m === null) return undefined;
  // Optional groups that did not match are undefined at run time: read them by index.
  const field = (i: number): number => Number(m[i] ?? '0');
  const [year, month, day, h, mi, s] = [field(1), field(2), field(3), field(4), field(5), field(6)];
  if (month < 1 || month > 12 || day < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, h, mi, s);
  // Date.UTC rolls 31 February over into March; such a date does not exist.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return utc - IST_OFFSET_MS;
}
