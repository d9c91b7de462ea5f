// Derivative prices from the underlying's fair value: futures by cost of carry, options by Black-76
// on the future with a volatility smile. Floats: these are fair values, rounded to the tick by the
// agents that quote them.

/** The carry rate of the simulated futures, a year (the instruments' generator uses the same 6.5%). */
export const CARRY_RATE = 0.065;

/** Trading sessions in a year: time to expiry is counted in sessions (see `FairValueModel`). */
export const SESSIONS_A_YEAR = 252;
/** Time to expiry never goes below a sixth of a session, so an expiry day's last hour stays priceable. */
export const MIN_YEARS = 1 / 6 / SESSIONS_A_YEAR;

/** A future's fair value: spot carried at `CARRY_RATE` for `years`. */
export function futureFairValue(spot: number, years: number): number {
  return spot * Math.exp(CARRY_RATE * years);
}

/** The smile's shape, in standardised moneyness z = ln(K/F) / (atmVol sqrt(T)). */
export interface Smile {
  /** Volatility change per unit of z, relative to ATM; negative = puts (low strikes) dearer. */
  readonly skew: number;
  /** Curvature per z squared, relative to ATM: the wings are dearer than the middle. */
  readonly curvature: number;
}

/** Index-option-like smile: a downward skew and a mild smile. */
export const INDEX_SMILE: Smile = { skew: -0.06, curvature: 0.025 };

/** Implied volatility at `strike` for a future at `future`, clamped to [0.5, 3] x ATM. */
export function smileVolatility(
  atmVol: number,
  smile: Smile,
  future: number,
  strike: number,
  years: number,
): number {
  const z = Math.log(strike / future) / (atmVol * Math.sqrt(years));
  const factor = 1 + smile.skew * z + smile.curvature * z * z;
  return atmVol * Math.min(3, Math.max(0.5, factor));
}

/** Black-76 premium of a European call (`CE`) or put (`PE`) on a future, discounted at `CARRY_RATE`. */
export function black76(
  type: 'CE' | 'PE',
  future: number,
  strike: number,
  years: number,
  vol: number,
): number {
  const sd = vol * Math.sqrt(years);
  const d1 = (Math.log(future / strike) + (sd * sd) / 2) / sd;
  const d2 = d1 - sd;
  const df = Math.exp(-CARRY_RATE * years);
  return type === 'CE'
    ? df * (future * normalCdf(d1) - strike * normalCdf(d2))
    : df * (strike * normalCdf(-d2) - future * normalCdf(-d1));
}

/** The standard normal CDF: Hart's algorithm (as in West, 2005), double precision into the far wings. */
export function normalCdf(x: number): number {
  const z = Math.abs(x);
  let p: number;
  if (z > 37) {
    p = 0;
  } else {
    const e = Math.exp((-z * z) / 2);
    if (z < 7.07106781186547) {
      let n = 3.52624965998911e-2 * z + 0.700383064443688;
      n = n * z + 6.37396220353165;
      n = n * z + 33.912866078383;
      n = n * z + 112.079291497871;
      n = n * z + 221.213596169931;
      n = n * z + 220.206867912376;
      let d = 8.83883476483184e-2 * z + 1.75566716318264;
      d = d * z + 16.064177579207;
      d = d * z + 86.7807322029461;
      d = d * z + 296.564248779674;
      d = d * z + 637.333633378831;
      d = d * z + 793.826512519948;
      d = d * z + 440.413735824752;
      p = (e * n) / d;
    } else {
      const f = z + 1 / (z + 2 / (z + 3 / (z + 4 / (z + 0.65))));
      p = e / f / 2.506628274631;
    }
  }
  return x > 0 ? 1 - p : p;
}
