import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PositionStopView } from '../../../shared/services/risk';
import { openEngineDatabase } from './database';
import { PositionStopStore } from './positionStops';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const STOP: PositionStopView = {
  instrumentToken: 408_065,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  priceDivisor: 100,
  product: 'MIS',
  stopPrice: 152_000,
  direction: 'long',
  state: 'armed',
  message: '',
  exitClientOrderId: null,
  setAt: 1_000,
  updatedAt: 1_000,
};

describe('position stop store (a real SQLite file)', () => {
  it('keeps the latest state per account, instrument and product across a reopen; removed ones are not loaded', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stops-'));
    dirs.push(dir);
    const file = path.join(dir, 'engine.sqlite');
    let db = openEngineDatabase({ file });
    let store = new PositionStopStore(db);
    store.save('sim:a:U1', STOP);
    store.save('sim:a:U1', { ...STOP, stopPrice: 152_500, updatedAt: 2_000 });
    store.save('sim:a:U1', { ...STOP, product: 'CNC', state: 'removed', message: 'Removed by the user.' });
    store.save('live:U2', { ...STOP, direction: 'short', stopPrice: 160_000 });
    db.close();
    db = openEngineDatabase({ file });
    store = new PositionStopStore(db);
    expect(store.load('sim:a:U1')).toEqual([{ ...STOP, stopPrice: 152_500, updatedAt: 2_000 }]);
    expect(store.load('live:U2').map((s) => s.direction)).toEqual(['short']);
    expect(store.load('paper:U3')).toEqual([]);
    // The table refuses what the contract refuses.
    expect(() => {
      store.save('x', { ...STOP, stopPrice: 0 });
    }).toThrow(/CHECK/);
    db.close();
  });
});
