import type { ConnectionState } from '../../../shared/rpc/reconnect';
import type { TradingMode } from '../../../shared/services/system';
import { formatIstTime } from '../../../shared/time/ist';
import type { EngineTransportKind } from './engineStore';

// How the engine's vital signs read on screen. Every function returns EM_DASH for a value it
// cannot show (undefined, NaN, negative), never "NaN" or a made-up zero.

/** Shown for a value that is unknown. */
export const EM_DASH = '—';

const KIB = 1024;
const MIB = KIB * 1024;
const GIB = MIB * 1024;

function isShowable(n: number | undefined): n is number {
  return n !== undefined && Number.isFinite(n) && n >= 0;
}

/** Bytes in binary units: `512 B`, `12.3 KiB`, `182.4 MiB`, `1.27 GiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (!isShowable(bytes)) return EM_DASH;
  if (bytes < KIB) return `${Math.round(bytes)} B`;
  if (bytes < MIB) return `${(bytes / KIB).toFixed(1)} KiB`;
  if (bytes < GIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

/**
 * A delay in milliseconds with the precision that matters at its size: `0.4 ms`, `12.3 ms`,
 * `512 ms`, `1.52 s`, `37 s`. At most seven characters below 10,000 s.
 */
export function formatLag(ms: number | undefined): string {
  if (!isShowable(ms)) return EM_DASH;
  if (ms < 99.95) return `${ms.toFixed(1)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 9_995) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms / 1000)} s`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A duration as `HH:MM:SS`, with whole days in front once it passes one: `3d 04:05:06`. */
export function formatUptime(ms: number | undefined): string {
  if (!isShowable(ms)) return EM_DASH;
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const clock = `${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** A whole number as plain digits, without grouping (pids, counts): `12345`. */
export function formatInteger(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return EM_DASH;
  return String(Math.trunc(n));
}

/** The trading mode as the status bar and badge show it. */
export function formatMode(mode: TradingMode | undefined): string {
  if (mode === undefined) return EM_DASH;
  return MODE_LABELS[mode];
}

const MODE_LABELS: Readonly<Record<TradingMode, string>> = { sim: 'SIM', paper: 'PAPER', live: 'LIVE' };

/** The link's state in one word; the status bar's `engine-status` text. */
export function formatConnectionStatus(status: ConnectionState['status']): string {
  switch (status) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'closed':
      return 'Disconnected';
  }
}

/** What went wrong, while not connected: `attempt 3 · socket closed (1006)`; empty when connected. */
export function formatConnectionProblem(connection: ConnectionState): string {
  if (connection.status === 'connected') return '';
  const parts: string[] = [];
  if (connection.attempt > 0) parts.push(`attempt ${connection.attempt}`);
  if (connection.lastError !== undefined && connection.lastError !== '') parts.push(connection.lastError);
  return parts.join(' · ');
}

const TRANSPORT_NAMES: Readonly<Record<EngineTransportKind, string>> = {
  messagePort: 'MessagePort',
  webSocket: 'WebSocket',
};

/** The transport by name: `WebSocket`, `MessagePort`. */
export function formatTransport(kind: EngineTransportKind | undefined): string {
  return kind === undefined ? EM_DASH : TRANSPORT_NAMES[kind];
}

/** A multi-line tooltip for the link: transport, state, since when (IST), attempts, last error. */
export function formatConnectionTooltip(
  connection: ConnectionState,
  transport: EngineTransportKind | undefined,
): string {
  const lines = [
    `Engine link: ${formatTransport(transport)}`,
    `${formatConnectionStatus(connection.status)} since ${formatIstTime(connection.since)} IST`,
  ];
  if (connection.status !== 'connected') {
    if (connection.attempt > 0) lines.push(`Failed attempts: ${connection.attempt}`);
    if (connection.lastError !== undefined) lines.push(`Last error: ${connection.lastError}`);
  }
  return lines.join('\n');
}
