/**
 * The local exchange's Kite Connect server: REST, the login page, the KiteTicker WebSocket and the
 * simulator-only admin API (`/__sim/`), all on one HTTP port (the "http" part of this adapter).
 * Routing, validation and envelopes live in rest.ts; this file reads requests and writes responses.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { failure, success } from './envelope';
import type { KiteResponse } from './envelope';
import { FaultConfigSchema, FaultInjector, seededRandom } from './faults';
import type { LoseAcksOptions } from './faults';
import { LOGIN_PATH, loginPage, loginRedirect } from './login';
import type { PageResponse } from './login';
import { KITE_RATE_LIMITS, RateLimiter } from './rateLimit';
import type { RateClass, RateWindow } from './rateLimit';
import { handleKiteRequest } from './rest';
import { KiteSession } from './session';
import type { KiteUser } from './session';
import { TickerServer } from './tickerServer';
import type { KiteVenue } from './venue';

/** Largest request body read; Kite's own requests are a few kB. */
export const MAX_BODY_BYTES = 1 << 20;
/** The admin API's path prefix and credential header (its value: the api_secret). */
export const ADMIN_PREFIX = '/__sim/';
export const ADMIN_SECRET_HEADER = 'x-sim-secret';

export interface KiteServerOptions {
  readonly venue: KiteVenue;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Loopback unless told otherwise. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The app's registered redirect URL for the login flow; without one the token is shown on a page. */
  readonly redirectUrl?: string;
  /** The login page submits itself (true) or waits for a click. */
  readonly loginAutoSubmit?: boolean;
  readonly user?: KiteUser;
  /** Wall clock for sessions and rate limits, ms. */
  readonly now?: () => number;
  /** Random source of injected faults; seeded for reproducible runs. */
  readonly random?: () => number;
  /** `--lose-acks`: a standing chance of losing each place / modify / cancel answer (see faults.ts). */
  readonly loseAcks?: LoseAcksOptions;
  readonly newToken?: () => string;
  readonly heartbeatMs?: number;
  readonly rateLimits?: Readonly<Record<RateClass, readonly RateWindow[]>>;
  readonly log?: (line: string) => void;
}

/** 32 random alphanumerics, as Kite's tokens look. */
export function randomToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(32);
  let out = '';
  // 248 is the largest multiple of 62 below 256; the small bias left is irrelevant for a simulator.
  for (const b of bytes) out += alphabet[b % alphabet.length] ?? 'a';
  return out;
}

const StallSchema = z.object({ ms: z.number().int().min(0).max(600_000) });

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function write(res: ServerResponse, r: KiteResponse | PageResponse, head: boolean): void {
  res.writeHead(r.status, { ...r.headers, 'Content-Length': String(Buffer.byteLength(r.body)) });
  res.end(head ? undefined : r.body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The Kite-compatible server of the local exchange. */
export class KiteServer {
  readonly session: KiteSession;
  readonly faults: FaultInjector;
  readonly ticker: TickerServer;
  private readonly server: Server;
  private readonly limiter: RateLimiter;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private lost = 0;

  constructor(private readonly options: KiteServerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.session = new KiteSession({
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      now: this.now,
      newToken: options.newToken ?? randomToken,
      ...(options.user === undefined ? {} : { user: options.user }),
    });
    this.faults = new FaultInjector(options.random ?? seededRandom(1), options.loseAcks);
    this.limiter = new RateLimiter(this.now, options.rateLimits ?? KITE_RATE_LIMITS);
    this.ticker = new TickerServer({
      venue: options.venue,
      session: this.session,
      log: this.log,
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        const tooLarge = e instanceof BodyTooLarge;
        if (!tooLarge) this.log(`http error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (!res.headersSent)
          write(
            res,
            failure(
              tooLarge
                ? { error_type: 'InputException', message: 'Request body too large.' }
                : { error_type: 'GeneralException', message: 'Internal error.' },
              tooLarge ? 413 : 500,
            ),
            false,
          );
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://local.invalid');
      if (url.pathname !== '/') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.ticker.handleUpgrade(req, socket, head, url);
    });
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve(this.port);
      });
    });
  }

  /** How many acknowledgements were lost so far (admin `lostAcks` and `--lose-acks` together). */
  get lostAcks(): number {
    return this.lost;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : (this.options.port ?? 0);
  }

  /** `http://host:port` (REST root, as `new KiteConnect({root})` takes it). */
  get restUrl(): string {
    return `http://${this.hostForUrl()}:${this.port}`;
  }

  /** `ws://host:port/` (as `new KiteTicker({root})` takes it). */
  get wsUrl(): string {
    return `ws://${this.hostForUrl()}:${this.port}/`;
  }

  /** Stops the ticker and the HTTP server, dropping open connections (hung responses included). */
  async close(): Promise<void> {
    this.ticker.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
  }

  private hostForUrl(): string {
    const host = this.options.host ?? '127.0.0.1';
    if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
    return host.includes(':') ? `[${host}]` : host;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local.invalid');
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const body = method === 'GET' || head ? '' : await readBody(req);
    if (url.pathname === LOGIN_PATH) {
      if (method === 'GET' || head) {
        write(
          res,
          loginPage(
            url.searchParams,
            this.session.apiKey,
            this.session.user.user_id,
            this.options.loginAutoSubmit ?? true,
          ),
          head,
        );
      } else if (method === 'POST') {
        write(
          res,
          loginRedirect(new URLSearchParams(body), this.session.apiKey, this.options.redirectUrl, () =>
            this.session.issueRequestToken(),
          ),
          false,
        );
      } else {
        res.writeHead(405, { Allow: 'GET, POST' }).end();
      }
      return;
    }
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      write(
        res,
        this.admin(method, url.pathname.slice(ADMIN_PREFIX.length), body, header(req, ADMIN_SECRET_HEADER)),
        head,
      );
      return;
    }
    const outcome = await handleKiteRequest(
      {
        venue: this.options.venue,
        session: this.session,
        limiter: this.limiter,
        faults: this.faults,
        sleep: (ms) =>
          new Promise((resolve) => {
            setTimeout(resolve, ms);
          }),
      },
      {
        method: head ? 'GET' : method,
        pathname: url.pathname,
        query: url.searchParams,
        headers: { authorization: header(req, 'authorization'), kiteVersion: header(req, 'x-kite-version') },
        body,
      },
    );
    if (outcome.kind === 'respond') {
      write(res, outcome.response, head);
      return;
    }
    this.lost++;
    this.log(
      `lost ack: ${method} ${url.pathname} tag=${outcome.tag ?? '-'} order_id=${outcome.orderId ?? '-'} ` +
        `(${outcome.mode}; ${this.lost} lost so far)`,
    );
    // 'hang': leave the response open; the client's timeout fires. close() drops it.
    if (outcome.mode === 'reset') req.socket.destroy();
  }

  /** The admin API: fault injection and connection faults, for the simulator's operator only. */
  private admin(method: string, path: string, body: string, secret: string | undefined): KiteResponse {
    if (!this.session.isSecret(secret))
      return failure({
        error_type: 'PermissionException',
        message: `Missing or wrong ${ADMIN_SECRET_HEADER}.`,
      });
    let json: unknown = undefined;
    if (body !== '') {
      try {
        json = JSON.parse(body) as unknown;
      } catch {
        return failure({ error_type: 'InputException', message: 'Invalid JSON body.' });
      }
    }
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET faults':
        return success(this.faults.current);
      case 'PUT faults': {
        const parsed = FaultConfigSchema.safeParse(json ?? {});
        if (!parsed.success)
          return failure({ error_type: 'InputException', message: z.prettifyError(parsed.error) });
        this.faults.set(parsed.data);
        this.log(`faults set: ${JSON.stringify(parsed.data)}`);
        return success(parsed.data);
      }
      case 'DELETE faults':
        this.faults.reset();
        return success(this.faults.current);
      case 'POST ws/drop':
        return success({ dropped: this.ticker.dropAll() });
      case 'POST ws/stall': {
        const parsed = StallSchema.safeParse(json ?? {});
        if (!parsed.success)
          return failure({ error_type: 'InputException', message: z.prettifyError(parsed.error) });
        return success({ stalled: this.ticker.stallAll(parsed.data.ms), ms: parsed.data.ms });
      }
      case 'GET status':
        return success({
          connections: this.ticker.connectionCount,
          faults: this.faults.current,
          lostAcks: this.lost,
        });
      default:
        return failure({ error_type: 'GeneralException', message: 'Route not found' }, 404);
    }
  }
}
