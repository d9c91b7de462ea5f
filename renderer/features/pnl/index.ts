// The P&L feature's public surface: the intraday equity curve (its feed and points) and the panel.
export { appendPoint, curvePointOf, startPnlCurve } from './pnlCurve';
export type { CurvePoint, CurveSink, PnlCurve } from './pnlCurve';
export { PnlCurveContext, usePnlCurve } from './pnlContext';
export { PnlPanel } from './PnlPanel';
