import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KiteSession, kiteChecksum, nextSixAmIst, REQUEST_TOKEN_TTL_MS } from './session';

function session(start = Date.UTC(2026, 10, 24, 4, 0)): { s: KiteSession; advance: (ms: number) => void } {
  let now = start;
  let n = 0;
  const s = new KiteSession({
    apiKey: 'key',
    apiSecret: 'secret',
    now: () => now,
    newToken: () => `t${++n}`,
  });
  return {
    s,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('KiteSession', () => {
  it('computes the checksum as hex SHA-256 of the concatenation', () => {
    expect(kiteChecksum('key', 'rt', 'secret')).toBe(
      createHash('sha256').update('keyrtsecret').digest('hex'),
    );
  });

  it('exchanges a request token once, and a new session replaces the old token', () => {
    const { s } = session();
    const first = s.issueAccessToken();
    const rt = s.issueRequestToken();
    const r = s.exchangeRequestToken('key', rt, kiteChecksum('key', rt, 'secret'));
    expect(r.ok).toBe(true);
    expect(s.check('key', first)).toBe(false);
    expect(s.check('key', s.accessToken ?? '')).toBe(true);
    expect(s.exchangeRequestToken('key', rt, kiteChecksum('key', rt, 'secret'))).toMatchObject({
      ok: false,
      error: { error_type: 'TokenException' },
    });
  });

  it('lets a request token expire', () => {
    const { s, advance } = session();
    const rt = s.issueRequestToken();
    advance(REQUEST_TOKEN_TTL_MS + 1);
    expect(s.exchangeRequestToken('key', rt, kiteChecksum('key', rt, 'secret')).ok).toBe(false);
  });

  it('expires the access token at 06:00 IST', () => {
    const { s, advance } = session(Date.UTC(2026, 10, 24, 4, 0)); // 09:30 IST
    const token = s.issueAccessToken();
    advance(Date.UTC(2026, 10, 25, 0, 29, 59) - Date.UTC(2026, 10, 24, 4, 0)); // 05:59:59 IST next day
    expect(s.check('key', token)).toBe(true);
    advance(1_000);
    expect(s.check('key', token)).toBe(false);
  });

  it('finds the next 06:00 IST', () => {
    expect(nextSixAmIst(Date.UTC(2026, 10, 24, 0, 29))).toBe(Date.UTC(2026, 10, 24, 0, 30));
    expect(nextSixAmIst(Date.UTC(2026, 10, 24, 0, 30))).toBe(Date.UTC(2026, 10, 25, 0, 30));
    expect(nextSixAmIst(Date.UTC(2026, 10, 24, 20, 0))).toBe(Date.UTC(2026, 10, 25, 0, 30));
  });

  it('parses the Authorization header', () => {
    const { s } = session();
    const token = s.issueAccessToken();
    expect(s.authorize(`token key:${token}`).ok).toBe(true);
    expect(s.authorize(`token key:${token}x`).ok).toBe(false);
    expect(s.authorize(`Bearer ${token}`).ok).toBe(false);
    expect(s.authorize(undefined)).toMatchObject({
      ok: false,
      error: { error_type: 'TokenException', message: 'Incorrect `api_key` or `access_token`.' },
    });
  });
});
