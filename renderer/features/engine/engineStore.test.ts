import { describe, expect, it } from 'vitest';
import type { SystemInfo, SystemStatus } from '../../../shared/services/system';
import { createEngineStore, selectIsLive, selectIsStatusLive } from './engineStore';

const info: SystemInfo = {
  name: 'ShrivenQ',
  version: '0.1.0',
  mode: 'sim',
  startedAt: 1_790_000_000_000,
  pid: 4242,
  node: 'v20.20.2',
  host: 'node-child',
};

const status: SystemStatus = {
  at: 1_790_000_005_000,
  uptimeMs: 5000,
  eventLoopLagP99Ms: 1.2,
  eventLoopLagMaxMs: 3.4,
  rssBytes: 100 * 1024 * 1024,
  heapUsedBytes: 20 * 1024 * 1024,
  connections: 1,
  health: 'ok',
  healthReasons: [],
};

describe('engine store', () => {
  it('starts connecting with nothing known', () => {
    const store = createEngineStore({}, () => 7);
    const s = store.getState();
    expect(s.connection).toEqual({ status: 'connecting', attempt: 0, since: 7 });
    expect(s.info).toBeUndefined();
    expect(s.status).toBeUndefined();
    expect(selectIsLive(s)).toBe(false);
    expect(selectIsStatusLive(s)).toBe(false);
  });

  it('is live once connected and a status sample has arrived on this connection', () => {
    const store = createEngineStore();
    store.getState().transportChosen('webSocket');
    store.getState().infoReceived(info);
    store.getState().connectionChanged({ status: 'connected', attempt: 0, since: 1 });
    expect(selectIsLive(store.getState())).toBe(true);
    expect(selectIsStatusLive(store.getState())).toBe(false);
    store.getState().statusReceived(status);
    expect(selectIsStatusLive(store.getState())).toBe(true);
    expect(store.getState().transport).toBe('webSocket');
    expect(store.getState().info).toBe(info);
    expect(store.getState().status).toBe(status);
  });

  it('keeps the last values but marks them stale when the link drops, until a new sample arrives', () => {
    const store = createEngineStore();
    const { connectionChanged, statusReceived, infoReceived } = store.getState();
    connectionChanged({ status: 'connected', attempt: 0, since: 1 });
    statusReceived(status);
    connectionChanged({ status: 'reconnecting', attempt: 1, lastError: 'socket closed (1012)', since: 2 });
    let s = store.getState();
    expect(s.status).toBe(status);
    expect(s.info).toBeUndefined();
    expect(selectIsLive(s)).toBe(false);
    expect(selectIsStatusLive(s)).toBe(false);
    expect(s.connection.lastError).toBe('socket closed (1012)');

    // The restarted engine answers the handshake, the link comes back, but the old sample stays stale.
    const restarted = { ...info, pid: 4343, startedAt: info.startedAt + 60_000 };
    infoReceived(restarted);
    connectionChanged({ status: 'connected', attempt: 0, since: 3 });
    s = store.getState();
    expect(s.info).toBe(restarted);
    expect(selectIsLive(s)).toBe(true);
    expect(selectIsStatusLive(s)).toBe(false);

    const fresh = { ...status, at: status.at + 1000, uptimeMs: 1000 };
    statusReceived(fresh);
    expect(store.getState().status).toBe(fresh);
    expect(selectIsStatusLive(store.getState())).toBe(true);
  });

  it('notifies subscribers only of what changed (atomic selectors stay stable)', () => {
    const store = createEngineStore();
    const seen: unknown[] = [];
    store.subscribe((next, prev) => {
      if (next.info !== prev.info) seen.push('info');
      if (next.status !== prev.status) seen.push('status');
      if (next.connection !== prev.connection) seen.push('connection');
    });
    store.getState().statusReceived(status);
    store.getState().infoReceived(info);
    expect(seen).toEqual(['status', 'info']);
  });

  it('takes a starting snapshot', () => {
    const store = createEngineStore({
      info,
      status,
      statusIsCurrent: true,
      connection: { status: 'connected', attempt: 0, since: 0 },
    });
    expect(selectIsStatusLive(store.getState())).toBe(true);
  });
});
