/**
 * TEST SUPPORT (intentLog.test.ts). A process that journals orders the way the OMS does and dies by
 * SIGKILL before the last ones' SQLite rows are committed: `--db FILE --settled N --unsettled M`.
 * It submits and settles N orders (`c-0` ...), submits M more without settling, tells its parent
 * `submitted` on stdout, and kills itself: no cleanup, no final write.
 */
import { parseArgs } from 'node:util';
import { openEngineDatabase } from '../store';
import { intentLogFileFor } from '../store/intentLog';
import { OrderJournal } from '../store/orderJournal';
import type { OrderIntent } from '../store/orderJournal';

/** A NSE limit buy of INFY with client order id `id` (the test builds the same intents). */
export function crashIntent(id: string, createdAt: number): OrderIntent {
  return {
    clientOrderId: id,
    account: 'sim:AB1234',
    source: 'manual',
    strategyId: null,
    instrumentToken: 408065,
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    priceDivisor: 100,
    side: 'BUY',
    orderType: 'LIMIT',
    product: 'CNC',
    variety: 'regular',
    validity: 'DAY',
    validityTtl: null,
    disclosedQuantity: 0,
    marketProtection: null,
    algoId: null,
    tradingDate: '2026-12-03',
    createdAt,
    quantity: 1,
    price: 150_000,
    triggerPrice: 0,
  };
}

if (process.argv[1] !== undefined && /intentCrashChild/.test(process.argv[1])) {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, settled: { type: 'string' }, unsettled: { type: 'string' } },
  });
  const file = values.db;
  if (file === undefined) throw new Error('--db FILE is required');
  const database = openEngineDatabase({ file, synchronous: 'NORMAL' });
  const journal = new OrderJournal(database, Date.now, intentLogFileFor(file));
  let n = 0;
  for (let k = 0; k < Number(values.settled); k++) {
    journal.submit(crashIntent(`c-${n++}`, Date.now()));
    journal.settle();
  }
  for (let k = 0; k < Number(values.unsettled); k++) journal.submit(crashIntent(`c-${n++}`, Date.now()));
  process.stdout.write(`submitted ${journal.unsettled}\n`, () => {
    process.kill(process.pid, 'SIGKILL');
  });
}
