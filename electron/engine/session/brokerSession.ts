// The broker session: which venue the engine trades on, the login that gets an access token, the
// day's instruments, and the ticker feed. In sim mode the host tells the engine where the local
// exchange is (`setVenue`) and the engine logs in to it through Kite's own flow: the login page's
// form gives a request_token, `POST /session/token` (checksum) gives the access token. The same
// code serves live Kite once the API key and secret come from settings (issue 5 item 3, not here).
import { formatIstDate } from '../../../shared/time/ist';
import type { Disposable } from '../../../shared/disposable';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { FeedState, SessionState, sessionService } from '../../../shared/services/session';
import type { TradingMode } from '../../../shared/services/system';
import type { KiteCredentials, VenueEndpoint } from '../../../shared/venue';
import { BrokerError } from '../broker/errors';
import { KiteRest } from '../broker/kite/http';
import { KiteTickerPool } from '../broker/kite/tickerPool';
import type { TickerPoolState } from '../broker/kite/tickerPool';
import type { TickerProblem } from '../broker/kite/stream';
import { NSE_SESSION } from '../market/bars';
import type { SessionHours } from '../market/bars';
import { freezeQuantitiesOn } from '../market/freezeQuantities';
import { freezeQuantityLookup } from '../market/instrumentsCsv';
import type { InstrumentStore } from '../market/instrumentsStore';
import type { HistorySource, MarketData } from '../market/marketData';

/** The day's access token per API key, so a restart the same day needs no new login. */
export interface TokenCache {
  get(apiKey: string, tradingDate: string): string | undefined;
  set(apiKey: string, tradingDate: string, accessToken: string): void;
  clear(apiKey: string): void;
}

/** A token cache that lasts as long as the process (the SQLite one replaces it with the journal's schema). */
export class MemoryTokenCache implements TokenCache {
  private readonly tokens = new Map<string, { readonly date: string; readonly token: string }>();

  get(apiKey: string, tradingDate: string): string | undefined {
    const t = this.tokens.get(apiKey);
    return t !== undefined && t.date === tradingDate ? t.token : undefined;
  }

  set(apiKey: string, tradingDate: string, accessToken: string): void {
    this.tokens.set(apiKey, { date: tradingDate, token: accessToken });
  }

  clear(apiKey: string): void {
    this.tokens.delete(apiKey);
  }
}

/** Where Kite is (overridable so tests can point the live path at the local exchange). */
export interface KiteRoots {
  readonly rest: string;
  readonly ws: string;
  /** The login page; `?api_key=..&v=3` is appended. */
  readonly login: string;
}

export const KITE_ROOTS: KiteRoots = {
  rest: 'https://api.kite.trade',
  ws: 'wss://ws.kite.trade/',
  login: 'https://kite.zerodha.com/connect/login',
};

/** A logged-in session, for the OMS. */
export interface BrokerConnection {
  readonly mode: TradingMode;
  /** `sim:<api key>:<user>`, `paper:<user>` or `live:<user>`. */
  readonly account: string;
  readonly rest: KiteRest;
  readonly pool: KiteTickerPool;
}

export interface BrokerSessionOptions {
  readonly mode: TradingMode;
  /** Kite's roots for paper and live (default KITE_ROOTS). */
  readonly kite?: KiteRoots;
  readonly tokens: TokenCache;
  /** Sees every raw ticker frame (the optional recorder). */
  readonly onFrame?: (frame: Uint8Array, receivedAt: number) => void;
  readonly market: MarketData;
  readonly instruments: InstrumentStore;
  /** Builds the history source for a logged-in REST client (chunked and cached). */
  readonly history: (rest: KiteRest) => HistorySource;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

const NEED_CREDENTIALS = 'Enter your Kite Connect API key and secret in settings to log in';

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The local exchange with `--always-open`: one session per IST day. */
const ALL_DAY: SessionHours = { openMs: 0, closeMs: 86_400_000 };

const IDLE_FEED: FeedState = {
  state: 'idle',
  connections: 0,
  instruments: 0,
  attempt: 0,
  nextAttemptAt: 0,
  lastProblem: '',
};

/**
 * The request_token of a login on the local exchange: its login page's form, posted as a browser
 * would, answers with a redirect carrying the token (or, with no redirect URL registered, a page
 * that shows it).
 */
export async function localExchangeRequestToken(endpoint: VenueEndpoint): Promise<string> {
  const response = await fetch(`${endpoint.rest}/connect/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: endpoint.apiKey, redirect_params: '' }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  const location = response.headers.get('location');
  const fromRedirect = location === null ? null : new URL(location).searchParams.get('request_token');
  const token = fromRedirect ?? /id="request_token">([A-Za-z0-9]+)</.exec(await response.text())?.[1];
  if (token === undefined)
    throw new BrokerError(
      'token',
      `the local exchange's login answered ${response.status} without a request_token`,
    );
  return token;
}

/** The engine's broker session. Engine thread only. */
export class BrokerSession implements Disposable {
  private readonly options: BrokerSessionOptions;
  private mode: TradingMode;
  private stateValue: SessionState;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private readonly connectedListeners = new Set<(c: BrokerConnection | null) => void>();
  private connection: BrokerConnection | null = null;
  private endpoint: VenueEndpoint | null = null;
  private credentials: KiteCredentials | null = null;
  private rest: KiteRest | undefined;
  private pool: KiteTickerPool | undefined;
  private poolState: Disposable | undefined;
  /** Bumped on every venue change and logout, so a login that finishes late is dropped. */
  private generation = 0;
  private disposed = false;
  /** Which venue the stored instruments came from (unknown after a restart: the first login reloads). */
  private instrumentsFrom: string | undefined;

  constructor(options: BrokerSessionOptions) {
    this.options = options;
    this.mode = options.mode;
    this.stateValue = this.initialState();
  }

  private initialState(): SessionState {
    const loaded = this.options.instruments.loaded;
    const sim = this.mode === 'sim';
    return {
      mode: this.mode,
      venue: sim ? 'local-exchange' : 'kite',
      state: sim ? 'waiting-for-venue' : 'logged-out',
      userId: '',
      userName: '',
      loginUrl: '',
      message: sim ? 'Waiting for the local exchange to start' : NEED_CREDENTIALS,
      instruments: loaded?.rowCount ?? 0,
      instrumentsDate: loaded?.tradingDate ?? '',
      feed: IDLE_FEED,
    };
  }

  /**
   * Switches between sim, paper and live at once: the current session and feed stop, and the new
   * mode's venue is used (the local exchange, or Kite with the credentials and today's token).
   * Subscriptions carry over to the new feed.
   */
  setMode(mode: TradingMode): void {
    if (this.disposed || mode === this.mode) return;
    this.options.log(`mode ${this.mode} -> ${mode}`);
    this.generation++;
    this.stop();
    this.mode = mode;
    this.stateValue = this.initialState();
    for (const l of this.listeners) l(this.stateValue);
    if (mode === 'sim') this.setVenue(this.endpoint);
    else this.setCredentials(this.credentials);
  }

  get state(): SessionState {
    return this.stateValue;
  }

  private set(patch: Partial<SessionState>): void {
    this.stateValue = { ...this.stateValue, ...patch };
    for (const l of this.listeners) l(this.stateValue);
  }

  /** The host says where the local exchange is (sim mode); null while it restarts. */
  setVenue(endpoint: VenueEndpoint | null): void {
    this.endpoint = endpoint;
    if (this.disposed || this.mode !== 'sim') return;
    this.generation++;
    this.stop();
    if (endpoint === null) {
      this.set({ state: 'waiting-for-venue', message: 'The local exchange is restarting', feed: IDLE_FEED });
      return;
    }
    this.set({ loginUrl: `${endpoint.rest}/connect/login?api_key=${endpoint.apiKey}&v=3` });
    void this.login();
  }

  /**
   * The host gives the Kite app's credentials (paper and live). A token cached today is tried
   * first; otherwise the state says where to log in.
   */
  setCredentials(credentials: KiteCredentials | null): void {
    this.credentials = credentials;
    if (this.disposed || this.mode === 'sim') return;
    this.generation++;
    this.stop();
    if (credentials === null) {
      this.set({ state: 'logged-out', loginUrl: '', message: NEED_CREDENTIALS, feed: IDLE_FEED });
      return;
    }
    const roots = this.options.kite ?? KITE_ROOTS;
    this.set({
      state: 'logged-out',
      loginUrl: `${roots.login}?api_key=${credentials.apiKey}&v=3`,
      message: 'Log in to Kite',
      feed: IDLE_FEED,
    });
    const cached = this.options.tokens.get(credentials.apiKey, formatIstDate(this.options.now()));
    if (cached !== undefined) void this.resume(credentials, cached);
  }

  /** Logs in to the venue (sim: by itself; a request token from a login window otherwise). */
  async login(requestToken?: string): Promise<SessionState> {
    if (this.mode !== 'sim') return this.loginToKite(requestToken);
    const endpoint = this.endpoint;
    if (endpoint === null) return this.stateValue;
    const generation = ++this.generation;
    this.stop();
    this.set({ state: 'logging-in', message: 'Logging in to the local exchange' });
    try {
      const rest = this.kiteRest(endpoint.apiKey, endpoint.rest);
      const token = requestToken ?? (await localExchangeRequestToken(endpoint));
      const session = await rest.generateSession(token, endpoint.apiSecret);
      if (generation === this.generation)
        await this.start(generation, rest, session, endpoint.ws, endpoint.apiKey, endpoint.marketHours);
    } catch (e) {
      this.failed(generation, 'Login failed', e);
    }
    return this.stateValue;
  }

  /** Paper and live: a request_token from Kite's login page becomes today's session. */
  private async loginToKite(requestToken: string | undefined): Promise<SessionState> {
    const credentials = this.credentials;
    if (credentials === null) {
      this.set({ state: 'logged-out', message: NEED_CREDENTIALS });
      return this.stateValue;
    }
    // A session that works is never dropped for a login that has not worked yet: anyone can make a
    // browser open web mode's callback with a junk token, and a refused token must change nothing.
    const live = this.stateValue.state === 'logged-in';
    if (requestToken === undefined) {
      if (!live)
        this.set({
          state: 'logged-out',
          message: 'Log in on the Kite page: the terminal catches its redirect',
        });
      return this.stateValue;
    }
    const generation = ++this.generation;
    const roots = this.options.kite ?? KITE_ROOTS;
    if (!live) {
      this.stop();
      this.set({ state: 'logging-in', message: 'Logging in to Kite' });
    }
    try {
      const rest = this.kiteRest(credentials.apiKey, roots.rest);
      const session = await rest.generateSession(requestToken, credentials.apiSecret);
      if (generation === this.generation) {
        this.options.tokens.set(credentials.apiKey, formatIstDate(this.options.now()), session.accessToken);
        if (live) this.stop();
        await this.start(generation, rest, session, roots.ws, credentials.apiKey, true);
      }
    } catch (e) {
      if (live && this.stateValue.state === 'logged-in') {
        this.options.log(`a Kite login was refused; the current session goes on: ${errorText(e)}`);
        return this.stateValue;
      }
      this.failed(generation, 'Kite login failed', e);
    }
    return this.stateValue;
  }

  /** Uses today's cached access token if Kite still takes it; else asks for a login. */
  private async resume(credentials: KiteCredentials, accessToken: string): Promise<void> {
    const generation = ++this.generation;
    const roots = this.options.kite ?? KITE_ROOTS;
    this.set({ state: 'logging-in', message: "Resuming today's Kite session" });
    try {
      const rest = this.kiteRest(credentials.apiKey, roots.rest, accessToken);
      const profile = await rest.profile();
      if (generation === this.generation)
        await this.start(generation, rest, { ...profile, accessToken }, roots.ws, credentials.apiKey, true);
    } catch (e) {
      if (generation !== this.generation) return;
      this.options.tokens.clear(credentials.apiKey);
      this.set({ state: 'logged-out', message: `Log in to Kite (${errorText(e)})` });
    }
  }

  private failed(generation: number, what: string, e: unknown): void {
    if (generation !== this.generation) return;
    this.options.log(`${what}: ${errorText(e)}`);
    this.set({ state: 'failed', message: `${what}: ${errorText(e)}` });
  }

  private kiteRest(apiKey: string, root: string, accessToken?: string): KiteRest {
    const rest: KiteRest = new KiteRest({
      apiKey,
      root,
      ...(accessToken === undefined ? {} : { accessToken }),
      onTokenError: () => {
        // Only the client of the running session speaks for it (a login's client is refused when
        // its request_token is bad, which ends nothing). Kite ended the session (logged in
        // elsewhere, expired): ask for a new login, never guess.
        if (this.mode === 'sim' || this.rest !== rest) return;
        if (this.credentials !== null) this.options.tokens.clear(this.credentials.apiKey);
        this.generation++;
        this.stop();
        this.set({ state: 'logged-out', message: 'The Kite session ended: log in again', feed: IDLE_FEED });
      },
    });
    return rest;
  }

  /** With a session: the day's instruments, the ticker feed, market data attached. */
  private async start(
    generation: number,
    rest: KiteRest,
    session: { readonly userId: string; readonly userName: string; readonly accessToken: string },
    wsRoot: string,
    apiKey: string,
    marketHours: boolean,
  ): Promise<void> {
    const date = formatIstDate(this.options.now());
    const store = this.options.instruments;
    // The local exchange's instruments are not Kite's: a dump is reused only for the same venue.
    const from = `${this.mode === 'sim' ? 'local-exchange' : 'kite'}:${apiKey}`;
    if (store.loaded?.tradingDate !== date || store.loaded.rowCount === 0 || this.instrumentsFrom !== from) {
      // Kite's dump has no freeze quantities: the exchanges' table for the day fills them in.
      const dump = await rest.instruments(undefined, freezeQuantityLookup(freezeQuantitiesOn(date)));
      if (generation !== this.generation) return;
      store.replaceDay(date, dump.instruments);
      this.instrumentsFrom = from;
      if (dump.skipped.length > 0) this.options.log(`instruments: ${dump.skipped.length} rows refused`);
    }
    const pool = new KiteTickerPool({
      root: wsRoot,
      apiKey,
      accessToken: session.accessToken,
      board: this.options.market.board,
      onTick: this.options.market.onTick,
      log: this.options.log,
      ...(this.options.onFrame === undefined ? {} : { onFrame: this.options.onFrame }),
    });
    this.rest = rest;
    this.pool = pool;
    let lastProblem = '';
    const states = pool.onState((s) => {
      const feed = feedState(s, pool.size, this.options.now());
      this.set({ feed: lastProblem === '' ? feed : { ...feed, lastProblem } });
    });
    // Kite's error and message frames, and our own feed problems: logged, and the latest shown.
    const notices = pool.onNotice((n) => {
      this.options.log(`ticker ${n.connection + 1} ${n.type}: ${JSON.stringify(n.data).slice(0, 200)}`);
      if (n.type === 'error') lastProblem = `Kite: ${String(n.data)}`;
    });
    const problems = pool.onProblem((p) => {
      const text = problemText(p.problem);
      this.options.log(`ticker ${p.connection + 1}: ${text}`);
      lastProblem = text;
      this.set({ feed: { ...this.stateValue.feed, lastProblem } });
      // The ticker refused our token: the session is over (Kite logged us out elsewhere).
      if (p.problem.kind === 'rejected' && p.problem.status === 403 && this.mode !== 'sim') {
        if (this.credentials !== null) this.options.tokens.clear(this.credentials.apiKey);
        this.generation++;
        this.stop();
        this.set({ state: 'logged-out', message: 'The Kite session ended: log in again', feed: IDLE_FEED });
      }
    });
    this.poolState = {
      dispose: () => {
        states.dispose();
        notices.dispose();
        problems.dispose();
      },
    };
    this.options.market.attach({
      store,
      pool,
      history: this.options.history(rest),
      session: marketHours ? NSE_SESSION : ALL_DAY,
    });
    this.set({
      state: 'logged-in',
      userId: session.userId,
      userName: session.userName,
      message: '',
      instruments: store.loaded?.rowCount ?? 0,
      instrumentsDate: store.loaded?.tradingDate ?? '',
    });
    this.options.log(`logged in as ${session.userId}`);
    // The account the orders belong to: the venue and the user. The local exchange's API key is new
    // at each start of an exchange without `--state`, so its orders are its own account.
    const account =
      this.mode === 'sim' ? `sim:${apiKey}:${session.userId}` : `${this.mode}:${session.userId}`;
    this.connection = { mode: this.mode, account, rest, pool };
    for (const l of this.connectedListeners) l(this.connection);
  }

  /** Ends the broker session and stops the feed. */
  async logout(): Promise<SessionState> {
    this.generation++;
    const rest = this.rest;
    this.stop();
    if (this.credentials !== null) this.options.tokens.clear(this.credentials.apiKey);
    if (rest !== undefined) await rest.invalidateAccessToken().catch(() => undefined);
    this.set({ state: 'logged-out', userId: '', userName: '', message: 'Logged out', feed: IDLE_FEED });
    return this.stateValue;
  }

  /**
   * Told when a session starts (the REST client, the ticker pool and the account) and ends (null).
   * Called at once with the current connection.
   */
  onConnection(listener: (c: BrokerConnection | null) => void): Disposable {
    this.connectedListeners.add(listener);
    listener(this.connection);
    return { dispose: () => this.connectedListeners.delete(listener) };
  }

  private stop(): void {
    if (this.connection !== null) {
      this.connection = null;
      for (const l of this.connectedListeners) l(null);
    }
    this.poolState?.dispose();
    this.poolState = undefined;
    this.options.market.detach();
    this.pool = undefined;
    this.rest = undefined;
  }

  /** The contract's `session` service. */
  service(): ServiceOf<typeof sessionService> {
    return {
      state: () => Promise.resolve(this.stateValue),
      login: (p) => this.login(p.requestToken),
      logout: () => this.logout(),
      onState: (listener) => {
        this.listeners.add(listener);
        listener(this.stateValue);
        return { dispose: () => this.listeners.delete(listener) };
      },
    };
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.stop();
    this.listeners.clear();
  }
}

function problemText(p: TickerProblem): string {
  switch (p.kind) {
    case 'malformedFrame':
      return `refused a ${p.bytes}-byte frame (${p.reason})`;
    case 'badText':
      return `unreadable text frame: ${p.text.slice(0, 80)}`;
    case 'stale':
      return `no frame for ${p.silentMs} ms: reconnecting`;
    case 'socketError':
      return `socket error: ${p.message}`;
    case 'rejected':
      return p.status === 403
        ? 'the ticker refused the access token (403)'
        : `the ticker refused us (${p.status})`;
    case 'listenerError':
      return `a listener failed in ${p.where}: ${errorText(p.error)}`;
  }
}

function feedState(s: TickerPoolState, instruments: number, now: number): FeedState {
  const problems = s.connections.map((c) => c.lastError ?? '').filter((p) => p !== '');
  return {
    state: s.status,
    connections: s.connections.filter((c) => c.status === 'open').length,
    instruments,
    attempt: s.attempt,
    nextAttemptAt: s.nextDelayMs === null ? 0 : now + s.nextDelayMs,
    lastProblem: problems.at(-1) ?? '',
  };
}
