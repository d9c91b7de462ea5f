// A minimal client of the engine's RPC (shared/rpc/PROTOCOL.md: JSON text frames over a WebSocket)
// for what the bench sets up before the page loads: instruments by key, and settings.
import WebSocket from 'ws';

export interface RpcConnection {
  call(method: string, params?: unknown): Promise<unknown>;
  close(): void;
}

/** Opens `url` (web mode's ready line's `rpc`) and resolves once it is open. */
export function connectRpc(url: string, timeoutMs = 10_000): Promise<RpcConnection> {
  const ws = new WebSocket(url);
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as {
      type: string;
      id: number | null;
      result?: unknown;
      error?: { code: string; message: string };
    };
    if (frame.id === null) return;
    const w = waiting.get(frame.id);
    if (w === undefined) return;
    waiting.delete(frame.id);
    if (frame.type === 'result') w.resolve(frame.result);
    else w.reject(new Error(`${frame.error?.code ?? frame.type}: ${frame.error?.message ?? ''}`));
  });
  ws.on('close', () => {
    for (const w of waiting.values()) w.reject(new Error('the engine closed the connection'));
    waiting.clear();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no RPC connection to ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({
        call: (method, params) =>
          new Promise((done, fail) => {
            const id = nextId++;
            waiting.set(id, { resolve: done, reject: fail });
            ws.send(
              JSON.stringify({ type: 'request', id, method, ...(params === undefined ? {} : { params }) }),
            );
          }),
        close: () => {
          ws.close();
        },
      });
    });
  });
}
