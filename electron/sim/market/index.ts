// The synthetic market's public surface, for the venue and the simulator's entry.
export {
  AGENT_ACCOUNTS,
  AGENT_TAGS,
  MAKER_LEVELS,
  MarketClock,
  MarketSimulator,
  historyCandles,
} from './marketSimulator';
export type { HistoryQuery, MarketExchange, MarketSimulatorOptions } from './marketSimulator';
export type { Candle, CandleInterval } from './candles';
export { FairValueModel } from './fairValue';
export { Random, mixSeed } from './random';
export { isTradingDay, nextSessionInstant, inSession, ALWAYS_OPEN, MARKET_HOURS } from './session';
export type { SessionWindow } from './session';
