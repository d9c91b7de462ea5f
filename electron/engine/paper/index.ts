// The paper broker: its public surface.
export {
  DEFAULT_AUTO_PROTECTION_BASIS_POINTS,
  DEFAULT_STARTING_CASH,
  PAPER_MESSAGES,
  PaperBroker,
} from './paperBroker';
export type { PaperBrokerOptions } from './paperBroker';
export type { PaperMarket } from './paperMarket';
export { ScriptedMarket } from './scriptedMarket';
export type { ScriptLevel, ScriptUpdate } from './scriptedMarket';
