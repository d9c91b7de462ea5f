import { createContext, useContext } from 'react';
import type { PnlCurve } from './pnlCurve';

/** The window's intraday equity curve, provided once at the root of the window. */
export const PnlCurveContext = createContext<PnlCurve | null>(null);

export function usePnlCurve(): PnlCurve {
  const curve = useContext(PnlCurveContext);
  if (curve === null) throw new Error('usePnlCurve needs a PnlCurveContext provider');
  return curve;
}
