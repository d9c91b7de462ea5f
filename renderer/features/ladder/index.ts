// The ladder feature's public surface: the price ladder (DOM) panel.
export { Ladder } from './Ladder';
export type { LadderProps } from './Ladder';
