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
export { TICK_PUMP_ACCOUNT, TickPump, tickPumpInstruments } from './tickPump';
export type { TickPumpOptions, TickPumpStats } from './tickPump';
export { Random, mixSeed } from './random';
export { isTradingDay, nextSessionInstant, inSession, ALWAYS_OPEN, MARKET_HOURS } from './session';
export type { SessionWindow } from './session';
