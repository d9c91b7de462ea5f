import { IstClock } from '../../features/clock';
import {
  ConnectionProblem,
  ConnectionStatus,
  EngineMemory,
  EngineMode,
  EventLoopLag,
} from '../../features/engine';
import { ProcessStatusItems } from '../../features/processes';
import { SessionStatus, useSession } from '../../features/session';

/**
 * The bar at the bottom, always visible: the engine link, mode, the broker session and feed, vital signs, what went wrong, the
 * supervised processes when one is not running normally (the app only), and the IST clock.
 */
export function StatusBar() {
  const sessionMode = useSession((s) => s.session?.mode);
  return (
    <footer className="statusbar">
      <ConnectionStatus />
      <EngineMode mode={sessionMode} />
      <SessionStatus />
      <EventLoopLag />
      <EngineMemory />
      <ConnectionProblem />
      <ProcessStatusItems />
      <IstClock />
    </footer>
  );
}
