import { ModeBadge, useEngine } from '../../features/engine';
import type { EngineState } from '../../features/engine';
import { RiskStatusItem } from '../../features/risk';
import { ModeSwitch, useSession } from '../../features/session';
import type { TradingMode } from '../../../shared/services/system';

const selectMode = (s: EngineState) => s.info?.mode;

/**
 * The slim bar at the top: the app's name and, always in view, the trading mode and its switch, and
 * at the right the trading state with the kill switch.
 */
export function TopBar(props: { readonly onModeSwitch?: ((mode: TradingMode) => void) | undefined }) {
  const started = useEngine(selectMode);
  const sessionMode = useSession((s) => s.session?.mode);
  const mode = sessionMode ?? started ?? 'unknown';
  const onModeSwitch = props.onModeSwitch;
  return (
    <header className="topbar" data-mode={mode}>
      <h1 className="brand">
        <span className="brand__mark" aria-hidden="true" />
        <span>
          Shriven<span className="brand__q">Q</span>
        </span>
      </h1>
      <ModeBadge mode={sessionMode} />
      {onModeSwitch === undefined ? null : (
        <ModeSwitch
          mode={sessionMode}
          onSwitch={onModeSwitch}
          confirm={(question) => window.confirm(question)}
        />
      )}
      <span className="topbar__sep" aria-hidden="true" />
      <span className="topbar__window">Terminal</span>
      <span className="topbar__spacer" />
      <RiskStatusItem confirm={(question) => window.confirm(question)} />
    </header>
  );
}
