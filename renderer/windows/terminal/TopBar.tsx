import { ModeBadge, useEngine } from '../../features/engine';
import type { EngineState } from '../../features/engine';

const selectMode = (s: EngineState) => s.info?.mode ?? 'unknown';

/** The slim bar at the top: the app's name and, always in view, the trading mode. */
export function TopBar() {
  const mode = useEngine(selectMode);
  return (
    <header className="topbar" data-mode={mode}>
      <h1 className="brand">
        <span className="brand__mark" aria-hidden="true" />
        <span>
          Shriven<span className="brand__q">Q</span>
        </span>
      </h1>
      <ModeBadge />
      <span className="topbar__sep" aria-hidden="true" />
      <span className="topbar__window">Terminal</span>
      <span className="topbar__spacer" />
    </header>
  );
}
