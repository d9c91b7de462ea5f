// The local exchange's public surface for the Kite REST/WebSocket server and the synthetic market.
export { Exchange, ORDER_TRANSITIONS, autoProtectionBasisPoints } from './exchange';
export type { ExchangeOptions } from './exchange';
export {
  SessionClock,
  isMarketOpen,
  MARKET_CLOSE_MINUTE,
  MARKET_OPEN_MINUTE,
  SQUARE_OFF_MINUTE,
} from './session';
export type { SessionTarget } from './session';
export { MESSAGES } from './messages';
export type * from './types';
export { buildInstruments, instrumentsCsv, instrumentToken, SEGMENT_ID } from '../instruments/instruments';
export type { Instrument, InstrumentFiles } from '../instruments/instruments';
export { loadInstruments } from '../instruments/loadInstruments';
export { BUY, NO_ORDER, OrderBook, SELL } from '../matching/orderBook';
export type { BookBand, BookSide, FillSink } from '../matching/orderBook';
