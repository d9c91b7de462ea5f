/**
 * The child process of the paper broker's SIGKILL test: opens the database file in argv[2], then
 * places orders and moves a scripted market forever (seeded by argv[3]), printing every report and
 * trade the broker pushes as one JSON line. A pushed report has been committed, so every printed
 * line must survive the kill.
 */
import { PaperBroker } from '../paperBroker';
import { ScriptedMarket } from '../scriptedMarket';
import { openEngineDatabase } from '../../store';
import { RELIANCE } from './harness';
import { seededRandom } from '../../testing/seededRandom';

/** One printed line. */
export type CrashLine =
  | { readonly kind: 'order'; readonly orderId: string; readonly status: string; readonly filled: number }
  | {
      readonly kind: 'trade';
      readonly tradeId: string;
      readonly orderId: string;
      readonly quantity: number;
      readonly price: number;
    };

async function main(): Promise<void> {
  const [file, seedText] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: crashChild <file> <seed>');
  const seed = Number(seedText ?? '1');
  const pick = seededRandom(seed);
  let clock = Date.UTC(2026, 0, 5, 4, 30) + seed * 1_000;
  const db = openEngineDatabase({ file, now: () => clock });
  const market = new ScriptedMarket();
  const broker = new PaperBroker({ db, market, now: () => clock });
  const print = (line: CrashLine): void => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  broker.onOrder((r) => {
    print({ kind: 'order', orderId: r.orderId, status: r.status, filled: r.filledQuantity });
  });
  broker.onTrade((t) => {
    print({ kind: 'trade', tradeId: t.tradeId, orderId: t.orderId, quantity: t.quantity, price: t.price });
  });
  let last = 10_000;
  let volume = 0;
  const move = (): void => {
    last = Math.max(500, last + Math.floor(pick() * 5 - 2) * 5);
    volume += Math.floor(pick() * 50);
    market.set(RELIANCE, {
      lastPrice: last,
      volume,
      bids: [
        [last - 5, 1 + Math.floor(pick() * 20)],
        [last - 10, 1 + Math.floor(pick() * 20)],
      ],
      asks: [
        [last + 5, 1 + Math.floor(pick() * 20)],
        [last + 10, 1 + Math.floor(pick() * 20)],
      ],
      time: clock,
    });
  };
  move();
  process.stdout.write('ready\n');
  for (let n = 1; ; n++) {
    clock += 100;
    const r = pick();
    if (r < 0.5) {
      move();
    } else {
      const side = pick() < 0.5 ? 'BUY' : 'SELL';
      const market = r < 0.6;
      await broker.place({
        clientOrderId: `c${seed}n${n}`,
        instrumentToken: RELIANCE,
        exchange: 'NSE',
        tradingsymbol: 'RELIANCE',
        side,
        orderType: market ? 'MARKET' : 'LIMIT',
        product: 'MIS',
        variety: 'regular',
        validity: 'DAY',
        validityTtl: null,
        quantity: 1 + Math.floor(pick() * 30),
        price: market ? 0 : last + Math.floor(pick() * 5 - 2) * 5,
        triggerPrice: 0,
        disclosedQuantity: 0,
        marketProtection: -1,
        algoId: null,
      });
    }
    // Let the parent's reads and the kill in now and then.
    if (n % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
