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
import { sampleIntent } from './sampleIntent';

const { values } = parseArgs({
  options: { db: { type: 'string' }, settled: { type: 'string' }, unsettled: { type: 'string' } },
});
const file = values.db;
if (file === undefined) throw new Error('--db FILE is required');
const database = openEngineDatabase({ file, synchronous: 'NORMAL' });
const journal = new OrderJournal(database, Date.now, intentLogFileFor(file));
let n = 0;
for (let k = 0; k < Number(values.settled); k++) {
  journal.submit(sampleIntent(`c-${n++}`, { createdAt: Date.now() }));
  journal.settle();
}
for (let k = 0; k < Number(values.unsettled); k++)
  journal.submit(sampleIntent(`c-${n++}`, { createdAt: Date.now() }));
process.stdout.write(`submitted ${journal.unsettled}\n`, () => {
  process.kill(process.pid, 'SIGKILL');
});
