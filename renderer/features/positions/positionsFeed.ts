import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { PnlView, PositionView, portfolioService } from '../../../shared/services/portfolio';
import { createFrameCoalescer, setCellText } from '../market';
import type { EngineLink, FrameScheduler } from '../market';
import { pnlText, positionKey, positionText } from './positionView';
import type { PnlText, PositionText } from './positionView';
import type { PositionsStore } from './positionsStore';

/** The engine's portfolio service, as the renderer calls it. */
export type PortfolioService = ServiceOf<typeof portfolioService>;

/** The cells of one position row that carry live values (the row component hands them over). */
export interface PositionCells {
  readonly row: HTMLElement;
  readonly quantity: HTMLElement;
  readonly average: HTMLElement;
  readonly lastPrice: HTMLElement;
  readonly realized: HTMLElement;
  readonly unrealized: HTMLElement;
  readonly charges: HTMLElement;
  readonly net: HTMLElement;
}

/** The cells of the totals row. */
export interface PnlCells {
  readonly realized: HTMLElement;
  readonly unrealized: HTMLElement;
  readonly charges: HTMLElement;
  readonly net: HTMLElement;
}

/** Live positions and the day's P&L into the grid's cells, once per animation frame, bypassing React. */
export interface PositionsFeed extends Disposable {
  readonly store: PositionsStore;
  register(key: string, cells: PositionCells): Disposable;
  registerTotals(cells: PnlCells): Disposable;
  /** The latest of a position (tests, the exit button's label). */
  latest(key: string): PositionView | undefined;
  latestPnl(): PnlView | undefined;
  /** Each newer day's P&L the feed takes in (the equity curve), without a second subscription. */
  onPnl(listener: (p: PnlView) => void): Disposable;
}

function setText(el: HTMLElement, text: string): void {
  setCellText(el, text);
}

function setData(el: HTMLElement, name: string, value: string): void {
  if (el.dataset[name] !== value) el.dataset[name] = value;
}

function paintPosition(cells: PositionCells, t: PositionText): void {
  setText(cells.quantity, t.quantity);
  setText(cells.average, t.average);
  setText(cells.lastPrice, t.lastPrice);
  setText(cells.realized, t.realized);
  setText(cells.unrealized, t.unrealized);
  setText(cells.charges, t.charges);
  setText(cells.net, t.net);
  setData(cells.row, 'side', t.side);
  setData(cells.realized, 'dir', t.realizedDir);
  setData(cells.unrealized, 'dir', t.unrealizedDir);
  setData(cells.net, 'dir', t.netDir);
}

function paintTotals(cells: PnlCells, t: PnlText): void {
  setText(cells.realized, t.realized);
  setText(cells.unrealized, t.unrealized);
  setText(cells.charges, t.charges);
  setText(cells.net, t.net);
  setData(cells.realized, 'dir', t.realizedDir);
  setData(cells.unrealized, 'dir', t.unrealizedDir);
  setData(cells.net, 'dir', t.netDir);
}

const PNL_KEY = '\u0000pnl';

/**
 * Keeps the positions grid on the engine's portfolio: positions and P&L fetched on every connection,
 * then streamed (250 ms conflation at the engine). A position's row is made by React when it first
 * appears or opens/closes (`store`); its numbers are written here, at most once per frame. An
 * engine without the `portfolio` service answers UNKNOWN_METHOD, which the store records.
 */
export function startPositionsFeed(
  portfolio: PortfolioService,
  link: EngineLink,
  frames: FrameScheduler,
  store: PositionsStore,
): PositionsFeed {
  const owned = new DisposableStore();
  const latest = new Map<string, PositionView>();
  let pnl: PnlView | undefined;
  const rows = new Map<string, PositionCells>();
  const totals = new Set<PnlCells>();
  const pnlListeners = new Set<(p: PnlView) => void>();

  const paint = (key: string): void => {
    if (key === PNL_KEY) {
      const t = pnlText(pnl);
      for (const cells of totals) paintTotals(cells, t);
      return;
    }
    const cells = rows.get(key);
    const p = latest.get(key);
    if (cells !== undefined && p !== undefined) paintPosition(cells, positionText(p));
  };
  const coalescer = owned.add(
    createFrameCoalescer<string, true>(frames, (batch) => {
      for (const key of batch.keys()) paint(key);
    }),
  );

  const receive = (p: PositionView): void => {
    const key = positionKey(p);
    latest.set(key, p);
    store.getState().rowSeen({
      key,
      instrumentToken: p.instrumentToken,
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      product: p.product,
      open: p.quantity !== 0,
    });
    coalescer.push(key, true);
  };
  const receivePnl = (p: PnlView): void => {
    if (pnl !== undefined && p.at < pnl.at) return;
    pnl = p;
    coalescer.push(PNL_KEY, true);
    for (const l of pnlListeners) l(p);
  };
  const failed = (e: unknown): void => {
    if (e instanceof RpcError && e.code === 'UNKNOWN_METHOD') store.getState().servedChanged('no');
  };
  const fetch = (): void => {
    if (!link.isConnected()) return;
    portfolio.positions().then(({ positions }) => {
      for (const p of positions) receive(p);
      store.getState().servedChanged('yes');
    }, failed);
    portfolio.pnl().then(receivePnl, () => undefined);
  };
  owned.add(portfolio.onPositions(receive));
  owned.add(portfolio.onPnl(receivePnl));
  owned.add(link.onConnected(fetch));
  fetch();
  owned.add(
    toDisposable(() => {
      rows.clear();
      totals.clear();
      pnlListeners.clear();
    }),
  );

  return {
    store,
    register(key, cells) {
      rows.set(key, cells);
      paint(key);
      return toDisposable(() => {
        if (rows.get(key) === cells) rows.delete(key);
      });
    },
    registerTotals(cells) {
      totals.add(cells);
      paintTotals(cells, pnlText(pnl));
      return toDisposable(() => totals.delete(cells));
    },
    latest: (key) => latest.get(key),
    latestPnl: () => pnl,
    onPnl(listener) {
      pnlListeners.add(listener);
      return toDisposable(() => pnlListeners.delete(listener));
    },
    dispose: () => {
      owned.dispose();
    },
  };
}
