import type { MarketService } from '../market';

/**
 * The tick size of an instrument by token, asked of the market service once and remembered (for the
 * orders grid's inline price edit, whose orders carry no tick). Resolves undefined when unknown.
 */
export function createTickSizes(market: Pick<MarketService, 'instruments'>) {
  const known = new Map<number, Promise<number | undefined>>();
  return (token: number): Promise<number | undefined> => {
    let tick = known.get(token);
    if (tick === undefined) {
      tick = market.instruments({ instrumentTokens: [token] }).then(
        ({ instruments }) => instruments.find((i) => i.instrumentToken === token)?.tickSize,
        () => {
          known.delete(token); // ask again next time
          return undefined;
        },
      );
      known.set(token, tick);
    }
    return tick;
  };
}
