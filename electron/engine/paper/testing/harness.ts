/**
 * A paper broker on a real database file and a scripted market, with everything it reports
 * recorded in order: for the tests of this folder and its crash child.
 */
import type { VenueOrderReport, VenuePlaceRequest, VenueTrade } from '../../oms/venue';
import { openEngineDatabase } from '../../store';
import type { EngineDatabase } from '../../store';
import { PaperBroker } from '../paperBroker';
import type { PaperBrokerOptions } from '../paperBroker';
import { ScriptedMarket } from '../scriptedMarket';

/** An NSE instrument token (segment byte 1): RELIANCE's. */
export const RELIANCE = 738561;
/** Another NSE token. */
export const INFY = 408065;
/** 2026-01-05 10:00:00 IST. */
export const MONDAY_10AM = Date.UTC(2026, 0, 5, 4, 30);

/** What a broker pushed, in order. */
export type Pushed =
  | { readonly kind: 'order'; readonly report: VenueOrderReport }
  | { readonly kind: 'trade'; readonly trade: VenueTrade };

/** A place request with defaults: a regular DAY MIS LIMIT buy of 1 RELIANCE at 100.00. */
export function request(over: Partial<VenuePlaceRequest> & { clientOrderId: string }): VenuePlaceRequest {
  return {
    instrumentToken: RELIANCE,
    exchange: 'NSE',
    tradingsymbol: 'RELIANCE',
    side: 'BUY',
    orderType: 'LIMIT',
    product: 'MIS',
    variety: 'regular',
    validity: 'DAY',
    validityTtl: null,
    quantity: 1,
    price: 10_000,
    triggerPrice: 0,
    disclosedQuantity: 0,
    marketProtection: null,
    algoId: null,
    ...over,
  };
}

/** A broker, its database, its market, its clock and its pushes. */
export class Harness {
  readonly market: ScriptedMarket;
  clock: number;
  db!: EngineDatabase;
  broker!: PaperBroker;
  pushed: Pushed[] = [];
  readonly logged: string[] = [];

  constructor(
    readonly file: string,
    options: { market?: ScriptedMarket; clock?: number; broker?: Partial<PaperBrokerOptions> } = {},
  ) {
    this.market = options.market ?? new ScriptedMarket();
    this.clock = options.clock ?? MONDAY_10AM;
    this.open(options.broker);
  }

  /** Opens the database and a broker on it (again, after `close` or `abandon`). */
  open(options: Partial<PaperBrokerOptions> = {}): void {
    this.db = openEngineDatabase({ file: this.file, synchronous: 'NORMAL', now: () => this.clock });
    this.broker = new PaperBroker({
      db: this.db,
      market: this.market,
      now: () => this.clock,
      log: (line) => this.logged.push(line),
      ...options,
    });
    this.broker.onOrder((report) => this.pushed.push({ kind: 'order', report }));
    this.broker.onTrade((trade) => this.pushed.push({ kind: 'trade', trade }));
  }

  /** Disposes the broker and closes the database. */
  close(): void {
    this.broker.dispose();
    this.db.close();
  }

  /** Takes what was pushed since the last call. */
  take(): Pushed[] {
    const out = this.pushed;
    this.pushed = [];
    return out;
  }

  /** Order reports pushed since the last `take`, as `status filled/quantity`, and trades as `qty@price`. */
  story(): string[] {
    return this.take().map((p) =>
      p.kind === 'order'
        ? `${p.report.orderId} ${p.report.status} ${p.report.filledQuantity}/${p.report.quantity}`
        : `${p.trade.orderId} ${p.trade.quantity}@${p.trade.price}`,
    );
  }

  async order(orderId: string): Promise<VenueOrderReport> {
    const o = (await this.broker.orders()).find((r) => r.orderId === orderId);
    if (o === undefined) throw new Error(`no order ${orderId}`);
    return o;
  }
}
