import { toDisposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import { AlgoSpecSchema, RouteRequestSchema } from '../../../shared/services/algos';
import type {
  AlgoBenchmark,
  AlgoRefusalCode,
  AlgoSpec,
  AlgoSpecInput,
  AlgoView,
  ModifyAlgo,
  RouteDecision,
  RouteLeg,
  RouteRequest,
  TwapSpec,
} from '../../../shared/services/algos';
import type { OrderRefusalCode, OrderView } from '../../../shared/services/orders';
import { orderViewOf } from '../orders/fakeTrading';
import type { AlgosService } from './algosBridge';

// FOR TESTS: an in-memory fake of the engine's `algos` service. It keeps algorithms as the contract
// says, in a small way: reads a start's spec with the contract's schema (its defaults filled in, bad
// input refused INVALID_ALGO), starts them WORKING (a bracket with its target and stop as given, a
// TWAP or VWAP with its window's benchmark), refuses with REJECTED and an algo refusal code, and
// pushes every change on the stream. It places no child orders (tests that need children put them
// in an orders store themselves). No engine, no clock but the test's.
//
// Routing (`route`, `placeRouted`) is decided on fixed books, the same every time: a share listed on
// both exchanges (FAKE_LISTINGS: INFY) shows 40 on BSE at the better price and 60 on NSE a tick
// above it, so up to 40 goes to BSE, more is split (BSE 40, the rest on NSE); a share listed on one
// exchange goes there and says so. Placed legs come back as orders (not kept anywhere else); an
// exchange in `refuseLegs` refuses its leg (the first leg refused throws, as the engine does).

export interface FakeAlgos {
  readonly service: AlgosService;
  /** Every request made, in order. */
  readonly calls: { method: string; params: unknown }[];
  /** Pushes a view as the engine would (a fill, the next leg, an end). */
  emit(view: AlgoView): void;
  /** How many listeners the stream has now. */
  listeners(): number;
}

const refuse = (code: AlgoRefusalCode, message: string): never => {
  throw new RpcError('REJECTED', message, { code });
};

/** An algorithm as the engine shows it: a working INFY iceberg buy of 10 in legs of 3, unless `more` says otherwise. */
export function algoViewOf(id: string, more: Partial<AlgoView> = {}): AlgoView {
  const spec: AlgoSpec = {
    kind: 'iceberg',
    instrumentToken: 408065,
    side: 'BUY',
    quantity: 10,
    product: 'MIS',
    price: 150_000,
    legQuantity: 3,
    randomise: false,
  };
  return {
    algoId: id,
    kind: 'iceberg',
    status: 'WORKING',
    phase: 'leg 1: 0 of 10 filled, 3 showing at 1500.00',
    reason: '',
    instrumentToken: 408065,
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    priceDivisor: 100,
    side: 'BUY',
    product: 'MIS',
    quantity: 10,
    filledQuantity: 0,
    averagePrice: 0,
    targetPrice: 0,
    stopPrice: 0,
    exitedQuantity: 0,
    children: [],
    benchmark: null,
    spec,
    createdAt: Date.parse('2026-11-24T03:45:07Z'),
    updatedAt: Date.parse('2026-11-24T03:45:07Z'),
    ...more,
  };
}

/**
 * A working INFY TWAP buy of 10 in 5 slices over 15 minutes from 09:15 IST, 4 filled at 1501.20
 * against 6 scheduled (2 behind), unless `more` (and `benchmark`, merged into its benchmark) say otherwise.
 */
export function twapViewOf(
  id: string,
  more: Partial<AlgoView> = {},
  benchmark: Partial<AlgoBenchmark> = {},
): AlgoView {
  const startAt = Date.parse('2026-11-24T03:45:00Z');
  const spec: TwapSpec = {
    kind: 'twap',
    instrumentToken: 408065,
    side: 'BUY',
    quantity: 10,
    product: 'MIS',
    durationSeconds: 900,
    slices: 5,
    jitter: 0.3,
    catchUp: true,
  };
  return algoViewOf(id, {
    kind: 'twap',
    phase: 'slice 3 of 5',
    filledQuantity: 4,
    averagePrice: 150_120,
    spec,
    benchmark: {
      arrivalPrice: 150_000,
      intervalVwap: 150_085.4,
      marketVolume: 12_000,
      slippageArrivalBps: 8,
      slippageVwapBps: 2.3,
      scheduledQuantity: 6,
      startAt,
      endAt: startAt + 900_000,
      ...benchmark,
    },
    createdAt: startAt,
    updatedAt: startAt + 400_000,
    ...more,
  });
}

/** A share the fake routes: its listings (NSE first), its touch in wire units, what each book shows. */
export interface FakeListing {
  readonly tradingsymbol: string;
  /** The NSE and, for a share on both, the BSE listing's tokens. */
  readonly nse: number;
  readonly bse?: number;
  /** BSE's best offer (a buy) / best bid (a sell); NSE's is a tick (5) worse. */
  readonly price: number;
}

/** INFY on both exchanges (NSE 408065, BSE 5_000_209) and HINDUNILVR on NSE only. */
export const FAKE_LISTINGS: readonly FakeListing[] = [
  { tradingsymbol: 'INFY', nse: 408065, bse: 5_000_209, price: 154_000 },
  { tradingsymbol: 'HINDUNILVR', nse: 356865, price: 240_000 },
];

/** What BSE and NSE show on the side an order takes, in the fake's books. */
const FAKE_VISIBLE = { BSE: 40, NSE: 60 } as const;

export interface FakeAlgosOptions {
  readonly now?: () => number;
  readonly listings?: readonly FakeListing[];
  /** Exchanges whose legs `placeRouted` refuses (the message says so). */
  readonly refuseLegs?: readonly ('NSE' | 'BSE')[];
}

export function fakeAlgos(options: FakeAlgosOptions = {}): FakeAlgos {
  let clock = 1_790_000_000_000;
  const now = options.now ?? (() => ++clock);
  const algos = new Map<string, AlgoView>();
  const listeners = new Set<(a: AlgoView) => void>();
  const calls: { method: string; params: unknown }[] = [];
  let sequence = 0;

  const emit = (a: AlgoView): void => {
    algos.set(a.algoId, a);
    for (const l of [...listeners]) l(a);
  };
  const update = (a: AlgoView, change: Partial<AlgoView>): AlgoView => {
    const next = { ...a, ...change, updatedAt: now() };
    emit(next);
    return next;
  };
  const working = (id: string): AlgoView => {
    const a = algos.get(id);
    if (a === undefined) return refuse('UNKNOWN_ALGO', `No algorithm ${id} today.`);
    if (a.status !== 'WORKING') return refuse('ALGO_ENDED', `Algorithm ${id} has ended (${a.status}).`);
    return a;
  };

  const start = (input: AlgoSpecInput): AlgoView => {
    const parsed = AlgoSpecSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? 'spec' : issue.path.join('.');
      return refuse('INVALID_ALGO', `${where}: ${issue?.message ?? 'invalid'}`);
    }
    const spec: AlgoSpec = parsed.data;
    let targetPrice = 0;
    let stopPrice = 0;
    if (spec.kind === 'bracket') {
      targetPrice = 'price' in spec.target ? spec.target.price : 0;
      stopPrice = 'price' in spec.stop ? spec.stop.price : 0;
      const wrong = spec.side === 'BUY' ? stopPrice >= targetPrice : stopPrice <= targetPrice;
      if (targetPrice > 0 && stopPrice > 0 && wrong) {
        refuse('INVALID_ALGO', `The stop must be on the other side of the entry from the target.`);
      }
    }
    const at = now();
    let benchmark: AlgoBenchmark | null = null;
    let phase: string;
    if (spec.kind === 'twap' || spec.kind === 'vwap') {
      const from = spec.startAt ?? at;
      benchmark = {
        arrivalPrice: 0,
        intervalVwap: null,
        marketVolume: 0,
        slippageArrivalBps: null,
        slippageVwapBps: null,
        scheduledQuantity: 0,
        startAt: from,
        endAt: from + spec.durationSeconds * 1000,
      };
      phase = spec.kind === 'twap' ? `slice 0 of ${spec.slices}` : 'waiting for the first slice';
    } else {
      phase = spec.kind === 'bracket' ? 'entry working' : `leg 1: 0 of ${spec.quantity} filled`;
    }
    const view = algoViewOf(`AFK${(++sequence).toString(36).toUpperCase()}`, {
      kind: spec.kind,
      phase,
      instrumentToken: spec.instrumentToken,
      side: spec.side,
      product: spec.product,
      quantity: spec.quantity,
      targetPrice,
      stopPrice,
      benchmark,
      spec,
      createdAt: at,
      updatedAt: at,
    });
    emit(view);
    return view;
  };

  const listings = options.listings ?? FAKE_LISTINGS;
  const refuseOrder = (code: OrderRefusalCode, message: string): never => {
    throw new RpcError('REJECTED', message, { code });
  };

  /** A route on the fake's books, read with the contract's schema as the engine's transport does. */
  const route = (input: RouteRequest): RouteDecision => {
    const parsed = RouteRequestSchema.safeParse(input);
    if (!parsed.success)
      throw new RpcError('INVALID_PARAMS', 'invalid params for algos.route', {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      });
    const r = parsed.data;
    const l = listings.find((x) => x.nse === r.instrumentToken || x.bse === r.instrumentToken);
    if (l === undefined)
      return refuseOrder('UNKNOWN_INSTRUMENT', `No instrument with token ${r.instrumentToken}.`);
    if (r.orderType === 'LIMIT' && r.price === undefined)
      return refuseOrder('INVALID_ORDER', 'A limit order needs a price.');
    const decidedAt = now();
    const sign = r.side === 'BUY' ? 1 : -1;
    const leg = (exchange: 'NSE' | 'BSE', quantity: number, visible: number): RouteLeg => {
      const price = exchange === 'BSE' ? l.price : l.price + sign * 5;
      const turnover = Math.round((price * quantity * 100) / 100);
      return {
        exchange,
        instrumentToken: exchange === 'BSE' ? (l.bse ?? l.nse) : l.nse,
        tradingsymbol: l.tradingsymbol,
        quantity,
        expectedAveragePrice: price,
        expectedCostPaise: sign * turnover + 2_000,
        fromVisibleDepth: Math.min(quantity, visible),
      };
    };
    if (l.bse === undefined) {
      return {
        legs: [
          { ...leg('NSE', r.quantity, 0), expectedCostPaise: 0, expectedAveragePrice: r.price ?? l.price },
        ],
        reason: `NSE: ${l.tradingsymbol} is not listed on BSE.`,
        venues: [],
        fallback: true,
        listedOn: ['NSE'],
        decidedAt,
      };
    }
    const q = r.quantity;
    const venues = (thinBse: boolean): RouteDecision['venues'] => [
      {
        exchange: 'NSE',
        usable: true,
        visibleQuantity: FAKE_VISIBLE.NSE,
        ...(q <= FAKE_VISIBLE.NSE ? { costAllOnIt: leg('NSE', q, FAKE_VISIBLE.NSE).expectedCostPaise } : {}),
      },
      {
        exchange: 'BSE',
        usable: true,
        ...(thinBse ? { whyNot: `thin: ${FAKE_VISIBLE.BSE} visible` } : {}),
        visibleQuantity: FAKE_VISIBLE.BSE,
        ...(q <= FAKE_VISIBLE.BSE ? { costAllOnIt: leg('BSE', q, FAKE_VISIBLE.BSE).expectedCostPaise } : {}),
      },
    ];
    const base = { fallback: false, listedOn: ['NSE', 'BSE'] as ('NSE' | 'BSE')[], decidedAt };
    if (q <= FAKE_VISIBLE.BSE) {
      const diff = (5 * q * 100) / 100;
      return {
        ...base,
        legs: [leg('BSE', q, FAKE_VISIBLE.BSE)],
        reason: `BSE: Rs ${(diff / 100).toFixed(2)} ${r.side === 'BUY' ? 'cheaper' : 'more'} for ${q} through the visible depth after charges.`,
        venues: venues(false),
      };
    }
    if (q > 5 * FAKE_VISIBLE.BSE) {
      // BSE shows less than a fifth of the order: thin, all on NSE.
      return {
        ...base,
        fallback: true,
        legs: [leg('NSE', q, FAKE_VISIBLE.NSE)],
        reason: `NSE: BSE's book is thin (${FAKE_VISIBLE.BSE} of ${q} visible).`,
        venues: venues(true),
      };
    }
    return {
      ...base,
      legs: [
        leg('NSE', q - FAKE_VISIBLE.BSE, FAKE_VISIBLE.NSE),
        leg('BSE', FAKE_VISIBLE.BSE, FAKE_VISIBLE.BSE),
      ],
      reason: `Split: ${q - FAKE_VISIBLE.BSE} on NSE, ${FAKE_VISIBLE.BSE} on BSE: neither book shows ${q}.`,
      venues: venues(false),
    };
  };

  let orderSequence = 0;
  const placeRouted = (r: RouteRequest) => {
    const decision = route(r);
    const orders: OrderView[] = [];
    const refused: { exchange: string; quantity: number; message: string }[] = [];
    for (const l of decision.legs) {
      if (options.refuseLegs?.includes(l.exchange) === true) {
        const message = `${l.exchange} is not taking orders (fake).`;
        if (orders.length === 0) refuseOrder('NOT_TRADABLE', message);
        refused.push({ exchange: l.exchange, quantity: l.quantity, message });
        continue;
      }
      const at = now();
      const market = r.orderType === 'MARKET';
      orders.push(
        orderViewOf(`SQR${(++orderSequence).toString(36).toUpperCase()}`, {
          instrumentToken: l.instrumentToken,
          exchange: l.exchange,
          tradingsymbol: l.tradingsymbol,
          side: r.side,
          orderType: r.orderType,
          product: r.product,
          quantity: l.quantity,
          price: market ? 0 : (r.price ?? 0),
          filledQuantity: market ? l.quantity : 0,
          averagePrice: market ? Math.round(l.expectedAveragePrice) : 0,
          state: market ? 'COMPLETE' : 'OPEN',
          createdAt: at,
          updatedAt: at,
        }),
      );
    }
    return { decision, orders, refused };
  };

  const record =
    <P, R>(method: string, fn: (params: P) => R) =>
    (params: P): Promise<R> => {
      calls.push({ method, params });
      try {
        return Promise.resolve(fn(params));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };

  const service: AlgosService = {
    start: record('algos.start', (spec: AlgoSpecInput) => ({ algo: start(spec) })),
    modify: record('algos.modify', (m: ModifyAlgo) => {
      const a = working(m.algoId);
      if (a.kind !== 'bracket' && (m.targetPrice !== undefined || m.stopPrice !== undefined)) {
        refuse('NOT_MODIFIABLE', `A ${a.kind} has no target or stop.`);
      }
      return {
        algo: update(a, {
          ...(m.targetPrice === undefined ? {} : { targetPrice: m.targetPrice }),
          ...(m.stopPrice === undefined ? {} : { stopPrice: m.stopPrice }),
          ...(m.quantity === undefined ? {} : { quantity: m.quantity }),
        }),
      };
    }),
    cancel: record('algos.cancel', (c: { algoId: string }) => ({
      algo: update(working(c.algoId), { status: 'CANCELLED', phase: '', reason: 'cancelled by the user' }),
    })),
    route: record('algos.route', (r: RouteRequest) => ({ decision: route(r) })),
    placeRouted: record('algos.placeRouted', placeRouted),
    list: record('algos.list', () => ({
      algos: [...algos.values()].sort((a, b) => b.createdAt - a.createdAt),
    })),
    onAlgos: (l) => {
      listeners.add(l);
      for (const a of algos.values()) l(a);
      return toDisposable(() => listeners.delete(l));
    },
  };

  return { service, calls, emit, listeners: () => listeners.size };
}
