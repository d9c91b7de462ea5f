// The day's Kite access token, kept in the engine's database (migration 3) so that a restart on the
// same trading day resumes the session instead of asking for a new login. The token is a bearer
// credential for one day; the database file lives in the user's profile folder.
import type { EngineDatabase } from '../store';
import type { TokenCache } from './brokerSession';

/** A TokenCache in the `session_tokens` table. Engine thread only. */
export class SqliteTokenCache implements TokenCache {
  constructor(
    private readonly db: EngineDatabase,
    private readonly now: () => number,
  ) {}

  get(apiKey: string, tradingDate: string): string | undefined {
    const row = this.db.sql
      .prepare<[string, string], { access_token: string }>(
        'SELECT access_token FROM session_tokens WHERE api_key = ? AND trading_date = ?',
      )
      .get(apiKey, tradingDate);
    return row?.access_token;
  }

  set(apiKey: string, tradingDate: string, accessToken: string): void {
    this.db.sql
      .prepare(
        `INSERT INTO session_tokens (api_key, trading_date, access_token, saved_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (api_key) DO UPDATE SET trading_date = excluded.trading_date,
           access_token = excluded.access_token, saved_at = excluded.saved_at`,
      )
      .run(apiKey, tradingDate, accessToken, this.now());
  }

  clear(apiKey: string): void {
    this.db.sql.prepare('DELETE FROM session_tokens WHERE api_key = ?').run(apiKey);
  }
}
