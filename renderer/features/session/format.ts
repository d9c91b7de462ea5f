import type { FeedState, SessionState } from '../../../shared/services/session';

const VENUES: Readonly<Record<SessionState['venue'], string>> = {
  'local-exchange': 'Local exchange',
  kite: 'Kite',
};

const LOGIN: Readonly<Record<SessionState['state'], string>> = {
  'waiting-for-venue': 'waiting for venue',
  'logged-out': 'logged out',
  'logging-in': 'logging in…',
  'logged-in': '',
  failed: 'login failed',
};

/** The feed in two words: `feed open`, `feed reconnecting (3)`. */
export function formatFeed(feed: FeedState): string {
  if (feed.state === 'reconnecting' && feed.attempt > 0) return `feed reconnecting (${feed.attempt})`;
  return `feed ${feed.state}`;
}

/** The status-bar text: `Local exchange · SIM001 · feed open`. */
export function formatSession(s: SessionState): string {
  const who = s.state === 'logged-in' ? s.userId || s.userName : LOGIN[s.state];
  return [VENUES[s.venue], who, formatFeed(s.feed)].filter((p) => p !== '').join(' · ');
}

/** ok when logged in with the feed open; warn while on the way there; alarm when it failed. */
export function sessionLevel(s: SessionState): 'ok' | 'warn' | 'alarm' {
  if (s.state === 'failed' || s.feed.state === 'closed') return 'alarm';
  return s.state === 'logged-in' && s.feed.state === 'open' ? 'ok' : 'warn';
}

/** The tooltip: who, why, the instruments dump and the feed's last problem. */
export function formatSessionTooltip(s: SessionState): string {
  const lines = [`${VENUES[s.venue]} (${s.mode.toUpperCase()})`];
  if (s.userName !== '' || s.userId !== '') lines.push(`User: ${s.userName} ${s.userId}`.trim());
  if (s.message !== '') lines.push(s.message);
  lines.push(`Instruments: ${s.instruments}${s.instrumentsDate === '' ? '' : ` for ${s.instrumentsDate}`}`);
  lines.push(
    `Feed: ${s.feed.state}, ${s.feed.connections} connection${s.feed.connections === 1 ? '' : 's'}, ${s.feed.instruments} instruments`,
  );
  if (s.feed.lastProblem !== '') lines.push(`Last feed problem: ${s.feed.lastProblem}`);
  return lines.join('\n');
}
