import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { MuxMessage } from '../../shared/rpc/transports/mux';
import { isAllowedHostHeader, isAllowedOrigin, isAuthorized, tokenCookie } from './auth';
import { KITE_CALLBACK_PATH, kiteCallbackDecision, kiteCallbackPage } from './kiteCallback';
import { contentType, resolveStaticPath, securityHeaders } from './staticFiles';

/** Largest WebSocket message accepted; bigger ones close the socket with 1009 (message too big). */
export const MAX_WS_MESSAGE_BYTES = 1 << 20;

/** WebSocket close codes we send. */
export const CLOSE_ENGINE_RESTARTING = 1012;
export const CLOSE_GOING_AWAY = 1001;

export interface WebHostOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** The built renderer. */
  readonly staticRoot: string;
  /** Forwards a connection's message to the engine; false when the engine is not running. */
  readonly toEngine: (message: MuxMessage) => boolean;
  readonly engineReady: () => boolean;
  /** Forwards a login's request_token (from `/kite/callback`) to the engine; false when it is not running. */
  readonly sendRequestToken?: (requestToken: string) => boolean;
  readonly log: (line: string) => void;
}

/**
 * The web-mode HTTP server: serves the renderer and `/rpc`, both behind the token. Each WebSocket is
 * one connection to the engine; its JSON text is passed through untouched (the engine parses and
 * validates it) tagged with a connection number.
 */
export class WebHost {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  private readonly sockets = new Map<number, WebSocket>();
  private nextConn = 1;

  constructor(private readonly options: WebHostOptions) {
    this.server = createServer((req, res) => {
      this.handleHttp(req, res).catch((e: unknown) => {
        options.log(`http error: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.handleUpgrade(req, socket, head);
    });
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : this.options.port);
      });
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.port;
  }

  /** A message from the engine for one connection. */
  fromEngine(message: MuxMessage): void {
    const ws = this.sockets.get(message.conn);
    if (ws === undefined) return;
    if (message.kind === 'data') ws.send(message.data);
    else if (message.kind === 'close') ws.close(1000, message.reason.slice(0, 120));
  }

  /** The engine went away: every connection closes so clients reconnect to the next one. */
  closeAllConnections(code: number, reason: string): void {
    for (const ws of this.sockets.values()) ws.close(code, reason);
    this.sockets.clear();
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    this.closeAllConnections(CLOSE_GOING_AWAY, 'server stopping');
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
  }

  private url(req: IncomingMessage): URL | undefined {
    try {
      return new URL(req.url ?? '/', 'http://host.invalid');
    } catch {
      return undefined;
    }
  }

  private refuse(req: IncomingMessage, url: URL | undefined): number {
    if (!isAllowedHostHeader(req.headers.host, this.options.host, this.port)) return 421;
    if (url === undefined) return 400;
    if (!isAuthorized(url, req.headers.cookie, this.options.token)) return 401;
    return 0;
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = this.url(req);
    // Kite's redirect cannot carry our token: the callback is the one route without it.
    if (
      url?.pathname === KITE_CALLBACK_PATH &&
      isAllowedHostHeader(req.headers.host, this.options.host, this.port)
    ) {
      this.kiteCallback(req, res, url);
      return;
    }
    const status = this.refuse(req, url);
    const headers = securityHeaders();
    if (status !== 0 || url === undefined) {
      res.writeHead(status || 400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(
        status === 401 ? 'ShrivenQ: this URL needs the token printed by `npm run serve`.\n' : 'refused\n',
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStaticPath(url.pathname, this.options.staticRoot);
    let body: Buffer | undefined;
    if (file !== undefined) body = await readFile(file).catch(() => undefined);
    if (file === undefined || body === undefined) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const isPage = file.endsWith('.html');
    res.writeHead(200, {
      ...headers,
      'Content-Type': contentType(file),
      'Content-Length': String(body.length),
      'Cache-Control': isPage ? 'no-store' : 'public, max-age=31536000, immutable',
      ...(url.searchParams.has('token') ? { 'Set-Cookie': tokenCookie(this.options.token) } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** Forwards a well-formed request_token and nothing else; every other request changes nothing. */
  private kiteCallback(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') {
      res.writeHead(405, { ...securityHeaders(), Allow: 'GET' }).end();
      return;
    }
    const decision = kiteCallbackDecision(url.searchParams);
    let status = 400;
    let text = decision.kind === 'refuse' ? decision.reason : '';
    if (decision.kind === 'forward') {
      const sent = this.options.sendRequestToken?.(decision.requestToken) ?? false;
      status = sent ? 200 : 503;
      text = sent
        ? 'Logged in — you can close this tab. ShrivenQ is opening the Kite session.'
        : 'The engine is not running; log in again in a moment.';
    }
    this.options.log(`kite callback: ${status === 200 ? 'request_token forwarded' : text}`);
    const page = kiteCallbackPage(status === 200, text);
    res.writeHead(status, { ...page.headers, 'Content-Length': String(Buffer.byteLength(page.html)) });
    res.end(page.html);
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = this.url(req);
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const status = this.refuse(req, url);
    let refusal: [number, string] | undefined;
    if (status !== 0 || url === undefined)
      refusal = [status || 400, status === 401 ? 'Unauthorized' : 'Refused'];
    else if (url.pathname !== '/rpc') refusal = [404, 'Not Found'];
    else if (!isAllowedOrigin(req.headers.origin, req.headers.host)) refusal = [403, 'Forbidden'];
    else if (!this.options.engineReady()) refusal = [503, 'Engine Starting'];
    if (refusal !== undefined) {
      reject(...refusal);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accept(ws);
    });
  }

  private accept(ws: WebSocket): void {
    const conn = this.nextConn++;
    this.sockets.set(conn, ws);
    if (!this.options.toEngine({ kind: 'open', conn })) {
      this.sockets.delete(conn);
      ws.close(CLOSE_ENGINE_RESTARTING, 'engine restarting');
      return;
    }
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.options.toEngine({ kind: 'data', conn, data: text });
    });
    ws.on('close', () => {
      if (this.sockets.get(conn) === ws) {
        this.sockets.delete(conn);
        this.options.toEngine({ kind: 'close', conn, reason: 'client closed' });
      }
    });
    ws.on('error', (error) => {
      this.options.log(`ws ${conn}: ${error.message}`);
    });
  }
}
