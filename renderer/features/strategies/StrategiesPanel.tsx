import './strategies.css';

/**
 * Strategies: nothing to show yet, and it says so. Paper and live strategies arrive in a later
 * issue; until then no strategy can place an order, so there is nothing to start, stop or watch.
 */
export function StrategiesPanel() {
  return (
    <section className="panel strategies" data-testid="strategies" aria-labelledby="strategies-title">
      <header className="panel__head">
        <h2 className="panel__title" id="strategies-title">
          Strategies
        </h2>
      </header>
      <div className="strat-empty" data-testid="strategies-empty">
        <p className="strat-empty__title">No strategies yet</p>
        <p className="strat-empty__text">
          Strategies are not in this build. When they arrive, each will show here with its state, orders,
          positions and P&amp;L, and run under the same risk limits as your own orders.
        </p>
      </div>
    </section>
  );
}
