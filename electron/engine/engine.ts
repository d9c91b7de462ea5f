import { DisposableStore } from '../../shared/disposable';
import type { Disposable } from '../../shared/disposable';
import { MemoryRegistry } from '../../native/memoryStats';
import type { Port } from '../../shared/rpc/port';
import { fromService, serveConnection } from '../../shared/rpc/server';
import type { ServiceChannel } from '../../shared/rpc/server';
import { settingsService } from '../../shared/services/settings';
import { systemService } from '../../shared/services/system';
import type { SystemInfo, TradingMode } from '../../shared/services/system';
import { marketService } from '../../shared/services/market';
import { sessionService } from '../../shared/services/session';
import { ordersService } from '../../shared/services/orders';
import { portfolioService } from '../../shared/services/portfolio';
import { riskService } from '../../shared/services/risk';
import { algosService } from '../../shared/services/algos';
import { createAlgosService } from './algos/services';
import { createOrdersService, createPortfolioService, createRiskService } from './oms/services';
import { Trading } from './oms/trading';
import { PaperBroker } from './paper';
import type { KiteCredentials, VenueEndpoint } from '../../shared/venue';
import type { KiteRest } from './broker/kite/http';
import { FrameRecorder } from './market/frameRecorder';
import { HistoryService } from './market/history';
import { MarketData } from './market/marketData';
import type { HistorySource } from './market/marketData';
import { InstrumentStore } from './market/instrumentsStore';
import { BrokerSession } from './session/brokerSession';
import { SqliteTokenCache } from './session/tokenCache';
import type { KiteRoots } from './session/brokerSession';
import { createSettingsService, parseLeniently } from './settings/settingsService';
import { ENGINE_SYNCHRONOUS, openEngineDatabase } from './store';
import type { EngineDatabase } from './store';
import { createSystemService } from './system/systemService';

export interface EngineOptions {
  readonly mode: TradingMode;
  readonly version: string;
  readonly host: SystemInfo['host'];
  readonly now?: () => number;
  /** Told about every unreadable frame a client sends. */
  readonly log?: (line: string) => void;
  /**
   * The engine's SQLite database (instruments, later the order journal). Without one there is no
   * market data: the `market` and `session` services answer but stay logged out.
   */
  readonly databaseFile?: string;
  /** History for a logged-in REST client (default: one request per call, in Kite's intervals). */
  readonly history?: (rest: KiteRest) => HistorySource;
  /** Where Kite is in paper and live mode (tests point it at the local exchange). */
  readonly kiteRoots?: KiteRoots;
  /** Record every raw ticker frame into the database for replay (`--record-ticks`). */
  readonly recordTicks?: boolean;
  /** The OMS's order book poll while orders work (default 1 s) and its grace for UNKNOWN orders (5 s). */
  readonly orderPollMs?: number;
  readonly unknownGraceMs?: number;
  /** The stale-feed breaker: no fresh market data this long on an instrument with working orders (default 15 s). */
  readonly staleFeedMs?: number;
}

/**
 * The trading engine: its services and the connections it serves. Knows nothing of how it is hosted;
 * a host hands it one Port per client (a window, a script).
 */
export class Engine implements Disposable {
  private readonly store = new DisposableStore();
  private channels: readonly ServiceChannel[];
  private readonly connections = new Set<Port>();
  private readonly log: (line: string) => void;
  /** The engine's native memory structures; whatever creates a pool or ring registers it here. */
  readonly memory = new MemoryRegistry();
  private readonly database: EngineDatabase | undefined;
  private readonly market: MarketData | undefined;
  private readonly session: BrokerSession | undefined;
  /** The OMS, risk and the journal (with a database). */
  readonly trading: Trading | undefined;

  constructor(options: EngineOptions) {
    const now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    const info: SystemInfo = {
      name: 'ShrivenQ',
      version: options.version,
      mode: options.mode,
      startedAt: now(),
      pid: process.pid,
      node: process.versions.node,
      host: options.host,
    };
    const system = this.store.add(
      createSystemService({
        info,
        now,
        connections: () => this.connections.size,
        memory: () => {
          const snapshot = this.memory.snapshot(now);
          return { ...snapshot, structures: [...snapshot.structures] };
        },
      }),
    );
    const database =
      options.databaseFile === undefined
        ? undefined
        : openEngineDatabase({
            file: options.databaseFile,
            now,
            synchronous: ENGINE_SYNCHRONOUS,
            autoCheckpoint: false,
          });
    this.database = database;
    // Settings live in the engine database; the mode the engine was started with is the default.
    const stored = database?.sql.prepare('SELECT json FROM settings WHERE id = 1').get() as
      { json: string } | undefined;
    const initial = parseLeniently({
      mode: options.mode,
      ...(stored === undefined ? {} : (JSON.parse(stored.json) as object)),
    });
    const settings = createSettingsService(initial, (next) => {
      database?.sql
        .prepare(
          `INSERT INTO settings (id, json, saved_at) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET json = excluded.json, saved_at = excluded.saved_at`,
        )
        .run(JSON.stringify(next), now());
    });
    this.channels = [fromService(systemService, system), fromService(settingsService, settings)];
    if (database !== undefined) {
      this.store.add({
        dispose: () => {
          database.close();
        },
      });
      const market = this.store.add(new MarketData({ now, log: this.log }));
      this.market = market;
      this.store.add(this.memory.register('quotes', market.board));
      const recorder =
        options.recordTicks === true ? this.store.add(new FrameRecorder({ db: database })) : undefined;
      const session = this.store.add(
        new BrokerSession({
          mode: initial.mode,
          market,
          instruments: InstrumentStore.open(database, { now }),
          history:
            options.history ??
            ((rest) => {
              // Chunked to Kite's spans, paced, and cached in the engine's database.
              const history = new HistoryService({
                fetch: (token, interval, from, to, o) => rest.historical(token, interval, from, to, o),
                db: database,
                now,
              });
              return (token, interval, from, to) => history.candles(token, interval, from, to);
            }),
          tokens: new SqliteTokenCache(database, now),
          ...(recorder === undefined
            ? {}
            : {
                onFrame: (frame: Uint8Array, at: number) => {
                  recorder.record(frame, at);
                },
              }),
          ...(options.kiteRoots === undefined ? {} : { kite: options.kiteRoots }),
          now,
          log: this.log,
        }),
      );
      this.session = session;
      this.store.add(
        settings.onChanged((s) => {
          session.setMode(s.mode);
        }),
      );
      const trading = this.store.add(
        new Trading({
          database,
          market,
          onConnection: (listener) => session.onConnection(listener),
          settings: {
            get: () => settings.get(),
            set: (patch) => settings.set(patch),
            onChanged: (listener) => settings.onChanged(listener),
          },
          initialLimits: initial.riskLimits,
          // Paper mode: Kite's prices, fills simulated against the live book, the book in this database.
          paperVenue: () =>
            new PaperBroker({
              db: database,
              market: {
                quote: (token) => market.quote(token),
                depth: (token) => market.depth(token),
                onUpdate: (token, listener) => market.watch(token, listener),
              },
              now,
              log: this.log,
            }),
          now,
          log: this.log,
          ...(options.orderPollMs === undefined ? {} : { pollMs: options.orderPollMs }),
          ...(options.unknownGraceMs === undefined ? {} : { unknownGraceMs: options.unknownGraceMs }),
          ...(options.staleFeedMs === undefined ? {} : { staleFeedMs: options.staleFeedMs }),
        }),
      );
      this.trading = trading;
      // The WAL is checkpointed when the order path is quiet, never inside a commit of it
      // (reliability.md 3): SQLite's automatic checkpoint (off here) would land on whichever commit
      // crosses 1000 pages, an order's included.
      let lastCheckpoint = now();
      const checkpoints = setInterval(() => {
        // Quiet for half a second, or (under a steady flow of orders) half a minute since the last.
        if (now() - trading.oms.lastWriteAt < 500 && now() - lastCheckpoint < 30_000) return;
        lastCheckpoint = now();
        try {
          // Restarts the WAL too, so the next order's commit does not pay its header's fsync.
          database.idleCheckpoint();
        } catch (e) {
          this.log(`checkpoint: ${e instanceof Error ? e.message : String(e)}`);
        }
      }, 2_000);
      checkpoints.unref();
      this.store.add({
        dispose: () => {
          clearInterval(checkpoints);
        },
      });
      const portfolio = this.store.add(createPortfolioService(trading.oms, now));
      this.channels = [
        ...this.channels,
        fromService(sessionService, session.service()),
        fromService(ordersService, createOrdersService(trading.oms)),
        fromService(portfolioService, portfolio),
        fromService(riskService, createRiskService(trading)),
        fromService(algosService, createAlgosService(trading.algos, trading.router)),
      ];
    }
  }

  /** The host says where the local exchange is (sim mode), or that it is gone. */
  setVenue(endpoint: VenueEndpoint | null): void {
    this.session?.setVenue(endpoint);
  }

  /** The host gives the Kite app's credentials (paper and live mode). */
  setCredentials(credentials: KiteCredentials | null): void {
    this.session?.setCredentials(credentials);
  }

  /** The host caught a login's request_token (the login window, web mode's callback). */
  loginWithRequestToken(requestToken: string): void {
    void this.session?.login(requestToken);
  }

  /** Serves the engine's services on `port` until it closes. */
  connect(port: Port, client: string): void {
    if (this.store.isDisposed) {
      port.close('engine stopping');
      return;
    }
    this.connections.add(port);
    // The market service keeps what each connection subscribed, released when it closes.
    const market = this.market?.service();
    const channels =
      market === undefined ? this.channels : [...this.channels, fromService(marketService, market)];
    const served = serveConnection(port, channels, {
      onBadFrame: (error) => {
        this.log(`refused a frame from ${client}: ${error.code} ${error.message}`);
      },
    });
    port.onClose(() => {
      this.connections.delete(port);
      served.dispose();
      market?.dispose();
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  dispose(): void {
    for (const port of [...this.connections]) port.close('engine stopping');
    this.store.dispose();
  }
}
