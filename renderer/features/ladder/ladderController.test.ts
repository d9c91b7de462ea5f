import { describe, expect, it } from 'vitest';
import { fakeMarketData, instrument, quote, settle } from '../market/fakeMarket';
import { orderViewOf } from '../orders/fakeTrading';
import { createOrdersStore } from '../orders';
import { createLadderController } from './ladderController';
import type { RowCells } from './ladderView';

// The controller against the fake market: what lands in the cells, once a frame. Cells are plain
// objects with the few members the painter writes (no DOM in this environment).

interface FakeCell {
  textContent: string;
  dataset: Record<string, string>;
  style: { transform: string };
  attributes: Record<string, string>;
  setAttribute(name: string, value: string): void;
}

function cell(): FakeCell {
  const c: FakeCell = {
    textContent: '',
    dataset: {},
    style: { transform: '' },
    attributes: {},
    setAttribute(name, value) {
      c.attributes[name] = value;
    },
  };
  return c;
}

function rows(n: number): { cells: RowCells[]; fake: Record<keyof RowCells, FakeCell>[] } {
  const fake = Array.from({ length: n }, () => ({
    row: cell(),
    price: cell(),
    bid: cell(),
    ask: cell(),
    buyOrders: cell(),
    sellOrders: cell(),
    volume: cell(),
    volumeBar: cell(),
  }));
  return { cells: fake as unknown as RowCells[], fake };
}

const infy = instrument(408065, 'INFY', { lastPrice: 150_000 });

describe('the ladder controller', () => {
  it('starts on the previous close, centres on the first live price, paints the book once a frame', async () => {
    const { data, market, frames } = fakeMarketData();
    market.answers.quotes = () => Promise.resolve({ quotes: [] });
    const { cells, fake } = rows(11);
    const ltp = cell();
    const c = createLadderController({
      data,
      instrument: infy,
      cells,
      lastPriceCell: ltp as unknown as HTMLElement,
      autoCentre: true,
    });
    await settle();
    expect(fake[5]?.price.textContent).toBe('1500.00');
    expect(fake[0]?.price.textContent).toBe('1500.25');
    market.emitQuote(quote(408065, 153_000, { volume: 100, receivedAt: 2 }));
    market.emitDepth({
      instrumentToken: 408065,
      bids: [{ price: 152_995, quantity: 40, orders: 2 }],
      asks: [{ price: 153_005, quantity: 70, orders: 3 }],
      exchangeTime: 0,
      receivedAt: 3,
    });
    frames.runFrame();
    expect(frames.scheduled).toBe(0);
    expect(fake[5]?.price.textContent).toBe('1530.00');
    expect(fake[5]?.row.dataset['last']).toBe('flat');
    expect(fake[6]?.bid.textContent).toBe('40');
    expect(fake[4]?.ask.textContent).toBe('70');
    expect(ltp.textContent).toBe('1530.00');

    // Auto-recentre: a price two rows from the edge moves the window.
    market.emitQuote(quote(408065, 153_020, { volume: 110, receivedAt: 4 }));
    frames.runFrame();
    // 1530.20 would be row 1, inside the two-row margin: the window is centred on it again.
    expect(c.window.top).toBe(153_020 + 5 * 5);
    expect(fake[5]?.row.dataset['last']).toBe('up');
    expect(fake[5]?.volume.textContent).toBe('10');

    // Off: the window stays put while the price runs away.
    c.setAutoCentre(false);
    market.emitQuote(quote(408065, 154_000, { volume: 120, receivedAt: 5 }));
    frames.runFrame();
    expect(c.window.top).toBe(153_045);
    expect(fake.some((f) => f.row.dataset['last'] !== '')).toBe(false);
    c.recentre();
    frames.runFrame();
    expect(fake[5]?.price.textContent).toBe('1540.00');
    expect(c.selected).toBe(154_000);
    c.dispose();
  });

  it('shows working orders by side and follows the orders store; the selection scrolls the window', () => {
    const { data, frames } = fakeMarketData();
    const store = createOrdersStore([
      orderViewOf('A', { price: 149_990, quantity: 10, filledQuantity: 4, state: 'OPEN' }),
      orderViewOf('B', { side: 'SELL', price: 150_010, quantity: 3, state: 'OPEN' }),
    ]);
    const { cells, fake } = rows(11);
    const c = createLadderController({
      data,
      instrument: infy,
      cells,
      autoCentre: true,
      orders: { getRows: () => store.getState().rows, subscribe: (l) => store.subscribe(l) },
    });
    // Row 5 is 1500.00: A two rows under it, B two rows over it.
    expect(fake[7]?.buyOrders.textContent).toBe('6');
    expect(fake[7]?.buyOrders.dataset['has']).toBe('true');
    expect(fake[3]?.sellOrders.textContent).toBe('3');
    expect(c.ordersAt('BUY', 149_990)?.orders.map((o) => o.clientOrderId)).toEqual(['A']);
    store
      .getState()
      .received(orderViewOf('A', { price: 149_990, state: 'CANCELLED', updatedAt: Number.MAX_SAFE_INTEGER }));
    frames.runFrame();
    expect(fake[7]?.buyOrders.textContent).toBe('');
    expect(c.ordersAt('BUY', 149_990)).toBeUndefined();

    expect(fake[5]?.row.dataset['selected']).toBe('true');
    c.moveSelection(-7); // past the bottom row: the window follows
    frames.runFrame();
    expect(c.selected).toBe(149_965);
    expect(fake[10]?.row.dataset['selected']).toBe('true');
    expect(fake[10]?.row.attributes['aria-selected']).toBe('true');
    c.setDropTarget(149_975);
    frames.runFrame();
    expect(fake[8]?.row.dataset['drop']).toBe('true');
    c.dispose();
  });

  it("titles the Volume heading with when the engine's count began", async () => {
    const { data, market, frames } = fakeMarketData();
    market.answers.quotes = () => Promise.resolve({ quotes: [] });
    market.answers.volumeProfile = () =>
      Promise.resolve({
        instrumentToken: 408065,
        // 2026-12-03 09:15:07 IST
        since: Date.UTC(2026, 11, 3, 3, 45, 7),
        dayVolume: 500,
        updatedAt: 10,
        levels: [[150_000, 500]],
      });
    const heading = { title: '' };
    const c = createLadderController({
      data,
      instrument: infy,
      cells: rows(11).cells,
      volumeHeading: heading as unknown as HTMLElement,
      autoCentre: true,
    });
    expect(heading.title).toBe('Volume traded at each price: none counted yet');
    await settle();
    frames.runFrame();
    expect(heading.title).toBe(
      'Volume traded at each price since 09:15:07 IST (counted from every tick since the engine subscribed)',
    );
    c.dispose();
  });
});
