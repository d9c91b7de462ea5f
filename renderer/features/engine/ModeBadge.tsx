import './engine.css';
import { useEngine } from './engineContext';
import type { EngineState } from './engineStore';
import { selectIsLive } from './engineStore';
import { formatMode } from './format';
import type { TradingMode } from '../../../shared/services/system';

const selectMode = (s: EngineState) => s.info?.mode;

const MODE_TITLES = {
  sim: 'SIM: orders go to the built-in local exchange. No real money.',
  paper: 'PAPER: live market data, fills simulated locally. No real money.',
  live: 'LIVE: orders go to the broker. Real money.',
} as const;

/**
 * The trading mode, large enough to never be missed; LIVE stands out in the warning colour. `mode`
 * (the session's, which follows the setting) wins over the mode the engine was started with.
 */
export function ModeBadge(props: { readonly mode?: TradingMode | undefined }) {
  const started = useEngine(selectMode);
  const mode = props.mode ?? started;
  const live = useEngine(selectIsLive);
  return (
    <span
      className="mode-badge"
      data-mode={mode ?? 'unknown'}
      data-stale={!live}
      data-testid="mode-badge"
      title={mode === undefined ? 'Trading mode: not known yet' : MODE_TITLES[mode]}
    >
      {formatMode(mode)}
    </span>
  );
}
