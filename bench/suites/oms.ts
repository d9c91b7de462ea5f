// The order path: OrderManager.place (validation, pre-trade risk, the journal's durable write, the
// Kite adapter and our order wire) until the request's bytes are written to the socket of a loopback
// HTTP server in this process. The engine's journal writes the order to its intent log before the
// send and commits its SQLite rows (a real file in WAL, the engine's `synchronous`) right after.
// Baselines measured in the same run, interleaved: the same OMS with a journal that commits the
// SQLite rows before the send (the design's first cut), our wire alone, the official kiteconnect
// client alone, and the journal's writes alone.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KiteConnect } from 'kiteconnect';
import type { Instrument } from '../../electron/engine/market/instruments';
import { KiteRest } from '../../electron/engine/broker/kite/http';
import { RequestPacer } from '../../electron/engine/broker/kite/rateLimiter';
import { KiteVenue } from '../../electron/engine/broker/kite/kiteVenue';
import type { KiteTickerPool } from '../../electron/engine/broker/kite/tickerPool';
import { createClientOrderIdSource } from '../../electron/engine/oms/clientOrderId';
import { OrderManager } from '../../electron/engine/oms/orderManager';
import { OrderRateLimiter } from '../../electron/engine/risk/orderRate';
import { PreTradeRisk } from '../../electron/engine/risk/preTrade';
import { ENGINE_SYNCHRONOUS, openEngineDatabase } from '../../electron/engine/store';
import { intentLogFileFor } from '../../electron/engine/store/intentLog';
import { OrderJournal } from '../../electron/engine/store/orderJournal';
import { sampleIntent } from '../../electron/engine/testing/sampleIntent';
import type { Price } from '../../shared/domain/money';
import { percentile } from '../measure';
import type { BenchRow } from '../measure';

const SUITE = 'oms';
const ORDERS = 3_000;
const WARM = 300;
/** Orders of the quiet-checkpoint comparison, each way. */
const QUIET_ORDERS = 400;
const TOKEN = 408_065;

/**
 * A minimal Kite-speaking HTTP server: notes when each request's first bytes arrive, answers
 * orders with an id and everything else with empty data. Raw sockets, so it adds as little as can be.
 */
function kiteServer(): Promise<{
  url: string;
  arrived: () => Promise<number>;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let waiter: ((t: number) => void) | undefined;
  let seq = 0;
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let buffer = '';
    let seen = false;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (!seen) {
        seen = true;
        const t = performance.now();
        const w = waiter;
        waiter = undefined;
        w?.(t);
      }
      buffer += chunk.toString('latin1');
      for (;;) {
        const head = buffer.indexOf('\r\n\r\n');
        if (head < 0) return;
        const match = /content-length:\s*(\d+)/i.exec(buffer.slice(0, head));
        const length = match === null ? 0 : Number(match[1]);
        if (buffer.length < head + 4 + length) return;
        const request = buffer.slice(0, head + 4 + length);
        buffer = buffer.slice(head + 4 + length);
        seen = buffer.length > 0;
        const line = request.slice(0, request.indexOf('\r\n'));
        let data: unknown = [];
        if (line.startsWith('POST /orders')) data = { order_id: String(2_612_020_000_000_000 + ++seq) };
        else if (line.includes('/portfolio/positions')) data = { net: [], day: [] };
        const body = JSON.stringify({ status: 'success', data });
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
        );
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        arrived: () =>
          new Promise<number>((r) => {
            waiter = r;
          }),
        connections: () => connections,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => {
              r();
            });
            server.unref();
          }),
      });
    });
  });
}

const INFY: Instrument = {
  instrumentToken: TOKEN,
  exchangeToken: TOKEN >> 8,
  tradingSymbol: 'INFY',
  name: 'INFOSYS',
  lastPrice: 150_000 as Price,
  expiry: '',
  strike: 0 as Price,
  tickSize: 5,
  lotSize: 1,
  instrumentType: 'EQ',
  segment: 'NSE',
  exchange: 'NSE',
  priceDivisor: 100,
  freezeQuantity: null,
};

const noPool = {
  onOrderUpdate: () => ({ dispose: () => undefined }),
} as unknown as KiteTickerPool;

/** Lets the answer's socket go back to the agent's pool before the next order (as between real orders). */
function settle(): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, 1);
  });
}

function sorted(samples: number[]): number[] {
  return samples.sort((a, b) => a - b);
}

/**
 * Notes when a client socket to `port` is first written to after `arm()`: the moment the request's
 * bytes are handed to the socket (the budget's end point), before the kernel and the server's loop.
 */
function watchWrites(port: number): { arm: () => void; at: () => number; restore: () => void } {
  const proto = net.Socket.prototype as unknown as { write: (...args: unknown[]) => boolean };
  const original = proto.write;
  let armed = false;
  let at = 0;
  proto.write = function (this: net.Socket, ...args: unknown[]): boolean {
    if (armed && this.remotePort === port) {
      armed = false;
      at = performance.now();
    }
    return original.apply(this, args);
  };
  return {
    arm: () => {
      armed = true;
      at = 0;
    },
    at: () => at,
    restore: () => {
      proto.write = original;
    },
  };
}

/** The `k`th limit order of a loop: sizes and prices vary, every one inside the limits. */
function benchOrder(k: number, side: 'BUY' | 'SELL') {
  return {
    instrumentToken: TOKEN,
    side,
    quantity: 1 + (k % 7),
    orderType: 'LIMIT',
    product: 'MIS',
    variety: 'regular',
    validity: 'DAY',
    price: 150_000 + ((k % 41) - 20) * 5,
  } as const;
}

/** The oms suite, registered as `oms` in bench/run.ts. */
export async function omsSuite(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-oms-'));
  const server = await kiteServer();
  const file = path.join(dir, 'engine.sqlite');
  const db = openEngineDatabase({
    file,
    synchronous: ENGINE_SYNCHRONOUS,
    autoCheckpoint: false,
  });
  try {
    // Limits high enough that nothing is refused; the checks still run in full.
    const rate = new OrderRateLimiter([{ label: 'bench', windowMs: 1_000, limit: 100_000 }]);
    const risk = new PreTradeRisk(
      { global: { maxQuantity: 10_000 }, fatFingerBasisPoints: 500, duplicateWindowMs: 0 },
      rate,
    );
    const unpaced = new RequestPacer(undefined, {
      limits: {
        orders: [{ limit: 1_000_000, windowMs: 1_000 }],
        quote: [{ limit: 1_000_000, windowMs: 1_000 }],
        historical: [{ limit: 1_000_000, windowMs: 1_000 }],
        other: [{ limit: 1_000_000, windowMs: 1_000 }],
      },
    });
    const rest = new KiteRest({ apiKey: 'bench', accessToken: 'bench', root: server.url, pacer: unpaced });
    /** An OMS on the bench's database: the engine's (with the intent log) or one committing first. */
    const omsWith = async (journal: OrderJournal, account: string) => {
      const ids = createClientOrderIdSource(Date.now(), Math.random);
      journal.startRun(ids.runPrefix);
      const manager = new OrderManager({
        journal,
        instrument: (t) => (t === TOKEN ? INFY : undefined),
        lastPrice: () => 150_000,
        risk,
        rate,
        riskState: () => 'ACTIVE',
        ids,
        now: Date.now,
        log: () => undefined,
        pollMs: 600_000,
      });
      await manager.attach(new KiteVenue(rest, noPool, () => undefined), account);
      return { manager, ids };
    };
    const journal = new OrderJournal(db, Date.now, intentLogFileFor(file));
    const { manager: oms, ids } = await omsWith(journal, 'bench:B1');
    const { manager: commitFirst } = await omsWith(new OrderJournal(db, Date.now), 'bench:B2');
    const writes = watchWrites(Number(new URL(server.url).port));

    // The engine's OMS and the commit-first one, interleaved (the same orders, the same moments).
    const omsSamples: number[] = [];
    const omsWrite: number[] = [];
    const omsReturn: number[] = [];
    const commitFirstWrite: number[] = [];
    for (let k = 0; k < 2 * (WARM + ORDERS); k++) {
      const ours = k % 2 === 0;
      const arrived = server.arrived();
      writes.arm();
      const t0 = performance.now();
      const acked = (ours ? oms : commitFirst).place(benchOrder(k >> 1, k % 4 < 2 ? 'BUY' : 'SELL'));
      const tReturn = performance.now();
      const t1 = await arrived;
      await acked;
      await settle();
      if (k >= 2 * WARM && ours) {
        omsReturn.push((tReturn - t0) * 1000);
        omsSamples.push((t1 - t0) * 1000);
        omsWrite.push((writes.at() - t0) * 1000);
      } else if (k >= 2 * WARM) commitFirstWrite.push((writes.at() - t0) * 1000);
    }

    // A trader's order most often comes after a quiet moment, in which the engine checkpointed the
    // WAL (engine.ts, every 2 s once quiet for 0.5 s). The first commit after a checkpoint restarts
    // the WAL and fsyncs its new header. Ours: idleCheckpoint, which pays that in the quiet moment;
    // baseline: a bare PASSIVE checkpoint, which leaves it to the order's commit (after the send,
    // with the intent log: the two should now match). Interleaved, same orders.
    const afterIdle: number[] = [];
    const afterBare: number[] = [];
    for (let k = 0; k < 2 * QUIET_ORDERS; k++) {
      const primed = k % 2 === 0;
      if (primed) db.idleCheckpoint();
      else db.checkpoint('PASSIVE');
      await settle();
      const arrived = server.arrived();
      writes.arm();
      const t0 = performance.now();
      const acked = oms.place(benchOrder(k, k % 4 < 2 ? 'BUY' : 'SELL'));
      await arrived;
      await acked;
      (primed ? afterIdle : afterBare).push((writes.at() - t0) * 1000);
      await settle();
    }

    // Baseline: our own order wire alone (KiteRest.placeOrder, what the OMS sends through), no OMS.
    const wireWrite: number[] = [];
    for (let k = 0; k < WARM + ORDERS; k++) {
      const arrived = server.arrived();
      writes.arm();
      const t0 = performance.now();
      const acked = rest.placeOrder({
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        side: 'BUY',
        orderType: 'LIMIT',
        quantity: 1,
        product: 'MIS',
        price: 150_000 as Price,
        tag: `w${k}`,
      });
      await arrived;
      await acked;
      await settle();
      if (k >= WARM) wireWrite.push((writes.at() - t0) * 1000);
    }

    // Baseline: the official client alone, to the same server.
    const kite = new KiteConnect({ api_key: 'bench', access_token: 'bench', root: server.url });
    const clientSamples: number[] = [];
    const clientWrite: number[] = [];
    for (let k = 0; k < WARM + ORDERS; k++) {
      const arrived = server.arrived();
      writes.arm();
      const t0 = performance.now();
      const acked = kite.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        quantity: 1,
        product: 'MIS',
        order_type: 'LIMIT',
        price: 1500,
        tag: `b${k}`,
      });
      const t1 = await arrived;
      await acked;
      await settle();
      if (k >= WARM) {
        clientSamples.push((t1 - t0) * 1000);
        clientWrite.push((writes.at() - t0) * 1000);
      }
    }
    writes.restore();

    // Baseline: one commit of a journal-sized transaction alone (two rows, the engine's pragmas).
    db.sql.exec('CREATE TABLE IF NOT EXISTS bench_commit (k INTEGER PRIMARY KEY, a TEXT, b TEXT)');
    const insert = db.sql.prepare('INSERT INTO bench_commit (a, b) VALUES (?, ?)');
    const tx = db.sql.transaction((a: string) => {
      insert.run(a, 'x');
      insert.run(a, 'y');
    });
    const commitSamples: number[] = [];
    for (let k = 0; k < WARM + ORDERS; k++) {
      const t0 = performance.now();
      tx(`q${k}`);
      if (k >= WARM) commitSamples.push((performance.now() - t0) * 1000);
    }
    // The same bare commit with the 1 ms pause between orders: the floor any journal commit on this
    // machine stands on, next to the budget's 100 us for the whole path.
    const commitPaused: number[] = [];
    for (let k = 0; k < WARM + ORDERS; k++) {
      await settle();
      const t0 = performance.now();
      tx(`p${k}`);
      if (k >= WARM) commitPaused.push((performance.now() - t0) * 1000);
    }

    // Baseline: the journal's own commit of a placement (intent and Submitted), alone: back to back
    // (caches warm), and with the 1 ms pause the order loops above leave between orders (as real
    // orders come), which is what a commit-first path pays before the send; and the intent log's
    // write (journal.submit), what the engine's path pays, with the same pause.
    const intentFor = (clientOrderId: string) =>
      sampleIntent(clientOrderId, { account: 'bench:B1', product: 'MIS', createdAt: Date.now() });
    const createSamples: number[] = [];
    const createPaused: number[] = [];
    for (const [samples, pause] of [
      [createSamples, false],
      [createPaused, true],
    ] as const) {
      for (let k = 0; k < WARM + ORDERS; k++) {
        const intent = intentFor(ids.next());
        const t0 = performance.now();
        journal.create(intent, [{ type: 'Submitted' }]);
        if (k >= WARM) samples.push((performance.now() - t0) * 1000);
        if (pause) await settle();
      }
    }
    const submitPaused: number[] = [];
    for (let k = 0; k < WARM + ORDERS; k++) {
      const intent = intentFor(ids.next());
      const t0 = performance.now();
      journal.submit(intent);
      if (k >= WARM) submitPaused.push((performance.now() - t0) * 1000);
      journal.settle();
      await settle();
    }

    process.stderr.write(
      `oms bench: ${server.connections()} connections for ${4 * (WARM + ORDERS)} orders\n`,
    );
    const o = sorted(omsSamples);
    const c = sorted(clientSamples);
    const ow = sorted(omsWrite);
    const cw = sorted(clientWrite);
    const j = sorted(commitSamples);
    const ww = sorted(wireWrite);
    const p99 = percentile(ow, 99);
    rows.push({
      suite: SUITE,
      name: 'OMS accept -> request bytes written to the socket (intent log written first) p99',
      unit: 'us',
      value: p99,
      baselineName: `the same OMS committing to SQLite (${ENGINE_SYNCHRONOUS}) before the send p99`,
      baseline: percentile(sorted(commitFirstWrite), 99),
      budget: 'p99 <= 100 us',
      withinBudget: p99 <= 100,
    });
    rows.push({
      suite: SUITE,
      name: 'OMS accept -> bytes written (intent log written first) p50',
      unit: 'us',
      value: percentile(ow, 50),
      baselineName: 'the same OMS committing to SQLite before the send p50',
      baseline: percentile(sorted(commitFirstWrite), 50),
    });
    rows.push({
      suite: SUITE,
      name: 'OMS accept -> bytes written p99',
      unit: 'us',
      value: p99,
      baselineName: 'kiteconnect placeOrder alone -> bytes written p99',
      baseline: percentile(cw, 99),
    });
    const quiet = sorted(afterIdle);
    const bare = sorted(afterBare);
    rows.push({
      suite: SUITE,
      name: 'first order after a quiet checkpoint (idleCheckpoint: WAL restarted then) -> bytes written p99',
      unit: 'us',
      value: percentile(quiet, 99),
      baselineName: 'after a bare PASSIVE checkpoint (the order restarts the WAL) p99',
      baseline: percentile(bare, 99),
    });
    rows.push({
      suite: SUITE,
      name: 'first order after a quiet checkpoint (idleCheckpoint) -> bytes written p50',
      unit: 'us',
      value: percentile(quiet, 50),
      baselineName: 'after a bare PASSIVE checkpoint p50',
      baseline: percentile(bare, 50),
    });
    rows.push({
      suite: SUITE,
      name: 'OMS place() returns (validation, risk, intent log, request written, SQLite commit) p50',
      unit: 'us',
      value: percentile(sorted(omsReturn), 50),
      baselineName: 'p99',
      baseline: percentile(sorted(omsReturn), 99),
    });
    const created = sorted(createSamples);
    const createdPaused = sorted(createPaused);
    rows.push({
      suite: SUITE,
      name: 'journal commit of a placement alone (intent + Submitted), back to back p99',
      unit: 'us',
      value: percentile(created, 99),
      baselineName: 'p50',
      baseline: percentile(created, 50),
    });
    rows.push({
      suite: SUITE,
      name: 'the same commit 1 ms after the last (as between real orders) p99',
      unit: 'us',
      value: percentile(createdPaused, 99),
      baselineName: 'p50',
      baseline: percentile(createdPaused, 50),
    });
    const submitted = sorted(submitPaused);
    rows.push({
      suite: SUITE,
      name: 'intent log write of a placement (journal.submit) 1 ms after the last p99',
      unit: 'us',
      value: percentile(submitted, 99),
      baselineName: 'the SQLite commit of it, same pause, p99',
      baseline: percentile(createdPaused, 99),
    });
    rows.push({
      suite: SUITE,
      name: 'intent log write of a placement (journal.submit) 1 ms after the last p50',
      unit: 'us',
      value: percentile(submitted, 50),
      baselineName: 'the SQLite commit of it, same pause, p50',
      baseline: percentile(createdPaused, 50),
    });
    rows.push({
      suite: SUITE,
      name: 'OMS accept -> bytes written p50',
      unit: 'us',
      value: percentile(ow, 50),
      baselineName: 'kiteconnect placeOrder alone -> bytes written p50',
      baseline: percentile(cw, 50),
    });
    rows.push({
      suite: SUITE,
      name: 'our order wire alone (KiteRest.placeOrder) -> bytes written p99',
      unit: 'us',
      value: percentile(ww, 99),
      baselineName: 'p50',
      baseline: percentile(ww, 50),
    });
    rows.push({
      suite: SUITE,
      name: 'OMS accept -> bytes read by a loopback server p50',
      unit: 'us',
      value: percentile(o, 50),
      baselineName: 'kiteconnect placeOrder alone -> read p50',
      baseline: percentile(c, 50),
    });
    const jp = sorted(commitPaused);
    rows.push({
      suite: SUITE,
      name: `a bare 2-row commit (${ENGINE_SYNCHRONOUS}) 1 ms after the last p99`,
      unit: 'us',
      value: percentile(jp, 99),
      baselineName: 'p50',
      baseline: percentile(jp, 50),
    });
    rows.push({
      suite: SUITE,
      name: 'of which the OMS (bytes written, minus our order wire alone) p50',
      unit: 'us',
      value: percentile(ow, 50) - percentile(ww, 50),
      baselineName: `a 2-row commit alone (${ENGINE_SYNCHRONOUS}) p50`,
      baseline: percentile(j, 50),
    });
    oms.dispose();
    commitFirst.dispose();
    journal.close();
  } finally {
    db.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
