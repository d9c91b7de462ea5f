import './engine.css';
import { useEngine } from './engineContext';
import type { TradingMode } from '../../../shared/services/system';
import type { EngineState } from './engineStore';
import { selectIsLive, selectIsStatusLive } from './engineStore';
import {
  formatBytes,
  formatConnectionProblem,
  formatConnectionStatus,
  formatConnectionTooltip,
  formatLag,
  formatMode,
} from './format';

// Status-bar items about the engine. Each reads only what it shows, so a status sample re-renders
// the lag and memory items and nothing else. Values from the engine carry data-stale when the link
// is down or no sample has come on this link yet; CSS dims them.

/** Event-loop lag p99 above which the value is shown as a warning, and as an alarm. */
export const LAG_WARN_MS = 50;
export const LAG_ALARM_MS = 500;

const selectConnection = (s: EngineState) => s.connection;
const selectTransport = (s: EngineState) => s.transport;
const selectMode = (s: EngineState) => s.info?.mode;
const selectLagP99 = (s: EngineState) => s.status?.eventLoopLagP99Ms;
const selectRss = (s: EngineState) => s.status?.rssBytes;
const selectHeap = (s: EngineState) => s.status?.heapUsedBytes;

/** The link to the engine: a coloured dot and `Connected` / `Connecting…` / `Reconnecting…`. */
export function ConnectionStatus() {
  const connection = useEngine(selectConnection);
  const transport = useEngine(selectTransport);
  return (
    <span
      className="sb-item sb-conn"
      data-state={connection.status}
      title={formatConnectionTooltip(connection, transport)}
      role="status"
    >
      <span className="sb-conn__dot" aria-hidden="true" />
      <span className="sb-conn__text" data-testid="engine-status">
        {formatConnectionStatus(connection.status)}
      </span>
    </span>
  );
}

/** Why the link is down (attempt count and last error), in a slot that absorbs its length. */
export function ConnectionProblem() {
  const connection = useEngine(selectConnection);
  const problem = formatConnectionProblem(connection);
  return (
    <span className="sb-problem" data-testid="engine-status-detail" title={connection.lastError ?? ''}>
      {problem}
    </span>
  );
}

/** SIM / PAPER / LIVE, LIVE in the warning colour; `mode` (the session's, which follows the setting) wins. */
export function EngineMode(props: { readonly mode?: TradingMode | undefined }) {
  const started = useEngine(selectMode);
  const mode = props.mode ?? started;
  const live = useEngine(selectIsLive);
  return (
    <span
      className="sb-item sb-mode"
      data-testid="engine-mode"
      data-mode={mode ?? 'unknown'}
      data-stale={!live}
      title="Trading mode of the engine"
    >
      {formatMode(mode)}
    </span>
  );
}

function lagLevel(ms: number | undefined): 'ok' | 'warn' | 'alarm' {
  if (ms === undefined || ms < LAG_WARN_MS) return 'ok';
  return ms < LAG_ALARM_MS ? 'warn' : 'alarm';
}

/** The engine's event-loop lag, p99 over the last second: `lag 1.2 ms`. */
export function EventLoopLag() {
  const lag = useEngine(selectLagP99);
  const fresh = useEngine(selectIsStatusLive);
  return (
    <span
      className="sb-item sb-lag num"
      data-testid="event-loop-lag"
      data-level={lagLevel(lag)}
      data-stale={!fresh}
      title="Engine event-loop delay, 99th percentile over the last second"
    >
      lag <span className="sb-value">{formatLag(lag)}</span>
    </span>
  );
}

/** The engine's resident memory: `mem 182.4 MiB`. */
export function EngineMemory() {
  const rss = useEngine(selectRss);
  const heap = useEngine(selectHeap);
  const fresh = useEngine(selectIsStatusLive);
  return (
    <span
      className="sb-item sb-mem num"
      data-testid="engine-memory"
      data-stale={!fresh}
      title={`Engine memory: resident ${formatBytes(rss)}, JS heap used ${formatBytes(heap)}`}
    >
      mem <span className="sb-value">{formatBytes(rss)}</span>
    </span>
  );
}
