import { describe, expect, it } from 'vitest';
import type { HoldingView } from '../../../shared/services/portfolio';
import { fakeLink, settle } from '../market/fakeMarket';
import { startHoldings } from './holdingsBridge';
import { createHoldingsStore } from './holdingsStore';
import { holdingRowText, holdingTotals } from './holdingView';

const holding = (symbol: string, more: Partial<HoldingView> = {}): HoldingView => ({
  instrumentToken: 1,
  exchange: 'NSE',
  tradingsymbol: symbol,
  priceDivisor: 100,
  quantity: 10,
  averagePrice: 100_000,
  lastPrice: 112_550,
  pnl: 125_500,
  ...more,
});

describe('holdings', () => {
  it('are fetched on each connection and on Refresh, by symbol', async () => {
    let calls = 0;
    const list = [holding('TCS'), holding('INFY')];
    const store = createHoldingsStore();
    const link = fakeLink();
    const handle = startHoldings(
      { holdings: () => (calls++, Promise.resolve({ holdings: list })) },
      link,
      store,
      () => 42,
    );
    await settle();
    expect(store.getState().holdings.map((h) => h.tradingsymbol)).toEqual(['INFY', 'TCS']);
    expect(store.getState()).toMatchObject({ served: 'yes', at: 42, loading: false });
    handle.refresh();
    link.connect();
    await settle();
    expect(calls).toBe(3);
  });

  it('read as the grid shows them', () => {
    expect(holdingRowText(holding('INFY'))).toEqual({
      quantity: '10',
      average: '1000.00',
      lastPrice: '1125.50',
      invested: '10,000.00',
      current: '11,255.00',
      pnl: '+1,255.00',
      pnlDir: 'up',
    });
    expect(holdingTotals([holding('A'), holding('B', { pnl: -25_500, lastPrice: 97_450 })])).toEqual({
      investedPaise: 2_000_000,
      currentPaise: 1_125_500 + 974_500,
      pnlPaise: 100_000,
    });
  });
});
