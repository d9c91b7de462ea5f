import { IstClock } from '../../features/clock';
import {
  ConnectionProblem,
  ConnectionStatus,
  EngineMemory,
  EngineMode,
  EventLoopLag,
} from '../../features/engine';

/** The bar at the bottom, always visible: the engine link, mode, vital signs, and the IST clock. */
export function StatusBar() {
  return (
    <footer className="statusbar">
      <ConnectionStatus />
      <EngineMode />
      <EventLoopLag />
      <EngineMemory />
      <ConnectionProblem />
      <IstClock />
    </footer>
  );
}
