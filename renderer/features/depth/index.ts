// The depth feature's public surface: the 5-level market depth panel.
export { Depth } from './Depth';
export type { DepthProps } from './Depth';
