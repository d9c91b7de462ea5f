// The ladder feature's public surface: the price ladder (DOM) panel, and how a dragged order maps to
// a modify (the chart's order lines use it too).
export { Ladder } from './Ladder';
export type { LadderProps } from './Ladder';
export { dragIntent } from './ladderModel';
export type { ModifyIntent } from './ladderModel';
