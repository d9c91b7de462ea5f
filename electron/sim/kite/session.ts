/**
 * The simulator's one Kite user and its session: the login's single-use request_token, the
 * checksum exchange, one active access token (a new login replaces the old one, as on Kite), the
 * refresh token and logout (kite-protocol.md section 2). Pure: clock and token source injected.
 */
import { createHash } from 'node:crypto';
import { formatIstDateTime, IST_OFFSET_MS } from '../../../shared/time/ist';
import { BAD_TOKEN_MESSAGE } from './envelope';
import type { KiteError } from './venue';

/** Who is logged in: the profile fields of generate_session.json and profile.json. */
export interface KiteUser {
  readonly user_id: string;
  readonly user_name: string;
  readonly user_shortname: string;
  readonly email: string;
  readonly user_type: string;
  readonly broker: string;
  readonly exchanges: readonly string[];
  readonly products: readonly string[];
  readonly order_types: readonly string[];
  readonly avatar_url: string | null;
}

/** The simulator's default user. */
export const SIM_USER: KiteUser = {
  user_id: 'SIM001',
  user_name: 'ShrivenQ Simulator',
  user_shortname: 'Simulator',
  email: 'sim@shrivenq.invalid',
  user_type: 'individual',
  broker: 'ZERODHA',
  exchanges: ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'],
  products: ['CNC', 'NRML', 'MIS', 'MTF'],
  order_types: ['MARKET', 'LIMIT', 'SL', 'SL-M'],
  avatar_url: null,
};

/** How long a request_token may wait before it is exchanged. */
export const REQUEST_TOKEN_TTL_MS = 5 * 60_000;

/** `hex(SHA-256(a + b + c))`: the checksum of /session/token, /session/refresh_token and postbacks. */
export function kiteChecksum(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('')).digest('hex');
}

/** The next 06:00 IST after `epochMs`, when Kite expires access tokens. */
export function nextSixAmIst(epochMs: number): number {
  const day = 86_400_000;
  const sixIst = 6 * 3_600_000;
  const istMs = epochMs + IST_OFFSET_MS;
  const candidate = Math.floor(istMs / day) * day + sixIst;
  return (candidate > istMs ? candidate : candidate + day) - IST_OFFSET_MS;
}

interface ActiveSession {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly publicToken: string;
  readonly enctoken: string;
  readonly loginTime: number;
  readonly expiresAt: number;
}

export interface SessionOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly user?: KiteUser;
  readonly now: () => number;
  /** A fresh random token (32 alphanumerics). */
  readonly newToken: () => string;
}

export type SessionResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: KiteError };

const tokenError = (message: string): { ok: false; error: KiteError } => ({
  ok: false,
  error: { error_type: 'TokenException', message },
});

/** The session of the one user the simulator knows. */
export class KiteSession {
  readonly apiKey: string;
  readonly user: KiteUser;
  private readonly apiSecret: string;
  private readonly requestTokens = new Map<string, number>();
  private active: ActiveSession | undefined;

  constructor(private readonly options: SessionOptions) {
    this.apiKey = options.apiKey;
    this.apiSecret = options.apiSecret;
    this.user = options.user ?? SIM_USER;
  }

  /** True for the api_secret (the admin API's credential). */
  isSecret(value: string | undefined): boolean {
    return value === this.apiSecret;
  }

  /** The checksum of an order postback or update: SHA-256(order_id + order_timestamp + api_secret). */
  postbackChecksum(orderId: string, orderTimestamp: string): string {
    return kiteChecksum(orderId, orderTimestamp, this.apiSecret);
  }

  /** Starts a session without the login flow (the process entry prints its token). */
  issueAccessToken(): string {
    return this.start().accessToken;
  }

  /** What the login page hands out: a single-use request_token. */
  issueRequestToken(): string {
    const now = this.options.now();
    for (const [token, issued] of this.requestTokens)
      if (issued + REQUEST_TOKEN_TTL_MS < now) this.requestTokens.delete(token);
    const token = this.options.newToken();
    this.requestTokens.set(token, now);
    return token;
  }

  /** `POST /session/token`: a valid checksum and an unused, fresh request_token start a session. */
  exchangeRequestToken(
    apiKey: string,
    requestToken: string,
    checksum: string,
  ): SessionResult<Record<string, unknown>> {
    if (apiKey !== this.apiKey) return tokenError('Invalid `api_key`.');
    if (checksum !== kiteChecksum(apiKey, requestToken, this.apiSecret))
      return tokenError('Invalid `checksum`.');
    const issued = this.requestTokens.get(requestToken);
    this.requestTokens.delete(requestToken);
    if (issued === undefined || issued + REQUEST_TOKEN_TTL_MS < this.options.now())
      return tokenError('Token is invalid or has expired.');
    return { ok: true, value: this.sessionData(this.start()) };
  }

  /** `POST /session/refresh_token`. */
  renew(apiKey: string, refreshToken: string, checksum: string): SessionResult<Record<string, unknown>> {
    if (apiKey !== this.apiKey) return tokenError('Invalid `api_key`.');
    if (checksum !== kiteChecksum(apiKey, refreshToken, this.apiSecret))
      return tokenError('Invalid `checksum`.');
    if (this.active === undefined || this.active.refreshToken !== refreshToken)
      return tokenError('Token is invalid or has expired.');
    return { ok: true, value: this.sessionData(this.start(refreshToken)) };
  }

  /** `DELETE /session/token` with `access_token` or `refresh_token`: ends the session. */
  invalidate(apiKey: string, token: { access_token?: string; refresh_token?: string }): SessionResult<true> {
    if (apiKey !== this.apiKey) return tokenError('Invalid `api_key`.');
    const a = this.active;
    if (a !== undefined && (token.access_token === a.accessToken || token.refresh_token === a.refreshToken))
      this.active = undefined;
    return { ok: true, value: true };
  }

  /** Checks `Authorization: token api_key:access_token`. */
  authorize(header: string | undefined): SessionResult<void> {
    const match = /^token ([^:\s]+):(\S+)$/.exec(header ?? '');
    if (match === null) return tokenError(BAD_TOKEN_MESSAGE);
    return this.check(match[1] ?? '', match[2] ?? '')
      ? { ok: true, value: undefined }
      : tokenError(BAD_TOKEN_MESSAGE);
  }

  /** True when this api_key and access_token are the active session's. */
  check(apiKey: string, accessToken: string): boolean {
    const a = this.active;
    if (a === undefined || apiKey !== this.apiKey || accessToken !== a.accessToken) return false;
    if (this.options.now() >= a.expiresAt) {
      this.active = undefined;
      return false;
    }
    return true;
  }

  /** The active access token, if any (for the ticker to notice a logout). */
  get accessToken(): string | undefined {
    return this.active?.accessToken;
  }

  /** The profile of `GET /user/profile`. */
  profile(): Record<string, unknown> {
    const u = this.user;
    return {
      user_id: u.user_id,
      user_type: u.user_type,
      email: u.email,
      user_name: u.user_name,
      user_shortname: u.user_shortname,
      broker: u.broker,
      exchanges: u.exchanges,
      products: u.products,
      order_types: u.order_types,
      avatar_url: u.avatar_url,
      meta: { demat_consent: 'physical' },
    };
  }

  private start(keepRefresh?: string): ActiveSession {
    const now = this.options.now();
    this.active = {
      accessToken: this.options.newToken(),
      refreshToken: keepRefresh ?? this.options.newToken(),
      publicToken: this.options.newToken(),
      enctoken: this.options.newToken(),
      loginTime: now,
      expiresAt: nextSixAmIst(now),
    };
    return this.active;
  }

  private sessionData(s: ActiveSession): Record<string, unknown> {
    return {
      ...this.profile(),
      api_key: this.apiKey,
      access_token: s.accessToken,
      public_token: s.publicToken,
      enctoken: s.enctoken,
      refresh_token: s.refreshToken,
      silo: '',
      login_time: formatIstDateTime(s.loginTime),
    };
  }
}
