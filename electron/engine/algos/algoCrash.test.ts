import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toService } from '../../../shared/rpc/client';
import { algosService } from '../../../shared/services/algos';
import type { AlgoView } from '../../../shared/services/algos';
import { marketService } from '../../../shared/services/market';
import { ordersService } from '../../../shared/services/orders';
import type { OrderView, ReconciliationState } from '../../../shared/services/orders';
import { startEngineProcess } from '../testing/engineProcess';
import type { EngineProcess } from '../testing/engineProcess';
import { morningOf, startLocalExchange } from '../testing/localExchange';
import type { LocalExchange } from '../testing/localExchange';
import { until } from '../testing/until';
import { seededRandom } from '../testing/seededRandom';
import { endpointOf, readExchangeOrders } from '../testing/exchangeBook';
import type { ExchangeOrder } from '../testing/exchangeBook';

// Algorithms survive a SIGKILL of the engine (issue 8, acceptance 1), against the real local
// exchange over real sockets, with the real engine process. Each round starts an iceberg (one-lot
// legs, a limit through the market, so each leg fills as it goes in), a bracket (a market entry,
// exits 100 ticks away, so they mostly rest), a 10 s TWAP and a conditional order on the next tick,
// and kills the engine at a random moment, often
// between a leg's journal write and its send, or between a fill and the next leg. After each restart and
// reconciliation, from the engine's view and the exchange's own book:
// - no algorithm's filled total exceeds its quantity, on either side's count;
// - an iceberg or a TWAP has at most one working child (a TWAP's inside its window), a conditional
//   at most one child (it fired once), a bracket at most one working target and one stop, and
//   its exits never filled more than its entry;
// - every child tag is in the exchange's book at most once (nothing was sent twice);
// and the icebergs resume and finish at exactly their quantity.

const ROUNDS = Number(process.env['ALGO_CRASH_ROUNDS'] ?? 8);
const ICEBERG = 24;
const TWAP = 12;

const WORKING = new Set([
  'PENDING_NEW',
  'SENT',
  'UNKNOWN',
  'ACCEPTED',
  'OPEN',
  'TRIGGER_PENDING',
  'MODIFY_PENDING',
  'CANCEL_PENDING',
]);

/** The invariants of every algorithm against its children (the engine's view) and the exchange's book. */
function check(
  round: number,
  algos: readonly AlgoView[],
  orders: readonly OrderView[],
  book: readonly ExchangeOrder[],
): void {
  const exchangeFilled = new Map<string, number>();
  const tags = book.map((o) => o.tag).filter((t): t is string => t !== null && t !== '');
  expect(new Set(tags).size, `round ${round}: a tag twice in the exchange's book`).toBe(tags.length);
  for (const o of book) if (o.tag !== null) exchangeFilled.set(o.tag, o.filled_quantity);
  for (const a of algos) {
    const kids = orders.filter((o) => o.parentId === a.algoId);
    const at = `round ${round}: ${a.kind} ${a.algoId} (${a.status}: ${a.reason || a.phase})`;
    // Every child the algorithm names is an order the OMS knows, with the algorithm as its parent
    // (the OMS may know one more: a leg placed after the algorithms were listed).
    const ids = new Set(kids.map((k) => k.clientOrderId));
    expect(
      a.children.filter((c) => !ids.has(c)),
      at,
    ).toEqual([]);
    const entries = kids.filter((k) => k.side === a.side);
    const exits = kids.filter((k) => k.side !== a.side);
    const filled = entries.reduce((n, k) => n + k.filledQuantity, 0);
    const onExchange = entries.reduce((n, k) => n + (exchangeFilled.get(k.clientOrderId) ?? 0), 0);
    expect(filled, at).toBeLessThanOrEqual(a.quantity);
    expect(onExchange, at).toBeLessThanOrEqual(a.quantity);
    if (a.kind === 'conditional') {
      // Fired at most once: one order reached the exchange, never a second after a restart (a
      // child the broker refused for the request rate never existed there).
      expect(
        kids.filter((k) => k.state !== 'REJECTED' || k.filledQuantity > 0).length,
        at,
      ).toBeLessThanOrEqual(1);
    } else if (a.kind !== 'bracket') {
      // An iceberg's leg, a TWAP's child: one at a time.
      expect(kids.filter((k) => WORKING.has(k.state)).length, at).toBeLessThanOrEqual(1);
      if (a.benchmark !== null)
        for (const k of kids) {
          expect(k.createdAt, at).toBeGreaterThanOrEqual(a.benchmark.startAt);
          expect(k.createdAt, at).toBeLessThan(a.benchmark.endAt);
        }
    } else {
      const exited = exits.reduce((n, k) => n + k.filledQuantity, 0);
      expect(exited, at).toBeLessThanOrEqual(filled);
      const working = exits.filter((k) => WORKING.has(k.state));
      expect(working.filter((k) => k.orderType === 'LIMIT').length, at).toBeLessThanOrEqual(1);
      expect(working.filter((k) => k.orderType !== 'LIMIT').length, at).toBeLessThanOrEqual(1);
    }
  }
}

describe('algorithms through SIGKILLs of the engine', () => {
  let exchange: LocalExchange | undefined;
  let engine: EngineProcess | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    await engine?.kill();
    await exchange?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it(
    `${ROUNDS} rounds of an iceberg, a bracket, a TWAP and a conditional killed mid-way: resumed or ended safely, never overfilled`,
    async () => {
      const ex = await startLocalExchange(['--seed', '21', '--always-open', ...morningOf()]);
      exchange = ex;
      dir = mkdtempSync(path.join(tmpdir(), 'algo-crash-'));
      const db = path.join(dir, 'engine.sqlite');
      const endpoint = endpointOf(ex);
      const random = seededRandom(21);
      let book: ExchangeOrder[] = [];
      let started = 0;
      let resumedWorking = 0;
      for (let round = 0; round <= ROUNDS; round++) {
        const e = await startEngineProcess([
          '--db',
          db,
          '--mode',
          'sim',
          '--order-poll-ms',
          '200',
          '--unknown-grace-ms',
          '1500',
        ]);
        engine = e;
        const client = e.connect();
        const orders = toService(client, ordersService);
        const algos = toService(client, algosService);
        const market = toService(client, marketService);
        const states: ReconciliationState[] = [];
        orders.onReconciliation((r) => states.push(r));
        e.setVenue(endpoint);
        const reconciled = await until(
          `round ${round}: reconciliation`,
          () => states.find((r) => r.state === 'ok' || r.state === 'blocked'),
          30_000,
          () => e.log(),
        );
        expect(reconciled.issues, `round ${round}: ${reconciled.summary}`).toEqual([]);
        // Children whose outcome the kill cut off are resolved by tag (or absent after the grace).
        await until(
          `round ${round}: no child of unknown outcome`,
          async () => {
            const list = (await orders.list()).orders;
            return list.some((o) => o.state === 'SENT' || o.state === 'UNKNOWN' || o.state === 'PENDING_NEW')
              ? undefined
              : list;
          },
          15_000,
          () => e.log(),
        );
        const before = (await algos.list()).algos;
        check(round, before, (await orders.list()).orders, book);
        resumedWorking += before.filter((a) => a.status === 'WORKING').length;
        // Every iceberg resumes (or has ended) and finishes at exactly its total; every TWAP ends
        // by its window, COMPLETED at its total or EXPIRED short of it.
        let latest: AlgoView[] = [];
        const finished = await until(
          `round ${round}: icebergs and TWAPs finished`,
          async () => {
            latest = (await algos.list()).algos;
            return latest
              .filter((a) => a.kind === 'iceberg' || a.kind === 'twap')
              .every((a) => a.status !== 'WORKING')
              ? latest
              : undefined;
          },
          30_000,
          () => `${JSON.stringify(latest.map((a) => [a.algoId, a.status, a.phase, a.reason]))}\n${e.log()}`,
        );
        for (const a of finished.filter((x) => x.kind === 'iceberg'))
          expect(a, `round ${round}: ${a.reason}`).toMatchObject({
            status: 'COMPLETED',
            filledQuantity: ICEBERG,
          });
        for (const a of finished.filter((x) => x.kind === 'twap')) {
          expect(['COMPLETED', 'EXPIRED'], `round ${round}: ${a.reason}`).toContain(a.status);
          if (a.status === 'COMPLETED') expect(a.filledQuantity).toBe(TWAP);
        }
        // (The exchange's book is read only while no engine runs: reading it logs in, which ends the
        // engine's session.)
        check(round, finished, (await orders.list()).orders, book);
        // Brackets: still working with their exits on the filled entry, or ended by their rules.
        for (const a of finished.filter((x) => x.kind === 'bracket' && x.status === 'WORKING')) {
          const kids = (await orders.list()).orders.filter((o) => o.parentId === a.algoId);
          const open = a.filledQuantity - a.exitedQuantity;
          if (a.filledQuantity > 0)
            await until(
              `round ${round}: ${a.algoId} exits sized to ${open}`,
              async () => {
                const now = (await orders.list()).orders.filter(
                  (o) => o.parentId === a.algoId && o.side !== a.side && WORKING.has(o.state),
                );
                return now.length === 2 && now.every((o) => o.quantity - o.filledQuantity === open)
                  ? true
                  : undefined;
              },
              10_000,
              () => JSON.stringify(kids),
            );
        }
        if (round === ROUNDS) break;

        const [infy] = (await market.lookup({ keys: ['NSE:INFY'] })).instruments;
        if (infy === undefined) throw new Error('no NSE:INFY');
        await market.subscribe({ instrumentTokens: [infy.instrumentToken], mode: 'quote' });
        const ltp = await until('a last price', async () => {
          const q = (await market.quotes({ instrumentTokens: [infy.instrumentToken] })).quotes[0];
          return q !== undefined && q.lastPrice > 0 ? q.lastPrice : undefined;
        });
        const side = round % 2 === 0 ? 'BUY' : 'SELL';
        const through =
          Math.round((side === 'BUY' ? ltp * 1.01 : ltp * 0.99) / infy.tickSize) * infy.tickSize;
        const killAt = 100 + Math.floor(random() * 2_400);
        const killed = new Promise<void>((resolve) => {
          setTimeout(() => {
            void e.kill().then(resolve);
          }, killAt);
        });
        const requests = [
          algos.start({
            kind: 'iceberg',
            instrumentToken: infy.instrumentToken,
            side,
            quantity: ICEBERG,
            product: 'MIS',
            price: through,
            legQuantity: 1,
          }),
          algos.start({
            kind: 'bracket',
            instrumentToken: infy.instrumentToken,
            side,
            quantity: 3,
            product: 'MIS',
            entry: { orderType: 'MARKET' },
            target: { ticks: 100 },
            stop: { ticks: 100 },
          }),
          // Fires on the market's next move either way (one of the two each round), placing one order.
          algos.start({
            kind: 'conditional',
            instrumentToken: infy.instrumentToken,
            side,
            quantity: 2,
            product: 'MIS',
            condition: {
              on: 'price',
              direction: round % 4 < 2 ? 'above' : 'below',
              price: ltp + (round % 4 < 2 ? infy.tickSize : -infy.tickSize),
            },
            then: { type: 'order', orderType: 'MARKET' },
          }),
          algos.start({
            kind: 'twap',
            instrumentToken: infy.instrumentToken,
            side,
            quantity: TWAP,
            product: 'MIS',
            durationSeconds: 10,
            slices: 4,
            jitter: 0.5,
          }),
        ];
        const answers = await Promise.allSettled(requests);
        started += answers.filter((r) => r.status === 'fulfilled').length;
        await killed;
        book = await readExchangeOrders(ex);
      }
      // The kills landed while algorithms worked, and they came back working.
      expect(started).toBeGreaterThan(ROUNDS);
      expect(resumedWorking).toBeGreaterThan(0);
    },
    20 * 60_000,
  );
});
