// Reads the instrument files from disk; the only I/O of the instruments area.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildInstruments } from './instruments';
import type { Instrument } from './instruments';

/** The instrument files' folder in the repository. */
export const INSTRUMENTS_DIR = path.join(__dirname, '..', '..', '..', 'assets', 'instruments');

/**
 * Reads nseEquities.json, indices.json and derivatives.json from `dir` and builds the instruments of
 * the trading day `tradingDate` (`YYYY-MM-DD`). Throws on a missing file, bad JSON or a file that
 * fails validation.
 */
export function loadInstruments(tradingDate: string, dir: string = INSTRUMENTS_DIR): Instrument[] {
  const read = (name: string): unknown => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as unknown;
  return buildInstruments(
    {
      nseEquities: read('nseEquities.json'),
      indices: read('indices.json'),
      derivatives: read('derivatives.json'),
    },
    tradingDate,
  );
}
