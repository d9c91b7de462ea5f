import { EnginePanel } from '../../features/engine';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

/** The main window of the terminal. Panels join the workspace as their features arrive. */
export function TerminalWindow() {
  return (
    <div className="terminal">
      <TopBar />
      <main className="workspace" aria-label="Workspace">
        <EnginePanel />
      </main>
      <StatusBar />
    </div>
  );
}
