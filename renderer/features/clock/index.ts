// The clock feature's public surface.
export { startClock } from './clock';
export type { Clock, ClockState } from './clock';
export { ClockContext } from './clockContext';
export { IstClock } from './IstClock';
