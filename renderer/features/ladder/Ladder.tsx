import type { InstrumentInfo } from '../../../shared/services/market';

export interface LadderProps {
  readonly instrument: InstrumentInfo | undefined;
}

/** The price ladder (DOM): click-to-trade on fixed price rows around the last price. */
export function Ladder({ instrument }: LadderProps) {
  return (
    <section className="panel ladder" data-testid="ladder" aria-label="Price ladder">
      <header className="panel__head">
        <h2 className="panel__title">Ladder</h2>
        <span className="ladder-symbol">{instrument?.tradingsymbol ?? ''}</span>
      </header>
    </section>
  );
}
