import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { InstrumentInfo } from '../../../shared/services/market';
import type { OrderView, Side } from '../../../shared/services/orders';
import { createFrameCoalescer, formatPriceUnits, priceStyleOf, setCellText } from '../market';
import type { MarketData } from '../market';
import { startLadderFeed } from './ladderFeed';
import type { LadderMarket } from './ladderFeed';
import {
  centreRow,
  centredWindow,
  ladderOrders,
  needsRecentre,
  orderKey,
  ordersByPrice,
  priceAtRow,
  resized,
  rowOfPrice,
  scrolled,
} from './ladderModel';
import type { LadderWindow, OrdersAt } from './ladderModel';
import { formatIstTime } from '../../../shared/time/ist';
import { paintRow, rowView } from './ladderView';
import type { RowCells } from './ladderView';

/** Where the trader's orders come from: the window's orders store (its rows and a way to hear changes). */
export interface LadderOrdersSource {
  getRows(): readonly OrderView[];
  subscribe(listener: () => void): () => void;
}

export interface LadderControllerOptions {
  readonly data: MarketData;
  readonly instrument: InstrumentInfo;
  readonly cells: readonly RowCells[];
  /** The header's last-price cell. */
  readonly lastPriceCell?: HTMLElement | null;
  /** The Volume column's heading: its title says since when the volume at price is counted. */
  readonly volumeHeading?: HTMLElement | null;
  readonly orders?: LadderOrdersSource;
  readonly autoCentre: boolean;
  /** The window to start from (kept across a change of row count); centred on the last price otherwise. */
  readonly window?: LadderWindow;
  readonly selected?: number;
}

/**
 * One ladder's live state outside React: the window of prices, the selected row, the drop target of
 * a drag, the book and the trader's working orders, painted into the rows at most once per frame.
 */
export interface LadderController extends Disposable {
  readonly market: LadderMarket;
  readonly window: LadderWindow;
  /** The selected row's price (the keyboard's cursor). */
  readonly selected: number;
  recentre(): void;
  moveSelection(ticks: number): void;
  select(price: number): void;
  page(direction: 1 | -1): void;
  scroll(rows: number): void;
  setAutoCentre(on: boolean): void;
  /** Marks the row of `price` as where a dragged order would go (undefined: no drag). */
  setDropTarget(price: number | undefined): void;
  /** The price of row `row` now. */
  priceAtRow(row: number): number;
  /** The trader's working orders of one side at one price. */
  ordersAt(side: Side, price: number): OrdersAt | undefined;
  /** The working orders at a price, both sides. */
  ordersAtPrice(price: number): readonly OrdersAt[];
}

export function createLadderController(options: LadderControllerOptions): LadderController {
  const { data, instrument, cells } = options;
  const owned = new DisposableStore();
  const style = priceStyleOf(instrument);
  const tick = instrument.tickSize > 0 ? instrument.tickSize : 1;
  const rows = cells.length;
  let autoCentre = options.autoCentre;
  let w: LadderWindow =
    options.window !== undefined && options.window.tick === tick
      ? resized(options.window, rows)
      : centredWindow(instrument.lastPrice, tick, rows);
  let selected = options.selected ?? priceAtRow(w, centreRow(rows));
  let dropTarget: number | undefined;
  let byPrice = new Map<string, OrdersAt>();
  let centredOnLive = false;
  let countedSince = -1;

  const paintNow = (): void => {
    const m = feed.market;
    if (m.lastPrice > 0 && (!centredOnLive || (autoCentre && needsRecentre(w, m.lastPrice)))) {
      // The first live price centres the ladder (until then it sat on the previous close).
      if (!centredOnLive || autoCentre) w = centredWindow(m.lastPrice, tick, rows);
      centredOnLive = true;
    }
    for (let r = 0; r < rows; r++) {
      const c = cells[r];
      if (c === undefined) continue;
      const price = priceAtRow(w, r);
      paintRow(c, rowView(w, r, m, byPrice, style), price === selected, price === dropTarget);
    }
    const ltp = options.lastPriceCell;
    if (ltp) {
      const text = formatPriceUnits(m.lastPrice, style);
      setCellText(ltp, text);
      if (ltp.dataset['dir'] !== m.lastDirection) ltp.dataset['dir'] = m.lastDirection;
    }
    const heading = options.volumeHeading;
    const since = m.volume.since;
    if (heading && since !== countedSince) {
      countedSince = since;
      heading.title =
        since > 0
          ? `Volume traded at each price since ${formatIstTime(since)} IST (counted from every tick since the engine subscribed)`
          : 'Volume traded at each price: none counted yet';
    }
  };
  const frames = owned.add(
    createFrameCoalescer<'paint', true>(data.frames, () => {
      paintNow();
    }),
  );
  const invalidate = (): void => {
    frames.push('paint', true);
  };
  const feed = owned.add(startLadderFeed(data, instrument, invalidate));

  const source = options.orders;
  if (source !== undefined) {
    const readOrders = (): void => {
      byPrice = ordersByPrice(ladderOrders(source.getRows(), instrument.instrumentToken));
      invalidate();
    };
    readOrders();
    const unsubscribe = source.subscribe(readOrders);
    owned.add(toDisposable(unsubscribe));
  }
  // The first paint, with no market yet: the prices around the previous close, empty sizes.
  paintNow();

  const keepSelectionVisible = (): void => {
    if (rowOfPrice(w, selected) >= 0) return;
    const offset = selected > w.top ? (selected - w.top) / tick : -((w.top - selected) / tick - (rows - 1));
    w = scrolled(w, Math.round(offset));
  };

  return {
    get market() {
      return feed.market;
    },
    get window() {
      return w;
    },
    get selected() {
      return selected;
    },
    recentre() {
      const last = feed.market.lastPrice > 0 ? feed.market.lastPrice : instrument.lastPrice;
      w = centredWindow(last, tick, rows);
      selected = priceAtRow(w, centreRow(rows));
      invalidate();
    },
    moveSelection(ticks) {
      selected = Math.max(tick, selected + ticks * tick);
      keepSelectionVisible();
      invalidate();
    },
    select(price) {
      selected = price;
      invalidate();
    },
    page(direction) {
      const by = Math.max(1, Math.floor(rows / 2)) * direction;
      w = scrolled(w, by);
      selected = Math.max(tick, selected + by * tick);
      invalidate();
    },
    scroll(by) {
      w = scrolled(w, by);
      invalidate();
    },
    setAutoCentre(on) {
      autoCentre = on;
      invalidate();
    },
    setDropTarget(price) {
      if (dropTarget === price) return;
      dropTarget = price;
      invalidate();
    },
    priceAtRow: (row) => priceAtRow(w, row),
    ordersAt: (side, price) => byPrice.get(orderKey(side, price)),
    ordersAtPrice(price) {
      const out: OrdersAt[] = [];
      const buy = byPrice.get(orderKey('BUY', price));
      const sell = byPrice.get(orderKey('SELL', price));
      if (buy !== undefined) out.push(buy);
      if (sell !== undefined) out.push(sell);
      return out;
    },
    dispose: () => {
      owned.dispose();
    },
  };
}
