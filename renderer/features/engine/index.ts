// The engine feature's public surface: the link to the engine, its store, and what shows it.
export { startEngineConnection } from './engineConnection';
export type { EngineConnection } from './engineConnection';
export { createEngineStore } from './engineStore';
export type { EngineState, EngineStore } from './engineStore';
export { EngineStoreContext, useEngine } from './engineContext';
export { takeToken } from './token';
export { chooseTransport, createConnector } from './transport';
export { EnginePanel } from './EnginePanel';
export { ModeBadge } from './ModeBadge';
export {
  ConnectionProblem,
  ConnectionStatus,
  EngineMemory,
  EngineMode,
  EventLoopLag,
} from './EngineStatusItems';
