import './session.css';
import { formatSession, formatSessionTooltip, sessionLevel } from './format';
import { useSession } from './sessionContext';
import type { SessionStoreState } from './sessionStore';

const selectSession = (s: SessionStoreState) => s.session;

/** The status-bar item for the broker session and the feed: `Local exchange · SIM001 · feed open`. */
export function SessionStatus() {
  const session = useSession(selectSession);
  return (
    <span
      className="sb-item sb-session"
      data-testid="session-status"
      data-level={session === undefined ? 'none' : sessionLevel(session)}
      data-feed={session?.feed.state ?? 'unknown'}
      title={session === undefined ? 'Broker session: not known yet' : formatSessionTooltip(session)}
    >
      <span className="sb-session__dot" aria-hidden="true" />
      <span className="sb-session__text">{session === undefined ? 'feed —' : formatSession(session)}</span>
    </span>
  );
}
