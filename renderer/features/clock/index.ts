// The clock feature's public surface.
export { selectIstDayStart, startClock } from './clock';
export type { Clock, ClockState } from './clock';
export { ClockContext, useClock } from './clockContext';
export { IstClock } from './IstClock';
