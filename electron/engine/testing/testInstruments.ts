import type { Price } from '../../../shared/domain/money';
import type { Instrument } from '../market/instruments';

/** NSE:INFY as the algorithm tests over a stand-in broker use it: tick 0.05, lot 1, no freeze quantity. */
export const INFY: Instrument = {
  instrumentToken: 408_065,
  exchangeToken: 408_065 >> 8,
  tradingSymbol: 'INFY',
  name: 'INFOSYS',
  lastPrice: 150_000 as Price,
  expiry: '',
  strike: 0 as Price,
  tickSize: 5,
  lotSize: 1,
  instrumentType: 'EQ',
  segment: 'NSE',
  exchange: 'NSE',
  priceDivisor: 100,
  freezeQuantity: null,
};
