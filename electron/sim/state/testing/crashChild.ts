// The crash test's child: opens the state file, then journals random commands as fast as it can and
// prints one line per journaled command, after its answer came back, until it is killed. A printed
// line is an acknowledgement: the parent checks that each one survived the SIGKILL.
// Run: node --require tsx/cjs electron/sim/state/testing/crashChild.ts FILE SEED
import { writeSync } from 'node:fs';
import { loadInstruments } from '../../instruments/loadInstruments';
import { openExchangeState } from '../journaledExchange';
import { DAY, START, infy, random } from './fixtures';

/** One acknowledged command, as the child prints it (one JSON line). */
export interface Ack {
  readonly seq: number;
  readonly kind: string;
  readonly result: string;
}

function main(): void {
  const [file, seedText] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: crashChild FILE SEED');
  const next = random(Number(seedText ?? '1'));
  let clock = 0;
  const x = openExchangeState(file, {
    tradingDate: DAY,
    instruments: loadInstruments(DAY),
    now: () => clock,
  });
  // A restart continues the day's clock where the journal left it.
  clock = x.lastTime ?? START;
  const ids = x.orders().map((o) => o.order_id);
  writeSync(1, 'ready\n');
  for (;;) {
    clock += 7;
    const r = next();
    const price = 154_080 + Math.floor(next() * 21 - 10) * 5;
    const account = next() < 0.5 ? 'AB1234' : 'CD5678';
    const side = next() < 0.5 ? 'BUY' : 'SELL';
    let kind: string;
    let result: unknown;
    if (r < 0.55 || ids.length === 0) {
      kind = 'place';
      result = x.placeOrder(
        infy({ account, transaction_type: side, price, quantity: 5 * (1 + Math.floor(next() * 4)) }),
      );
    } else if (r < 0.65) {
      kind = 'place';
      result = x.placeOrder(
        infy({ account, transaction_type: side, order_type: 'MARKET', price: 0, quantity: 5 }),
      );
    } else if (r < 0.85) {
      kind = 'cancel';
      result = x.cancelOrder(ids[Math.floor(next() * ids.length)] ?? '');
    } else {
      kind = 'modify';
      result = x.modifyOrder(ids[Math.floor(next() * ids.length)] ?? '', { price });
    }
    const seq = x.lastSeq;
    const answer = result as { ok: boolean; order_id?: string };
    if (kind === 'place' && answer.ok && answer.order_id !== undefined) ids.push(answer.order_id);
    if (ids.length > 200) ids.splice(0, 100);
    const ack: Ack = { seq, kind, result: JSON.stringify(result) };
    // Printed only for a command that was journaled (refused ones change nothing and are not).
    if (answer.ok) writeSync(1, `${JSON.stringify(ack)}\n`);
  }
}

main();
