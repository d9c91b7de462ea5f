/**
 * TEST SUPPORT. Runs the real engine entry (electron/engine/host/main.ts) as its own Node child
 * process, exactly as web mode forks it (child-process IPC, JSON, the mux of connections), so a test
 * can SIGKILL it at any moment and start it again on the same database file.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { RpcClient } from '../../../shared/rpc/client';
import { createPort } from '../../../shared/rpc/port';
import type { PortController } from '../../../shared/rpc/port';
import { isChildReadyMessage, isMuxMessage } from '../../../shared/rpc/transports/mux';
import type { MuxMessage } from '../../../shared/rpc/transports/mux';
import type { VenueEndpoint, VenueMessage } from '../../../shared/venue';

const ENTRY = path.join(__dirname, '..', 'host', 'main.ts');

/** A running engine process. */
export interface EngineProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** A new client connection over the mux (as one WebSocket of web mode would be). */
  connect(): RpcClient;
  /** Tells the engine where the local exchange is. */
  setVenue(endpoint: VenueEndpoint | null): void;
  /** The engine's stderr so far (its log). */
  log(): string;
  /** SIGKILL: no cleanup, no final write. Resolves when it is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

/** Forks the engine with `args` (e.g. `--db FILE`), waits for its ready message (at most `timeoutMs`). */
export async function startEngineProcess(
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<EngineProcess> {
  const child = fork(ENTRY, [...args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-50_000);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const connections = new Map<number, PortController>();
  let nextConn = 1;
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`engine not ready in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.on('message', (message: unknown) => {
      if (isChildReadyMessage(message)) {
        clearTimeout(timer);
        resolve(message.pid);
        return;
      }
      if (!isMuxMessage(message)) return;
      const c = connections.get(message.conn);
      if (c === undefined) return;
      if (message.kind === 'data') c.deliver(message.data);
      else if (message.kind === 'close') {
        connections.delete(message.conn);
        c.closed(message.reason);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`engine exited (${String(code ?? signal)}) before it was ready:\n${stderr}`));
    });
  });
  const pid = await ready;
  child.once('exit', () => {
    for (const c of connections.values()) c.closed('engine exited');
    connections.clear();
  });
  const send = (m: MuxMessage | VenueMessage): void => {
    if (!child.connected) return;
    // A SIGKILLed engine can leave the channel `connected` for a moment while its pipe is gone
    // (EPIPE): the message is lost, as a crash loses it; the caller's request times out or sees
    // the exit.
    try {
      // With a callback, a failed send is reported to it instead of as the child's 'error' event.
      child.send(m, () => undefined);
    } catch {
      // The same, thrown synchronously.
    }
  };
  return {
    child,
    pid,
    connect() {
      const conn = nextConn++;
      const controller = createPort(
        'json',
        (data) => {
          if (typeof data === 'string') send({ kind: 'data', conn, data });
        },
        (reason) => {
          connections.delete(conn);
          send({ kind: 'close', conn, reason });
        },
      );
      connections.set(conn, controller);
      send({ kind: 'open', conn });
      return new RpcClient(controller.port);
    },
    setVenue(endpoint) {
      send({ type: 'venue', endpoint });
    },
    log: () => stderr,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
