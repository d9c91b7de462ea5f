// The algos feature's public surface: the store of the window's brackets and icebergs and its feed
// from the engine, the algorithm commands (start, modify, cancel), how an algorithm reads, and the
// algos panel.
export { compareAlgos, createAlgosStore, selectAlgo } from './algosStore';
export type { AlgoNotice, AlgosState, AlgosStore } from './algosStore';
export { algoRefusalOf, routeRefusalOf, startAlgos } from './algosBridge';
export type {
  AlgoActions,
  AlgoOutcome,
  AlgosHandle,
  AlgosService,
  RefusedLeg,
  RouteOutcome,
  RoutedOutcome,
} from './algosBridge';
export { AlgosContext, useAlgoActions, useAlgos, useAlgosState } from './algosContext';
export { algoRowText, algoStatusTone, canCancelAlgo, canEditExit, childRole } from './algoView';
export type { AlgoTone, ChildRole } from './algoView';
export { AlgosPanel } from './AlgosPanel';
