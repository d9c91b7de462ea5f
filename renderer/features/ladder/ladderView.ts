import { formatCompactQuantity, formatPriceUnits, setCellText } from '../market';
import type { PriceStyle } from '../market';
import type { LadderMarket } from './ladderFeed';
import { orderKey, priceAtRow } from './ladderModel';
import type { LadderWindow, OrdersAt } from './ladderModel';

/** Where a row's price sits against the book: at or under the best bid, at or over the best ask, or between. */
export type RowZone = 'bid' | 'ask' | 'spread' | 'none';

/** What one ladder row shows, as text and flags (the painter writes it into the row's cells). */
export interface LadderRowView {
  readonly price: number;
  readonly priceText: string;
  readonly bid: string;
  readonly ask: string;
  readonly buyOrders: string;
  readonly sellOrders: string;
  readonly volume: string;
  /** The volume bar's share of the widest one, 0..1. */
  readonly volumeShare: number;
  /** The last traded price is on this row, and which way it came. */
  readonly last: 'up' | 'down' | 'flat' | '';
  readonly zone: RowZone;
  readonly best: 'bid' | 'ask' | '';
}

function zoneOf(price: number, market: LadderMarket): RowZone {
  if (market.bestBid > 0 && price <= market.bestBid) return 'bid';
  if (market.bestAsk > 0 && price >= market.bestAsk) return 'ask';
  if (market.bestBid > 0 && market.bestAsk > 0) return 'spread';
  return 'none';
}

function sizeText(n: number | undefined): string {
  return n === undefined || n <= 0 ? '' : formatCompactQuantity(n);
}

/** The view of row `row` of window `w`. Allocates one small object per row and frame. */
export function rowView(
  w: LadderWindow,
  row: number,
  market: LadderMarket,
  orders: ReadonlyMap<string, OrdersAt>,
  style: PriceStyle,
): LadderRowView {
  const price = priceAtRow(w, row);
  const volume = market.volume.at(price);
  const max = market.volume.max;
  return {
    price,
    priceText: price > 0 ? formatPriceUnits(price, style) : '',
    bid: sizeText(market.bids.get(price)),
    ask: sizeText(market.asks.get(price)),
    buyOrders: sizeText(orders.get(orderKey('BUY', price))?.quantity),
    sellOrders: sizeText(orders.get(orderKey('SELL', price))?.quantity),
    volume: sizeText(volume),
    volumeShare: max > 0 ? volume / max : 0,
    last: market.lastPrice > 0 && price === market.lastPrice ? market.lastDirection : '',
    zone: zoneOf(price, market),
    best: price === market.bestBid ? 'bid' : price === market.bestAsk ? 'ask' : '',
  };
}

/** The cells of one row, found once when the rows are made. */
export interface RowCells {
  readonly row: HTMLElement;
  readonly price: HTMLElement;
  readonly bid: HTMLElement;
  readonly ask: HTMLElement;
  readonly buyOrders: HTMLElement;
  readonly sellOrders: HTMLElement;
  readonly volume: HTMLElement;
  readonly volumeBar: HTMLElement;
}

function setText(el: HTMLElement, text: string): void {
  setCellText(el, text);
}

function setData(el: HTMLElement, name: string, value: string): void {
  if (el.dataset[name] !== value) el.dataset[name] = value;
}

/** Writes a row's view into its cells: text, data attributes and a transform, never a layout change. */
export function paintRow(cells: RowCells, view: LadderRowView, selected: boolean, dropTarget: boolean): void {
  setText(cells.price, view.priceText);
  setText(cells.bid, view.bid);
  setText(cells.ask, view.ask);
  setText(cells.buyOrders, view.buyOrders);
  setText(cells.sellOrders, view.sellOrders);
  setText(cells.volume, view.volume);
  const bar = `scaleX(${view.volumeShare.toFixed(3)})`;
  if (cells.volumeBar.style.transform !== bar) cells.volumeBar.style.transform = bar;
  setData(cells.row, 'price', String(view.price));
  setData(cells.row, 'priceText', view.priceText);
  setData(cells.row, 'last', view.last);
  setData(cells.row, 'zone', view.zone);
  setData(cells.row, 'best', view.best);
  setData(cells.row, 'selected', selected ? 'true' : 'false');
  setData(cells.row, 'drop', dropTarget ? 'true' : 'false');
  setData(cells.bid, 'has', view.bid === '' ? 'false' : 'true');
  setData(cells.ask, 'has', view.ask === '' ? 'false' : 'true');
  setData(cells.buyOrders, 'has', view.buyOrders === '' ? 'false' : 'true');
  setData(cells.sellOrders, 'has', view.sellOrders === '' ? 'false' : 'true');
  cells.row.setAttribute('aria-selected', selected ? 'true' : 'false');
}
