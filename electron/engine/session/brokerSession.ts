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
import type { VenueEndpoint } from '../../../shared/venue';
import { BrokerError } from '../broker/errors';
import type { BrokerInstrument } from '../broker/types';
import { KiteRest } from '../broker/kite/http';
import { KiteTickerPool } from '../broker/kite/tickerPool';
import type { TickerPoolState } from '../broker/kite/tickerPool';
import { NSE_SESSION } from '../market/bars';
import type { SessionHours } from '../market/bars';
import type { Instrument, InstrumentType } from '../market/instruments';
import type { InstrumentStore } from '../market/instrumentsStore';
import type { HistorySource, MarketData } from '../market/marketData';

export interface BrokerSessionOptions {
  readonly mode: TradingMode;
  readonly market: MarketData;
  readonly instruments: InstrumentStore;
  /** Builds the history source for a logged-in REST client (chunked and cached). */
  readonly history: (rest: KiteRest) => HistorySource;
  readonly now: () => number;
  readonly log: (line: string) => void;
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

/** A broker dump row as the instrument store keeps it. */
export function storeInstrument(b: BrokerInstrument): Instrument | undefined {
  const type = b.instrumentType;
  if (type !== 'EQ' && type !== 'FUT' && type !== 'CE' && type !== 'PE') return undefined;
  return {
    instrumentToken: b.instrumentToken,
    exchangeToken: b.exchangeToken,
    tradingSymbol: b.tradingsymbol,
    name: b.name,
    lastPrice: b.lastPrice,
    expiry: b.expiry ?? '',
    strike: b.strike,
    tickSize: b.tickSize,
    lotSize: b.lotSize,
    instrumentType: type satisfies InstrumentType,
    segment: b.segment,
    exchange: b.exchange,
    priceDivisor: b.divisor,
    freezeQuantity: null,
  };
}

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
  private stateValue: SessionState;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private endpoint: VenueEndpoint | null = null;
  private rest: KiteRest | undefined;
  private pool: KiteTickerPool | undefined;
  private poolState: Disposable | undefined;
  /** Bumped on every venue change and logout, so a login that finishes late is dropped. */
  private generation = 0;
  private disposed = false;

  constructor(options: BrokerSessionOptions) {
    this.options = options;
    const loaded = options.instruments.loaded;
    this.stateValue = {
      mode: options.mode,
      venue: options.mode === 'sim' ? 'local-exchange' : 'kite',
      state: options.mode === 'sim' ? 'waiting-for-venue' : 'logged-out',
      userId: '',
      userName: '',
      loginUrl: '',
      message:
        options.mode === 'sim'
          ? 'Waiting for the local exchange to start'
          : 'Kite login needs the API key and secret in settings (not available yet)',
      instruments: loaded?.rowCount ?? 0,
      instrumentsDate: loaded?.tradingDate ?? '',
      feed: IDLE_FEED,
    };
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
    if (this.disposed || this.options.mode !== 'sim') return;
    this.endpoint = endpoint;
    this.stop();
    if (endpoint === null) {
      this.set({ state: 'waiting-for-venue', message: 'The local exchange is restarting', feed: IDLE_FEED });
      return;
    }
    this.set({ loginUrl: `${endpoint.rest}/connect/login?api_key=${endpoint.apiKey}&v=3` });
    void this.login().catch(() => undefined);
  }

  /** Logs in to the venue (sim: by itself; a request token from a login window otherwise). */
  async login(requestToken?: string): Promise<SessionState> {
    const endpoint = this.endpoint;
    if (this.options.mode !== 'sim') {
      this.set({
        state: 'failed',
        message: 'Kite login needs the API key and secret in settings (not available yet)',
      });
      return this.stateValue;
    }
    if (endpoint === null) return this.stateValue;
    const generation = ++this.generation;
    this.stop();
    this.set({ state: 'logging-in', message: 'Logging in to the local exchange' });
    try {
      const rest = new KiteRest({ apiKey: endpoint.apiKey, root: endpoint.rest });
      const token = requestToken ?? (await localExchangeRequestToken(endpoint));
      const session = await rest.generateSession(token, endpoint.apiSecret);
      if (generation !== this.generation) return this.stateValue;
      const date = formatIstDate(this.options.now());
      const store = this.options.instruments;
      if (store.loaded?.tradingDate !== date || store.loaded.rowCount === 0) {
        const dump = await rest.instruments();
        if (generation !== this.generation) return this.stateValue;
        const rows: Instrument[] = [];
        for (const b of dump.instruments) {
          const i = storeInstrument(b);
          if (i !== undefined) rows.push(i);
        }
        store.replaceDay(date, rows);
        if (dump.rejected.length > 0) this.options.log(`instruments: ${dump.rejected.length} rows refused`);
      }
      const pool = new KiteTickerPool({
        root: endpoint.ws,
        apiKey: endpoint.apiKey,
        accessToken: session.accessToken,
        board: this.options.market.board,
        onTick: this.options.market.onTick,
        log: this.options.log,
      });
      this.rest = rest;
      this.pool = pool;
      this.poolState = pool.onState((s) => {
        this.set({ feed: feedState(s, pool.size, this.options.now()) });
      });
      this.options.market.attach({
        store,
        pool,
        history: this.options.history(rest),
        session: endpoint.marketHours ? NSE_SESSION : ALL_DAY,
      });
      this.set({
        state: 'logged-in',
        userId: session.userId,
        userName: session.userName,
        message: '',
        instruments: store.loaded?.rowCount ?? 0,
        instrumentsDate: store.loaded?.tradingDate ?? '',
      });
      this.options.log(`logged in to the local exchange as ${session.userId}`);
    } catch (e) {
      if (generation !== this.generation) return this.stateValue;
      const message = e instanceof Error ? e.message : String(e);
      this.options.log(`login failed: ${message}`);
      this.set({ state: 'failed', message: `Login failed: ${message}` });
    }
    return this.stateValue;
  }

  /** Ends the broker session and stops the feed. */
  async logout(): Promise<SessionState> {
    this.generation++;
    const rest = this.rest;
    this.stop();
    if (rest !== undefined) await rest.invalidateAccessToken().catch(() => undefined);
    this.set({ state: 'logged-out', userId: '', userName: '', message: 'Logged out', feed: IDLE_FEED });
    return this.stateValue;
  }

  private stop(): void {
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
