import './depth.css';
import { useEffect, useRef } from 'react';
import type { InstrumentInfo } from '../../../shared/services/market';
import { setCellText, useMarketData } from '../market';
import { startDepthFeed, startQuoteDetailsFeed } from './depthFeed';
import { QUOTE_FIELDS } from './quoteDetails';
import type { QuoteField } from './quoteDetails';
import { DEPTH_LEVELS } from './depthView';
import type { DepthView, LevelView } from './depthView';

const LEVEL_INDEXES = Array.from({ length: DEPTH_LEVELS }, (_, i) => i);

interface LevelCells {
  readonly price: HTMLElement;
  readonly quantity: HTMLElement;
  readonly orders: HTMLElement;
  readonly bar: HTMLElement;
}

function levelCells(root: HTMLElement, side: 'bid' | 'ask', i: number): LevelCells | undefined {
  const get = (f: string) => root.querySelector<HTMLElement>(`[data-field="${side}-${f}-${i}"]`) ?? undefined;
  const price = get('price');
  const quantity = get('quantity');
  const orders = get('orders');
  const bar = get('bar');
  if (!price || !quantity || !orders || !bar) return undefined;
  return { price, quantity, orders, bar };
}

function setText(el: HTMLElement, text: string): void {
  setCellText(el, text);
}

function paintLevel(cells: LevelCells | undefined, level: LevelView | undefined): void {
  if (cells === undefined || level === undefined) return;
  setText(cells.price, level.price);
  setText(cells.quantity, level.quantity);
  setText(cells.orders, level.orders);
  // A transform, not a width: the bar never changes the layout of its row.
  cells.bar.style.transform = `scaleX(${level.bar.toFixed(3)})`;
}

/** A painter that writes a DepthView into the panel's cells (found once). */
function painterFor(root: HTMLElement): (view: DepthView) => void {
  const bids = LEVEL_INDEXES.map((i) => levelCells(root, 'bid', i));
  const asks = LEVEL_INDEXES.map((i) => levelCells(root, 'ask', i));
  const totalBid = root.querySelector<HTMLElement>('[data-field="total-bid"]');
  const totalAsk = root.querySelector<HTMLElement>('[data-field="total-ask"]');
  const share = root.querySelector<HTMLElement>('[data-field="bid-share"]');
  return (view) => {
    for (const i of LEVEL_INDEXES) {
      paintLevel(bids[i], view.bids[i]);
      paintLevel(asks[i], view.asks[i]);
    }
    if (totalBid !== null) setText(totalBid, view.totalBid);
    if (totalAsk !== null) setText(totalAsk, view.totalAsk);
    if (share !== null) share.style.transform = `scaleX(${view.bidShare.toFixed(3)})`;
  };
}

function Side({ side }: { side: 'bid' | 'ask' }) {
  return (
    <div className="depth-side" data-side={side}>
      {LEVEL_INDEXES.map((i) => (
        <div className="depth-level" key={i}>
          <span className="depth-bar" data-field={`${side}-bar-${i}`} aria-hidden="true" />
          <span className="num depth-orders" data-field={`${side}-orders-${i}`} />
          <span className="num depth-qty" data-field={`${side}-quantity-${i}`} />
          <span className="num depth-price" data-field={`${side}-price-${i}`} />
        </div>
      ))}
    </div>
  );
}

function detailsPainter(root: HTMLElement): (details: Record<QuoteField, string>) => void {
  const cells = QUOTE_FIELDS.map(
    ([, field]) => [field, root.querySelector<HTMLElement>(`[data-field="quote-${field}"]`)] as const,
  );
  return (details) => {
    for (const [field, cell] of cells) if (cell !== null) setText(cell, details[field]);
  };
}

export interface DepthProps {
  readonly instrument: InstrumentInfo | undefined;
}

/** Market depth: five levels a side with quantity bars and totals, live from `market.onDepth`. */
export function Depth({ instrument }: DepthProps) {
  const data = useMarketData();
  const rootRef = useRef<HTMLDivElement>(null);
  const token = instrument?.instrumentToken;

  useEffect(() => {
    const root = rootRef.current;
    if (root === null || instrument === undefined) return;
    const feed = startDepthFeed(data, instrument, painterFor(root));
    const details = startQuoteDetailsFeed(data, instrument, detailsPainter(root));
    return () => {
      details.dispose();
      feed.dispose();
    };
    // The instrument is identified by its token.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, token]);

  return (
    <section className="panel depth" data-testid="depth" aria-labelledby="depth-title">
      <header className="panel__head">
        <h2 className="panel__title" id="depth-title">
          Depth
        </h2>
        <span className="depth-symbol">{instrument?.tradingsymbol ?? ''}</span>
      </header>
      <div className="depth-body" ref={rootRef} data-token={token ?? ''}>
        <div className="depth-book depth-columns" aria-hidden="true">
          <div className="depth-side" data-side="bid">
            <div className="depth-level">
              <span className="depth-orders">Ord</span>
              <span className="depth-qty">Qty</span>
              <span className="depth-price">Bid</span>
            </div>
          </div>
          <div className="depth-side" data-side="ask">
            <div className="depth-level">
              <span className="depth-orders">Ord</span>
              <span className="depth-qty">Qty</span>
              <span className="depth-price">Offer</span>
            </div>
          </div>
        </div>
        <div className="depth-book">
          <Side side="bid" />
          <Side side="ask" />
        </div>
        <div className="depth-totals">
          <span className="depth-totals__label">Total</span>
          <span className="num depth-totals__bid" data-field="total-bid" />
          <span className="depth-imbalance" aria-hidden="true">
            <span className="depth-imbalance__bid" data-field="bid-share" />
          </span>
          <span className="num depth-totals__ask" data-field="total-ask" />
        </div>
        <dl className="quote-details" data-testid="quote-details">
          {QUOTE_FIELDS.map(([label, field]) => (
            <div className="quote-details__item" key={field}>
              <dt>{label}</dt>
              <dd className="num" data-field={`quote-${field}`} />
            </div>
          ))}
        </dl>
      </div>
    </section>
  );
}
