import './ladder.css';
import { useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, WheelEvent } from 'react';
import type { InstrumentInfo } from '../../../shared/services/market';
import type { PlaceOrder, Product, Side } from '../../../shared/services/orders';
import { formatPriceUnits, formatQuantity, priceStyleOf, useMarketData } from '../market';
import { useCommands, useHotkeys, useHotkeysState } from '../hotkeys';
import type { Command } from '../hotkeys';
import { OrdersContext, localRefusal, restingPriceOf } from '../orders';
import { AlgosContext, selectAlgo } from '../algos';
import { readTicks } from '../ticket';
import type { AlgosHandle } from '../algos';
import type { OrdersHandle, Refusal } from '../orders';
import { LADDER_COMMANDS, ladderCommandForKey } from './ladderCommands';
import type { LadderCommandTarget } from './ladderCommands';
import { createLadderController } from './ladderController';
import type { LadderController } from './ladderController';
import {
  QUANTITY_PRESETS,
  clickIntent,
  describeOrder,
  dragIntent,
  isDerivative,
  orderBlocker,
  productsFor,
  unitsOfLots,
} from './ladderModel';
import type { LadderSide, LadderWindow, OrdersAt } from './ladderModel';
import type { RowCells } from './ladderView';

/** A row's height in px: the same as `--ladder-row-h` in ladder.css (rows are counted from the body's height). */
export const LADDER_ROW_PX = 18;
const MIN_ROWS = 9;
const DEFAULT_ROWS = 31;

export interface LadderProps {
  readonly instrument: InstrumentInfo | undefined;
  /**
   * Ask before sending each order (Enter sends, Escape drops it). Defaults to settings.confirmOrders
   * as the window's hotkeys read it (true, the safe side, until the settings have loaded).
   */
  readonly confirmOrders?: boolean;
}

/** What the ladder last said: an order sent, a refusal (the engine's or ours), or a hint. */
interface LadderMessage {
  readonly kind: 'placed' | 'refused' | 'info';
  readonly text: string;
  readonly code: string;
  readonly clientOrderId?: string;
}

function refusedMessage(action: string, r: Refusal): LadderMessage {
  return {
    kind: 'refused',
    code: r.code,
    text: `${action}: ${r.message}${r.suggestion === '' ? '' : ` — ${r.suggestion}`}`,
  };
}

/** The order waiting for the trader's Enter (settings.confirmOrders). */
interface PendingOrder {
  readonly order: PlaceOrder & { readonly quantity: number; readonly side: Side };
  readonly text: string;
  /** Sent as a bracket's entry: target and stop this many ticks from its fill (the ladder's Bracket chip). */
  readonly bracket?: { readonly targetTicks: number; readonly stopTicks: number };
}

/** The mounted ladders by root element, so one registered command list serves whichever has focus. */
const focusedTargets = new Map<HTMLElement, { readonly current: LadderCommandTarget }>();

function focusedTarget(): LadderCommandTarget | undefined {
  const active = typeof document === 'undefined' ? null : document.activeElement;
  if (active === null) return undefined;
  for (const [root, ref] of focusedTargets) if (root.contains(active)) return ref.current;
  return undefined;
}

/** LADDER_COMMANDS as the hotkey registry takes them (scope `ladder`: only while a ladder has focus). */
const REGISTRY_COMMANDS: readonly Command[] = LADDER_COMMANDS.map((c) => ({
  id: c.id,
  label: c.label,
  category: 'Ladder',
  keys: c.keys,
  when: { scope: 'ladder' },
  repeats: c.repeats,
  run: (invocation) => {
    const target = focusedTarget();
    if (target === undefined) invocation.refuse('No ladder has focus.');
    else c.run(target, invocation.refuse);
  },
}));

const selectConfirmOrders = (s: { readonly confirmOrders: boolean }) => s.confirmOrders;

const ROW_INDEXES = (n: number) => Array.from({ length: n }, (_, i) => i);

function cellsOf(body: HTMLElement): RowCells[] {
  const out: RowCells[] = [];
  for (const row of body.querySelectorAll<HTMLElement>('[data-row]')) {
    const get = (f: string) => row.querySelector<HTMLElement>(`[data-field="${f}"]`);
    const price = get('price');
    const bid = get('bid');
    const ask = get('ask');
    const buyOrders = get('buy-orders');
    const sellOrders = get('sell-orders');
    const volume = get('volume');
    const volumeBar = get('volume-bar');
    if (!price || !bid || !ask || !buyOrders || !sellOrders || !volume || !volumeBar) continue;
    out.push({ row, price, bid, ask, buyOrders, sellOrders, volume, volumeBar });
  }
  return out;
}

/** The row index under an event's target, or -1. */
function rowIndexOf(target: EventTarget | null): number {
  if (!(target instanceof Element)) return -1;
  const row = target.closest<HTMLElement>('[data-row]');
  const n = Number(row?.dataset['row']);
  return Number.isInteger(n) ? n : -1;
}

function sideOf(target: EventTarget | null): LadderSide | undefined {
  if (!(target instanceof Element)) return undefined;
  const side = target.closest<HTMLElement>('[data-side]')?.dataset['side'];
  return side === 'bid' || side === 'ask' ? side : undefined;
}

/** A drag of the trader's working orders from one row: where it started and where it is now. */
interface Drag {
  readonly pointerId: number;
  readonly from: number;
  readonly at: OrdersAt;
  readonly startY: number;
  to: number;
  moved: boolean;
}

/**
 * The price ladder (DOM): one row a tick, centred on the last price; bid sizes on the left and ask
 * sizes on the right from the 5-level book, the trader's working orders beside them, the session's
 * volume at each price. Click the bid side to buy LIMIT at the row, the ask side to sell; Shift+click
 * for a stop (a buy stop above the market on the ask side, a sell stop below it on the bid side);
 * click a working order to cancel it, drag it to another row to move it. Ticks go from the stream to
 * the cells once a frame (ladderController), never through React.
 */
export function Ladder({ instrument, confirmOrders: confirmGiven }: LadderProps) {
  const confirmSetting = useHotkeysState(selectConfirmOrders);
  const confirmOrders = confirmGiven ?? confirmSetting;
  const hotkeys = useHotkeys();
  const data = useMarketData();
  const orders: OrdersHandle | null = useContext(OrdersContext);
  const rootRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const ltpRef = useRef<HTMLSpanElement>(null);
  const volumeHeadingRef = useRef<HTMLSpanElement>(null);
  const controllerRef = useRef<LadderController | undefined>(undefined);
  const keptWindow = useRef<{ token: number; window: LadderWindow; selected: number } | undefined>(undefined);
  const dragRef = useRef<Drag | undefined>(undefined);

  const [rows, setRows] = useState(DEFAULT_ROWS);
  const [lots, setLots] = useState(1);
  const [product, setProduct] = useState<Product>(() => productsFor(instrument)[0] ?? 'MIS');
  const [autoCentre, setAutoCentre] = useState(true);
  const [pending, setPending] = useState<PendingOrder | undefined>(undefined);
  const [message, setMessage] = useState<LadderMessage | undefined>(undefined);
  // The Bracket chip: a click's order goes in as a bracket's entry with this target and stop (ticks).
  const [bracketOn, setBracketOn] = useState(false);
  const [targetText, setTargetText] = useState('20');
  const [stopText, setStopText] = useState('10');
  const algos: AlgosHandle | null = useContext(AlgosContext);

  const token = instrument?.instrumentToken;
  const products = productsFor(instrument);
  const lotSize = instrument?.lotSize ?? 0;
  const quantity = unitsOfLots(lots, lotSize) ?? 0;
  const derivative = instrument !== undefined && isDerivative(instrument);

  // A new instrument: its default product, nothing pending (reset while rendering, as React advises).
  const [shownToken, setShownToken] = useState(token);
  if (shownToken !== token) {
    setShownToken(token);
    setProduct(productsFor(instrument)[0] ?? 'MIS');
    setPending(undefined);
    setMessage(undefined);
  }

  // As many rows as the body holds (re-rendered on a resize only, never on a tick).
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (body === null || typeof ResizeObserver === 'undefined') return;
    const fit = () => {
      const h = body.clientHeight;
      if (h > 0) setRows(Math.max(MIN_ROWS, Math.floor(h / LADDER_ROW_PX)));
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(body);
    return () => {
      observer.disconnect();
    };
  }, []);

  useEffect(() => {
    const body = bodyRef.current;
    if (body === null || instrument === undefined) return;
    const kept = keptWindow.current?.token === instrument.instrumentToken ? keptWindow.current : undefined;
    const store = orders?.store;
    const controller = createLadderController({
      data,
      instrument,
      cells: cellsOf(body),
      lastPriceCell: ltpRef.current,
      volumeHeading: volumeHeadingRef.current,
      autoCentre,
      ...(kept === undefined ? {} : { window: kept.window, selected: kept.selected }),
      ...(store === undefined
        ? {}
        : {
            orders: {
              getRows: () => store.getState().rows,
              subscribe: (l: () => void) => store.subscribe(l),
            },
          }),
    });
    controllerRef.current = controller;
    return () => {
      keptWindow.current = {
        token: instrument.instrumentToken,
        window: controller.window,
        selected: controller.selected,
      };
      controller.dispose();
      if (controllerRef.current === controller) controllerRef.current = undefined;
    };
    // The instrument is identified by its token; autoCentre is applied below without a rebuild.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, token, rows, orders]);

  useEffect(() => {
    controllerRef.current?.setAutoCentre(autoCentre);
  }, [autoCentre]);

  const style = useMemo(
    () => (instrument === undefined ? undefined : priceStyleOf(instrument)),
    [instrument],
  );
  const priceText = useCallback(
    (units: number) => (style === undefined ? String(units) : formatPriceUnits(units, style)),
    [style],
  );

  const send = useCallback(
    (p: PendingOrder) => {
      setPending(undefined);
      if (p.bracket !== undefined) {
        if (algos === null) {
          setMessage(refusedMessage('Not sent', localRefusal('This window has no algos service.')));
          return;
        }
        const o = p.order;
        setMessage({ kind: 'info', code: '', text: `Sending ${p.text}…` });
        void algos.actions
          .start({
            kind: 'bracket',
            instrumentToken: o.instrumentToken,
            side: o.side,
            quantity: o.quantity,
            product: o.product,
            entry: {
              orderType: o.orderType,
              ...(o.price === undefined ? {} : { price: o.price }),
              ...(o.triggerPrice === undefined ? {} : { triggerPrice: o.triggerPrice }),
            },
            target: { ticks: p.bracket.targetTicks },
            stop: { ticks: p.bracket.stopTicks },
          })
          .then((outcome) => {
            if (outcome.ok)
              setMessage({ kind: 'placed', code: '', text: `Sent ${p.text} · ${outcome.algo.algoId}` });
            else setMessage(refusedMessage(`Not placed ${p.text}`, outcome.refusal));
          });
        return;
      }
      if (orders === null) {
        setMessage(refusedMessage('Not sent', localRefusal('This window has no orders service.')));
        return;
      }
      setMessage({ kind: 'info', code: '', text: `Sending ${p.text}…` });
      void orders.actions.place(p.order).then((outcome) => {
        if (outcome.ok) {
          setMessage({
            kind: 'placed',
            code: '',
            text: `Sent ${p.text}`,
            ...(outcome.order === null ? {} : { clientOrderId: outcome.order.clientOrderId }),
          });
        } else {
          setMessage(refusedMessage(`Not placed ${p.text}`, outcome.refusal));
        }
      });
    },
    [orders, algos],
  );

  // An order the ladder sent may be rejected by the exchange afterwards: say so where it was sent from.
  const placedId = message?.kind === 'placed' ? message.clientOrderId : undefined;
  useEffect(() => {
    if (orders === null || placedId === undefined) return;
    return orders.store.subscribe((state) => {
      const o = state.rows.find((r) => r.clientOrderId === placedId);
      if (o?.state !== 'REJECTED') return;
      setMessage({
        kind: 'refused',
        code: 'REJECTED',
        clientOrderId: placedId,
        text: `Rejected ${o.side} ${o.quantity} ${o.tradingsymbol}${o.reason === '' ? '' : `: ${o.reason}`}`,
      });
    });
  }, [orders, placedId]);

  /** A click (or B/S key) on one side at `price`: the order, confirmed first when the setting says so. */
  const orderAt = useCallback(
    (side: LadderSide, price: number, stop: boolean, refuse?: (why: string) => void) => {
      const controller = controllerRef.current;
      const intent = clickIntent(
        { instrument, quantity, product, lastPrice: controller?.market.lastPrice ?? 0 },
        side,
        price,
        stop,
      );
      if (!intent.ok) {
        refuse?.(intent.message);
        setMessage(refusedMessage(stop ? 'Stop refused' : 'Not sent', localRefusal(intent.message)));
        return;
      }
      const targetTicks = readTicks(targetText);
      const stopTicks = readTicks(stopText);
      if (bracketOn && (targetTicks === undefined || stopTicks === undefined)) {
        const why = 'Bracket: target and stop are whole numbers of ticks above 0.';
        refuse?.(why);
        setMessage(refusedMessage('Not sent', localRefusal(why)));
        return;
      }
      const text = describeOrder(intent.order, instrument?.tradingsymbol ?? '', priceText(price));
      const p: PendingOrder =
        bracketOn && targetTicks !== undefined && stopTicks !== undefined
          ? {
              order: intent.order,
              text: `bracket ${text} (target ${targetTicks}, stop ${stopTicks} ticks)`,
              bracket: { targetTicks, stopTicks },
            }
          : { order: intent.order, text };
      if (confirmOrders) {
        setPending(p);
        setMessage(undefined);
        rootRef.current?.focus({ preventScroll: true });
      } else {
        send(p);
      }
    },
    [instrument, quantity, product, priceText, confirmOrders, send, bracketOn, targetText, stopText],
  );

  const cancelOrders = useCallback(
    (at: readonly OrdersAt[], refuse?: (why: string) => void) => {
      const ids = at.flatMap((a) => a.orders.filter((o) => o.cancellable).map((o) => o.clientOrderId));
      if (orders === null || ids.length === 0) {
        const why = 'No order of yours to cancel at this row.';
        refuse?.(why);
        setMessage({ kind: 'info', code: '', text: why });
        return;
      }
      setMessage({ kind: 'info', code: '', text: `Cancelling ${ids.join(', ')}…` });
      // A bracket's or an iceberg's order is cancelled as its algorithm (all its orders, then it ends).
      const rowsNow = orders.store.getState().rows;
      const parents = new Set<string>();
      const own: string[] = [];
      for (const id of ids) {
        const parent = rowsNow.find((r) => r.clientOrderId === id)?.parentId ?? null;
        if (parent !== null && algos !== null) parents.add(parent);
        else own.push(id);
      }
      for (const algoId of parents) {
        void algos?.actions.cancel(algoId).then((outcome) => {
          if (outcome.ok)
            setMessage({ kind: 'info', code: '', text: `Cancelling ${outcome.algo.kind} ${algoId}` });
          else setMessage(refusedMessage(`Cancel ${algoId}`, outcome.refusal));
        });
      }
      for (const id of own) {
        void orders.actions.cancel(id).then((outcome) => {
          if (outcome.ok) setMessage({ kind: 'info', code: '', text: `Cancelled ${id}` });
          else setMessage(refusedMessage(`Cancel ${id}`, outcome.refusal));
        });
      }
    },
    [orders, algos],
  );

  const moveOrders = useCallback(
    (at: OrdersAt, to: number) => {
      if (orders === null) return;
      const lastPrice = controllerRef.current?.market.lastPrice ?? 0;
      const rowsNow = orders.store.getState().rows;
      for (const o of at.orders) {
        const view = rowsNow.find((r) => r.clientOrderId === o.clientOrderId);
        if (view === undefined || !o.modifiable) {
          setMessage({ kind: 'info', code: '', text: `${o.clientOrderId} cannot be moved now.` });
          continue;
        }
        const parent =
          view.parentId === null || algos === null
            ? undefined
            : selectAlgo(algos.store.getState(), view.parentId);
        if (parent !== undefined && algos !== null) {
          // A bracket's order moves as the bracket: its target, its stop, or its entry's limit.
          if (restingPriceOf(view) === to) continue;
          const change =
            view.side === parent.side
              ? { price: to }
              : view.orderType === 'LIMIT'
                ? { targetPrice: to }
                : { stopPrice: to };
          setMessage({
            kind: 'info',
            code: '',
            text: `Moving ${parent.kind} ${parent.algoId} to ${priceText(to)}…`,
          });
          void algos.actions.modify({ algoId: parent.algoId, ...change }).then((outcome) => {
            if (outcome.ok)
              setMessage({
                kind: 'info',
                code: '',
                text: `Moved ${parent.kind} ${parent.algoId} to ${priceText(to)}`,
              });
            else setMessage(refusedMessage(`Move ${parent.algoId}`, outcome.refusal));
          });
          continue;
        }
        const intent = dragIntent(view, to, lastPrice);
        if (intent === undefined) continue;
        if (!intent.ok) {
          setMessage(refusedMessage(`Move ${o.clientOrderId}`, localRefusal(intent.message)));
          continue;
        }
        setMessage({ kind: 'info', code: '', text: `Moving ${o.clientOrderId} to ${priceText(to)}…` });
        void orders.actions.modify(intent.clientOrderId, intent.change).then((outcome) => {
          if (outcome.ok)
            setMessage({ kind: 'info', code: '', text: `Moved ${o.clientOrderId} to ${priceText(to)}` });
          else setMessage(refusedMessage(`Move ${o.clientOrderId}`, outcome.refusal));
        });
      }
    },
    [orders, algos, priceText],
  );

  const target = useMemo<LadderCommandTarget>(
    () => ({
      moveSelection: (ticks) => controllerRef.current?.moveSelection(ticks),
      page: (direction) => controllerRef.current?.page(direction),
      recentre: () => controllerRef.current?.recentre(),
      orderAtSelection: (side, stop, refuse) => {
        const c = controllerRef.current;
        if (c === undefined) {
          refuse('No instrument: pick one in the watchlist first.');
          setMessage(
            refusedMessage('Not sent', localRefusal('No instrument: pick one in the watchlist first.')),
          );
          return;
        }
        orderAt(side, c.selected, stop, refuse);
      },
      cancelAtSelection: (refuse) => {
        const c = controllerRef.current;
        cancelOrders(c === undefined ? [] : c.ordersAtPrice(c.selected), refuse);
      },
    }),
    [orderAt, cancelOrders],
  );

  // The ladder's keys go through the window's hotkey registry (listed in the help overlay, rebindable),
  // scoped to the focused ladder.
  const targetRef = useRef(target);
  useEffect(() => {
    targetRef.current = target;
  }, [target]);
  useEffect(() => {
    const root = rootRef.current;
    if (root === null) return;
    focusedTargets.set(root, targetRef);
    return () => {
      focusedTargets.delete(root);
    };
  }, []);
  useCommands(REGISTRY_COMMANDS);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target instanceof HTMLInputElement) return; // the lots field types its own digits
    if (pending !== undefined && (e.key === 'Enter' || e.key === 'Escape')) {
      e.preventDefault();
      e.stopPropagation();
      if (e.key === 'Enter') send(pending);
      else {
        setPending(undefined);
        setMessage({ kind: 'info', code: '', text: 'Not sent.' });
      }
      return;
    }
    if (e.key === 'Escape' && dragRef.current !== undefined) {
      e.preventDefault();
      dragRef.current = undefined;
      controllerRef.current?.setDropTarget(undefined);
      return;
    }
    // Without a hotkey host (a ladder rendered alone) the ladder reads its own keys.
    if (hotkeys !== null) return;
    const command = ladderCommandForKey(e);
    if (command === undefined || (e.repeat && !command.repeats)) return;
    e.preventDefault();
    command.run(target, () => undefined);
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const c = controllerRef.current;
    const row = rowIndexOf(e.target);
    if (c === undefined || row < 0) return;
    const price = c.priceAtRow(row);
    c.select(price);
    // The ladder takes focus from any press on its rows (its keys then act on the row pressed).
    rootRef.current?.focus({ preventScroll: true });
    const field =
      e.target instanceof Element ? e.target.closest<HTMLElement>('[data-field]')?.dataset['field'] : '';
    const side: Side | undefined =
      field === 'buy-orders' ? 'BUY' : field === 'sell-orders' ? 'SELL' : undefined;
    const at = side === undefined ? undefined : c.ordersAt(side, price);
    if (at === undefined) return;
    // On a working order: a click cancels it, a drag moves it.
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    dragRef.current = { pointerId: e.pointerId, from: price, at, startY: e.clientY, to: price, moved: false };
  };

  const rowAtY = (clientY: number): number => {
    const body = bodyRef.current;
    if (body === null) return -1;
    const first = body.querySelector<HTMLElement>('[data-row="0"]');
    const top = (first ?? body).getBoundingClientRect().top;
    const row = Math.floor((clientY - top) / LADDER_ROW_PX);
    return row >= 0 && row < rows ? row : -1;
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const drag = dragRef.current;
    const c = controllerRef.current;
    if (drag === undefined || c === undefined || drag.pointerId !== e.pointerId) return;
    if (!drag.moved && Math.abs(e.clientY - drag.startY) < LADDER_ROW_PX / 2) return;
    drag.moved = true;
    const row = rowAtY(e.clientY);
    if (row < 0) return;
    drag.to = c.priceAtRow(row);
    c.setDropTarget(drag.to === drag.from ? undefined : drag.to);
  };

  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const drag = dragRef.current;
    if (drag === undefined || drag.pointerId !== e.pointerId) return;
    dragRef.current = undefined;
    controllerRef.current?.setDropTarget(undefined);
    if (!drag.moved || drag.to === drag.from) {
      cancelOrders([drag.at]);
      return;
    }
    moveOrders(drag.at, drag.to);
  };

  const onPointerCancel = () => {
    dragRef.current = undefined;
    controllerRef.current?.setDropTarget(undefined);
  };

  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const c = controllerRef.current;
    const row = rowIndexOf(e.target);
    const side = sideOf(e.target);
    if (c === undefined || row < 0 || side === undefined) return;
    const field =
      e.target instanceof Element ? e.target.closest<HTMLElement>('[data-field]')?.dataset['field'] : '';
    const price = c.priceAtRow(row);
    // A working order's cell was handled by the pointer (cancel or move).
    if (field === 'buy-orders' && c.ordersAt('BUY', price) !== undefined) return;
    if (field === 'sell-orders' && c.ordersAt('SELL', price) !== undefined) return;
    orderAt(side, price, e.shiftKey);
  };

  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    const c = controllerRef.current;
    if (c === undefined || e.deltaY === 0) return;
    c.scroll(e.deltaY < 0 ? 3 : -3);
    // Scrolling away from the market turns the auto-recentre off (C or Space brings the price back).
    if (autoCentre) setAutoCentre(false);
  };

  const blocker = orderBlocker({ instrument, quantity, product, lastPrice: 0 });
  const lotLabel = derivative ? 'lots' : 'qty';

  return (
    <section
      className="panel ladder"
      data-testid="ladder"
      data-token={token ?? ''}
      data-hotkey-scope="ladder"
      {...(token === undefined ? {} : { 'data-hotkey-instrument': String(token) })}
      aria-label={`Price ladder${instrument === undefined ? '' : ` of ${instrument.tradingsymbol}`}`}
      tabIndex={0}
      ref={rootRef}
      onKeyDown={onKeyDown}
    >
      <header className="panel__head ladder-head">
        <h2 className="panel__title">Ladder</h2>
        <span className="ladder-symbol" data-testid="ladder-symbol">
          {instrument === undefined ? '' : instrument.tradingsymbol}
        </span>
        <span className="num ladder-ltp" data-testid="ladder-ltp" ref={ltpRef} />
        <span className="ladder-spacer" />
        <div className="ladder-products" role="radiogroup" aria-label="Product">
          {products.map((p) => (
            <button
              key={p}
              type="button"
              role="radio"
              className="ladder-chip"
              aria-checked={p === product}
              data-testid={`ladder-product-${p}`}
              onClick={() => {
                setProduct(p);
              }}
            >
              {p}
            </button>
          ))}
        </div>
        <label
          className="ladder-auto"
          title="Recentre when the price nears the edge (C or Space recentres now)"
        >
          <input
            type="checkbox"
            data-testid="ladder-auto-centre"
            checked={autoCentre}
            onChange={(e) => {
              setAutoCentre(e.target.checked);
            }}
          />
          Auto
        </label>
        <button
          type="button"
          className="ladder-chip"
          data-testid="ladder-recentre"
          title="Centre on the last price (C, Space)"
          onClick={() => {
            controllerRef.current?.recentre();
          }}
        >
          Centre
        </button>
      </header>
      <div className="ladder-qty" role="group" aria-label="Quantity">
        {QUANTITY_PRESETS.map((n) => (
          <button
            key={n}
            type="button"
            className="ladder-chip num"
            aria-pressed={n === lots}
            data-testid={`ladder-qty-${n}`}
            onClick={() => {
              setLots(n);
            }}
          >
            {n}
          </button>
        ))}
        <input
          className="num ladder-lots"
          data-testid="ladder-lots"
          aria-label={derivative ? 'Lots' : 'Quantity'}
          inputMode="numeric"
          value={String(lots)}
          onChange={(e) => {
            const n = Number(e.target.value.replace(/\D/g, ''));
            setLots(Number.isSafeInteger(n) ? n : 0);
          }}
        />
        <span className="ladder-qty-label">{lotLabel}</span>
        <span className="num ladder-units" data-testid="ladder-quantity" data-quantity={quantity}>
          {derivative && quantity > 0 ? `= ${formatQuantity(quantity)} (lot ${lotSize})` : ''}
        </span>
        <button
          type="button"
          className="ladder-chip ladder-bracket"
          data-testid="ladder-bracket"
          aria-pressed={bracketOn}
          title="Bracket: a click's order goes in as an entry with a target and a stop (ticks from its fill) that cancel each other"
          onClick={() => {
            setBracketOn(!bracketOn);
          }}
        >
          Bracket
        </button>
        <input
          className="num ladder-ticks"
          data-testid="ladder-bracket-target"
          aria-label="Bracket target, ticks"
          title="Bracket target: ticks from the entry"
          inputMode="numeric"
          disabled={!bracketOn}
          value={targetText}
          onChange={(e) => {
            setTargetText(e.target.value);
          }}
        />
        <input
          className="num ladder-ticks"
          data-testid="ladder-bracket-stop"
          aria-label="Bracket stop, ticks"
          title="Bracket stop: ticks from the entry"
          inputMode="numeric"
          disabled={!bracketOn}
          value={stopText}
          onChange={(e) => {
            setStopText(e.target.value);
          }}
        />
        <button
          type="button"
          className="ladder-chip ladder-confirm-mode"
          data-testid="ladder-confirm-toggle"
          aria-pressed={confirmOrders}
          disabled={hotkeys === null || confirmGiven !== undefined}
          title="Ask before sending each order (settings.confirmOrders, for every window)"
          onClick={() => {
            hotkeys?.setConfirmOrders(!confirmOrders);
          }}
        >
          {confirmOrders ? 'Confirm on' : 'Confirm off'}
        </button>
      </div>
      <div className="ladder-columns" aria-hidden="true">
        <span>Buy</span>
        <span>Bid</span>
        <span>Price</span>
        <span>Ask</span>
        <span>Sell</span>
        <span ref={volumeHeadingRef} data-testid="ladder-volume-heading">
          Volume
        </span>
      </div>
      <div
        className="ladder-body"
        ref={bodyRef}
        role="grid"
        aria-label="Prices"
        data-testid="ladder-body"
        data-blocked={blocker === undefined ? 'false' : 'true'}
        title={
          blocker ??
          'Click Bid: buy limit · Ask: sell limit · Shift+click: stop · click your order: cancel · drag it: move'
        }
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        onClick={onClick}
        onWheel={onWheel}
      >
        {instrument === undefined ? (
          <p className="ladder-empty">Select an instrument</p>
        ) : (
          ROW_INDEXES(rows).map((i) => (
            <div className="ladder-row" role="row" data-testid="ladder-row" data-row={i} key={i}>
              <span
                className="num ladder-cell ladder-orders"
                role="gridcell"
                data-field="buy-orders"
                data-side="bid"
              />
              <span
                className="num ladder-cell ladder-size"
                role="gridcell"
                data-field="bid"
                data-side="bid"
              />
              <span className="num ladder-cell ladder-price" role="gridcell" data-field="price" />
              <span
                className="num ladder-cell ladder-size"
                role="gridcell"
                data-field="ask"
                data-side="ask"
              />
              <span
                className="num ladder-cell ladder-orders"
                role="gridcell"
                data-field="sell-orders"
                data-side="ask"
              />
              <span className="num ladder-cell ladder-volume" role="gridcell">
                <span className="ladder-vbar" data-field="volume-bar" aria-hidden="true" />
                <span className="ladder-vtext" data-field="volume" />
              </span>
            </div>
          ))
        )}
      </div>
      <footer className="ladder-foot">
        {pending === undefined ? (
          <span
            className="ladder-message"
            data-testid="ladder-message"
            data-kind={message?.kind ?? ''}
            data-code={message?.code ?? ''}
            data-client-order-id={message?.clientOrderId ?? ''}
            role={message?.kind === 'refused' ? 'alert' : 'status'}
            title={message?.text ?? ''}
          >
            {message?.text ?? blocker ?? ''}
          </span>
        ) : (
          <div
            className="ladder-confirm"
            data-testid="ladder-confirm"
            data-side={pending.order.side}
            role="alertdialog"
          >
            <span className="ladder-confirm__text">{pending.text}</span>
            <button
              type="button"
              className="ladder-chip ladder-confirm__send"
              data-testid="ladder-confirm-send"
              onClick={() => {
                send(pending);
              }}
            >
              Send ⏎
            </button>
            <button
              type="button"
              className="ladder-chip"
              data-testid="ladder-confirm-cancel"
              onClick={() => {
                setPending(undefined);
                rootRef.current?.focus({ preventScroll: true });
              }}
            >
              Esc
            </button>
          </div>
        )}
      </footer>
    </section>
  );
}
