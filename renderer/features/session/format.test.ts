import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/services/session';
import { formatSession, formatSessionTooltip, sessionLevel } from './format';

const open: SessionState = {
  mode: 'sim',
  venue: 'local-exchange',
  state: 'logged-in',
  userId: 'SIM001',
  userName: 'Sim Trader',
  loginUrl: '',
  message: '',
  instruments: 13,
  instrumentsDate: '2026-11-24',
  feed: { state: 'open', connections: 1, instruments: 7, attempt: 0, nextAttemptAt: 0, lastProblem: '' },
};

describe('session status', () => {
  it('reads venue, user and feed', () => {
    expect(formatSession(open)).toBe('Local exchange · SIM001 · feed open');
    expect(sessionLevel(open)).toBe('ok');
  });
  it('says what is wrong while not there yet', () => {
    const reconnecting: SessionState = {
      ...open,
      feed: { ...open.feed, state: 'reconnecting', attempt: 3, lastProblem: 'socket closed (1006)' },
    };
    expect(formatSession(reconnecting)).toBe('Local exchange · SIM001 · feed reconnecting (3)');
    expect(sessionLevel(reconnecting)).toBe('warn');
    expect(formatSessionTooltip(reconnecting)).toContain('Last feed problem: socket closed (1006)');
    const out: SessionState = {
      ...open,
      venue: 'kite',
      state: 'logged-out',
      feed: { ...open.feed, state: 'idle' },
    };
    expect(formatSession(out)).toBe('Kite · logged out · feed idle');
    expect(sessionLevel({ ...open, state: 'failed' })).toBe('alarm');
  });
});
