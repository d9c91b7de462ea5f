import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { InstrumentInfo } from '../../../shared/services/market';
import type {
  OrderType,
  OrderView,
  PlaceOrder,
  Product,
  Side,
  Variety,
} from '../../../shared/services/orders';
import { priceStyleOf } from '../market';
import { localRefusal, priceInputText, readPrice, stepPrice } from '../orders';
import type { OrderActions, Refusal } from '../orders';
import type { AlgoSpecInput, AlgoView, RouteDecision, RouteRequest } from '../../../shared/services/algos';
import type { RefusedLeg, RoutedOutcome } from '../algos';
import {
  DEFAULT_ALGO_FIELDS,
  defaultProduct,
  needsPrice,
  productsFor,
  readCount,
  sorOn,
  ticketAlgo,
  ticketOrder,
  ticketRoute,
} from './ticketOrder';
import type {
  TicketAlgoFields,
  TicketCondition,
  TicketFields,
  TicketInterval,
  TicketKind,
  TicketValidity,
  TicketWhere,
} from './ticketOrder';

/** What the last submit came to, shown under the ticket until the next change. */
export type TicketOutcome =
  | { readonly kind: 'sending' }
  | { readonly kind: 'placed'; readonly order: OrderView }
  | { readonly kind: 'started'; readonly algo: AlgoView }
  /** Sent with SOR: the decision it was placed on, the orders placed (one per exchange), any leg refused. */
  | {
      readonly kind: 'routed';
      readonly decision: RouteDecision;
      readonly orders: readonly OrderView[];
      readonly refused: readonly RefusedLeg[];
    }
  | { readonly kind: 'refused'; readonly refusal: Refusal };

/**
 * The order ticket: its fields as typed, the instrument they apply to, and the outcome of the last
 * submit. The instrument's last price is not here (it ticks): the store asks `lastPrice` for it when
 * it prefills or steps a price.
 */
export interface TicketState extends TicketFields {
  readonly instrument: InstrumentInfo | undefined;
  readonly outcome: TicketOutcome | undefined;
  /**
   * An order a hotkey made, waiting for the trader's Enter (settings.confirmOrders). Any change to
   * the ticket withdraws it: what is confirmed is always what the ticket shows.
   */
  readonly confirming: PlaceOrder | undefined;

  readonly instrumentChanged: (instrument: InstrumentInfo | undefined) => void;
  /** F1 / F2: this side, a fresh outcome line, the price prefilled if it is empty. */
  readonly open: (side: Side) => void;
  readonly setSide: (side: Side) => void;
  readonly setQuantityText: (text: string) => void;
  /** Arrow keys on the quantity: one lot (or share) up or down, never below one. */
  readonly stepQuantity: (direction: 1 | -1, steps?: number) => void;
  readonly setOrderType: (orderType: OrderType) => void;
  readonly setPriceText: (text: string) => void;
  readonly setTriggerText: (text: string) => void;
  /** Arrow keys on the price or trigger: one tick (from the last price when the field is empty). */
  readonly stepPrice: (field: 'price' | 'trigger', direction: 1 | -1, steps?: number) => void;
  readonly setProduct: (product: Product) => void;
  readonly setValidity: (validity: TicketValidity) => void;
  readonly setTtlText: (text: string) => void;
  readonly setDisclosedText: (text: string) => void;
  readonly setVariety: (variety: Variety) => void;
  /** Order, bracket, iceberg, TWAP or VWAP. */
  readonly setKind: (kind: TicketKind) => void;
  readonly setAlgoText: (field: TicketAlgoTextField, text: string) => void;
  /** A conditional's trigger, its bars' interval, where it waits (ENGINE or GTT). */
  readonly setCondition: (condition: TicketCondition) => void;
  readonly setInterval: (interval: TicketInterval) => void;
  readonly setWhere: (where: TicketWhere) => void;
  /** The conditional starts a bracket (the order as its entry) instead of placing the order. */
  readonly setThenBracket: (on: boolean) => void;
  readonly setRandomise: (on: boolean) => void;
  /** Smart order routing on or off (a plain LIMIT or MARKET order on a share). */
  readonly setSor: (on: boolean) => void;
  /** The freeze quantity's proposal taken: the ticket becomes an iceberg of `legs`. */
  readonly takeIceberg: (legs: number) => void;
  /** An order hotkey with confirmation on: this side on the ticket, `order` waiting for Enter. */
  readonly askConfirm: (order: PlaceOrder) => void;
  /** Enter on the confirm step: sends the waiting order. */
  readonly confirm: () => Promise<void>;
  /** Escape on the confirm step: nothing is sent. */
  readonly cancelConfirm: () => void;
  /** Sends `order` as made (an order hotkey with confirmation off). */
  readonly send: (order: PlaceOrder) => Promise<void>;
  /** Fills an empty price with the last price (when the order type has one). */
  readonly prefill: () => void;
  /** Escape: the fields back to a fresh ticket for this instrument, the outcome line cleared. */
  readonly clear: () => void;
  /** Enter: sends the order (once: a submit while one is in flight does nothing). */
  readonly submit: () => Promise<void>;
}

export type TicketStore = StoreApi<TicketState>;

/** The algorithms' text fields. */
export type TicketAlgoTextField =
  | 'targetText'
  | 'stopText'
  | 'trailText'
  | 'breakEvenText'
  | 'legsText'
  | 'windowText'
  | 'slicesText'
  | 'capText'
  | 'conditionText'
  | 'rangeAboveText'
  | 'periodText';

/** Starts an algorithm (the algos feature's `start`); resolves with its outcome. */
export type StartAlgo = (
  spec: AlgoSpecInput,
) => Promise<
  { readonly ok: true; readonly algo: AlgoView } | { readonly ok: false; readonly refusal: Refusal }
>;

/** Places a routed order (the algos feature's `placeRouted`); resolves with its outcome. */
export type PlaceRouted = (request: RouteRequest) => Promise<RoutedOutcome>;

export interface TicketStoreOptions {
  readonly actions: Pick<OrderActions, 'place'>;
  /** Absent where no engine runs algorithms: the ticket then says so instead of sending. */
  readonly startAlgo?: StartAlgo | undefined;
  /** Absent where no engine routes orders: with SOR on, the ticket says so instead of sending. */
  readonly placeRouted?: PlaceRouted | undefined;
  /** The instrument's last price in wire units now, or 0 when unknown. */
  readonly lastPrice: (token: number) => number;
  readonly instrument?: InstrumentInfo | undefined;
}

/** The last price (else the previous close) rounded to the instrument's tick, or 0 when neither is known. */
function marketPrice(i: InstrumentInfo, last: number): number {
  const units = last > 0 ? last : i.lastPrice;
  if (units <= 0) return 0;
  const tick = i.tickSize > 0 ? i.tickSize : 1;
  return Math.max(tick, Math.round(units / tick) * tick);
}

function algoFieldsOf(a: TicketAlgoFields): TicketAlgoFields {
  return {
    kind: a.kind,
    targetText: a.targetText,
    stopText: a.stopText,
    trailText: a.trailText,
    breakEvenText: a.breakEvenText,
    legsText: a.legsText,
    randomise: a.randomise,
    windowText: a.windowText,
    slicesText: a.slicesText,
    capText: a.capText,
    sor: a.sor,
    condition: a.condition,
    conditionText: a.conditionText,
    rangeAboveText: a.rangeAboveText,
    interval: a.interval,
    periodText: a.periodText,
    where: a.where,
    thenBracket: a.thenBracket,
  };
}

export function createTicketStore(options: TicketStoreOptions): TicketStore {
  /** A new ticket: one lot, LIMIT at the last price when it is known (else prefilled when it comes). */
  const fresh = (
    i: InstrumentInfo | undefined,
    side: Side,
    algo: TicketAlgoFields = DEFAULT_ALGO_FIELDS,
  ): TicketFields => {
    const last = i === undefined ? 0 : options.lastPrice(i.instrumentToken);
    return {
      ...algoFieldsOf(algo),
      side,
      quantityText: '1',
      orderType: 'LIMIT',
      priceText: i === undefined || last <= 0 ? '' : priceInputText(marketPrice(i, last), priceStyleOf(i)),
      triggerText: '',
      product: i === undefined ? 'CNC' : defaultProduct(i),
      validity: 'DAY',
      ttlText: '',
      disclosedText: '',
      variety: 'regular',
    };
  };

  return createStore<TicketState>()((set, get) => {
    /** A field changed: the last outcome no longer describes what is on the ticket (unless in flight). */
    const edit = (change: Partial<TicketFields>): void => {
      const sending = get().outcome?.kind === 'sending';
      set(
        sending
          ? { ...change, confirming: undefined }
          : { ...change, outcome: undefined, confirming: undefined },
      );
    };
    const prefilled = (): Partial<TicketFields> => {
      const { instrument, orderType, priceText } = get();
      if (instrument === undefined || !needsPrice(orderType) || priceText.trim() !== '') return {};
      const units = marketPrice(instrument, options.lastPrice(instrument.instrumentToken));
      return units > 0 ? { priceText: priceInputText(units, priceStyleOf(instrument)) } : {};
    };

    const send = async (order: PlaceOrder): Promise<void> => {
      if (get().outcome?.kind === 'sending') return;
      set({ outcome: { kind: 'sending' }, confirming: undefined });
      const result = await options.actions.place(order);
      if (result.ok && result.order !== null) set({ outcome: { kind: 'placed', order: result.order } });
      else if (!result.ok) set({ outcome: { kind: 'refused', refusal: result.refusal } });
      else set({ outcome: undefined });
    };

    /** The ticket's order through smart order routing: the engine decides on its books and places the legs. */
    const sendRouted = async (): Promise<void> => {
      const made = ticketRoute(get(), get().instrument);
      if (!made.ok) {
        set({ outcome: { kind: 'refused', refusal: made.refusal } });
        return;
      }
      const place = options.placeRouted;
      if (place === undefined) {
        set({
          outcome: {
            kind: 'refused',
            refusal: localRefusal(
              'This engine does not route orders between NSE and BSE (SOR): turn SOR off to send it to one.',
            ),
          },
        });
        return;
      }
      set({ outcome: { kind: 'sending' }, confirming: undefined });
      const result = await place(made.request);
      set({
        outcome: result.ok
          ? { kind: 'routed', decision: result.decision, orders: result.orders, refused: result.refused }
          : { kind: 'refused', refusal: result.refusal },
      });
    };

    return {
      ...fresh(options.instrument, 'BUY'),
      instrument: options.instrument,
      outcome: undefined,
      confirming: undefined,

      instrumentChanged: (instrument) => {
        const was = get().instrument;
        if (was?.instrumentToken === instrument?.instrumentToken) {
          set({ instrument });
          return;
        }
        set({
          ...fresh(instrument, get().side, get()),
          instrument,
          outcome: undefined,
          confirming: undefined,
        });
      },
      open: (side) => {
        set({ side, outcome: undefined, confirming: undefined });
        set(prefilled());
      },
      setSide: (side) => {
        edit({ side });
      },
      setQuantityText: (quantityText) => {
        edit({ quantityText });
      },
      stepQuantity: (direction, steps = 1) => {
        const count = readCount(get().quantityText) ?? 0;
        edit({ quantityText: String(Math.max(1, count + direction * steps)) });
      },
      setOrderType: (orderType) => {
        edit({ orderType });
        set(prefilled());
      },
      setPriceText: (priceText) => {
        edit({ priceText });
      },
      setTriggerText: (triggerText) => {
        edit({ triggerText });
      },
      stepPrice: (field, direction, steps = 1) => {
        const { instrument } = get();
        if (instrument === undefined || instrument.tickSize <= 0) return;
        const text = field === 'price' ? get().priceText : get().triggerText;
        const read = readPrice(text, instrument.priceDivisor);
        const from = read.ok
          ? read.units
          : marketPrice(instrument, options.lastPrice(instrument.instrumentToken));
        if (from <= 0) return;
        // From an empty field the first press lands on the last price itself.
        const next = read.ok ? stepPrice(from, direction, instrument.tickSize, steps) : from;
        const shown = priceInputText(next, priceStyleOf(instrument));
        edit(field === 'price' ? { priceText: shown } : { triggerText: shown });
      },
      setProduct: (product) => {
        const { instrument } = get();
        if (instrument !== undefined && !productsFor(instrument).includes(product)) return;
        edit({ product });
      },
      setValidity: (validity) => {
        edit(validity === 'TTL' && get().ttlText.trim() === '' ? { validity, ttlText: '5' } : { validity });
      },
      setTtlText: (ttlText) => {
        edit({ ttlText });
      },
      setDisclosedText: (disclosedText) => {
        edit({ disclosedText });
      },
      setVariety: (variety) => {
        edit({ variety });
      },
      setKind: (kind) => {
        // An iceberg is a limit order: the ticket switches to LIMIT (prefilled) as it does by hand.
        edit(kind === 'iceberg' ? { kind, orderType: 'LIMIT' } : { kind });
        set(prefilled());
      },
      setAlgoText: (field, text) => {
        edit({ [field]: text });
      },
      setRandomise: (randomise) => {
        edit({ randomise });
      },
      setCondition: (condition) => {
        edit({ condition });
      },
      setInterval: (interval) => {
        edit({ interval });
      },
      setWhere: (where) => {
        edit({ where });
      },
      setThenBracket: (thenBracket) => {
        // A bracket waits in the engine (a GTT places one order).
        edit(thenBracket ? { thenBracket, where: 'ENGINE' } : { thenBracket });
      },
      setSor: (sor) => {
        edit({ sor });
      },
      takeIceberg: (legs) => {
        edit({ kind: 'iceberg', orderType: 'LIMIT', legsText: String(legs) });
        set(prefilled());
      },
      askConfirm: (order) => {
        set({ side: order.side, outcome: undefined, confirming: order });
      },
      confirm: async () => {
        const order = get().confirming;
        if (order === undefined) return;
        await send(order);
      },
      cancelConfirm: () => {
        set({ confirming: undefined });
      },
      send,
      prefill: () => {
        set(prefilled());
      },
      clear: () => {
        set({ ...fresh(get().instrument, get().side, get()), outcome: undefined, confirming: undefined });
      },
      submit: async () => {
        if (get().outcome?.kind === 'sending') return;
        if (get().kind !== 'order') {
          const algo = ticketAlgo(get(), get().instrument);
          if (!algo.ok) {
            set({ outcome: { kind: 'refused', refusal: algo.refusal } });
            return;
          }
          const start = options.startAlgo;
          if (start === undefined) {
            set({
              outcome: {
                kind: 'refused',
                refusal: localRefusal(
                  'This engine does not run algorithms (brackets, icebergs, TWAP, VWAP).',
                ),
              },
            });
            return;
          }
          set({ outcome: { kind: 'sending' }, confirming: undefined });
          const result = await start(algo.spec);
          set({
            outcome: result.ok
              ? { kind: 'started', algo: result.algo }
              : { kind: 'refused', refusal: result.refusal },
          });
          return;
        }
        if (sorOn(get(), get().instrument)) {
          await sendRouted();
          return;
        }
        const made = ticketOrder(get(), get().instrument);
        if (!made.ok) {
          set({ outcome: { kind: 'refused', refusal: made.refusal } });
          return;
        }
        await send(made.order);
      },
    };
  });
}
