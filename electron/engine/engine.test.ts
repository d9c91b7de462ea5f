import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RpcClient, toService } from '../../shared/rpc/client';
import { createMemoryPortPair } from '../../shared/rpc/transports/memory';
import { sessionService } from '../../shared/services/session';
import { settingsService } from '../../shared/services/settings';
import { systemService } from '../../shared/services/system';
import type { SystemStatus } from '../../shared/services/system';
import { RiskLimitsSchema } from '../../shared/services/risk';
import { Engine } from './engine';
import { parseEngineArgs } from './host/args';
import { judgeHealth } from './system/health';

function connect(engine: Engine, name: string) {
  const [clientPort, enginePort] = createMemoryPortPair('structured');
  engine.connect(enginePort, name);
  const client = new RpcClient(clientPort);
  return {
    client,
    system: toService(client, systemService),
    settings: toService(client, settingsService),
    session: toService(client, sessionService),
  };
}

describe('Engine', () => {
  it('reports what it is', async () => {
    const engine = new Engine({
      mode: 'paper',
      version: '9.9.9',
      host: 'in-process',
      now: () => 1_700_000_000_000,
    });
    const { system } = connect(engine, 'test');
    await expect(system.info()).resolves.toEqual({
      name: 'ShrivenQ',
      version: '9.9.9',
      mode: 'paper',
      startedAt: 1_700_000_000_000,
      pid: process.pid,
      node: process.versions.node,
      host: 'in-process',
    });
    await expect(system.ping({ nonce: 5 })).resolves.toMatchObject({ nonce: 5 });
    engine.dispose();
  });

  it('streams status once a second with the connection count and health', async () => {
    const engine = new Engine({ mode: 'sim', version: '0', host: 'in-process' });
    const a = connect(engine, 'a');
    connect(engine, 'b');
    const status = await new Promise<SystemStatus>((resolve) => {
      a.system.onStatus(resolve);
    });
    expect(status.connections).toBe(2);
    expect(status.rssBytes).toBeGreaterThan(0);
    expect(status.eventLoopLagP99Ms).toBeGreaterThanOrEqual(0);
    expect(['ok', 'degraded', 'failing']).toContain(status.health);
    engine.dispose();
  });

  it('shares settings between clients and refuses a bad patch without changing anything', async () => {
    const engine = new Engine({ mode: 'sim', version: '0', host: 'in-process' });
    const a = connect(engine, 'a');
    const b = connect(engine, 'b');
    const seenByB: unknown[] = [];
    b.settings.onChanged((s) => seenByB.push(s));
    const defaults = {
      theme: 'dark',
      confirmOrders: true,
      density: 'compact',
      mode: 'sim',
      riskLimits: RiskLimitsSchema.parse({}),
      hotkeys: {},
      layouts: { active: 'default', saved: {} },
    };
    await expect(a.settings.get()).resolves.toEqual(defaults);
    await expect(
      (a.settings.set as (p: unknown) => Promise<unknown>)({ theme: 'light', confirmOrders: 'yes' }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(b.settings.get()).resolves.toMatchObject({ theme: 'dark' });
    await a.settings.set({ theme: 'light' });
    await expect.poll(() => seenByB).toEqual([{ ...defaults, theme: 'light' }]);
    engine.dispose();
  });

  it('keeps settings in its database, the started mode as the default, and switches mode at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'engine-settings-'));
    const file = path.join(dir, 'engine.sqlite');
    try {
      const first = new Engine({ mode: 'live', version: '0', host: 'in-process', databaseFile: file });
      const a = connect(first, 'a');
      await expect(a.settings.get()).resolves.toMatchObject({ mode: 'live', theme: 'dark' });
      await expect(a.session.state()).resolves.toMatchObject({ mode: 'live', venue: 'kite' });
      await a.settings.set({ theme: 'light', mode: 'sim' });
      // The session switched to the local exchange (which this test does not start).
      await expect(a.session.state()).resolves.toMatchObject({
        mode: 'sim',
        venue: 'local-exchange',
        state: 'waiting-for-venue',
      });
      first.dispose();
      // A restart keeps what was saved, whatever mode the host starts it with.
      const second = new Engine({ mode: 'paper', version: '0', host: 'in-process', databaseFile: file });
      const b = connect(second, 'b');
      await expect(b.settings.get()).resolves.toMatchObject({ mode: 'sim', theme: 'light' });
      await expect(b.session.state()).resolves.toMatchObject({ mode: 'sim' });
      second.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes every connection when it stops', async () => {
    const engine = new Engine({ mode: 'sim', version: '0', host: 'in-process' });
    const { client, system } = connect(engine, 'a');
    await system.info();
    expect(engine.connectionCount).toBe(1);
    engine.dispose();
    await expect.poll(() => client.isClosed).toBe(true);
    expect(engine.connectionCount).toBe(0);
  });
});

describe('engine args', () => {
  it('default to sim and read --mode', () => {
    expect(parseEngineArgs([])).toEqual({ mode: 'sim' });
    expect(parseEngineArgs(['--mode', 'live'])).toEqual({ mode: 'live' });
    expect(parseEngineArgs(['--mode=paper'])).toEqual({ mode: 'paper' });
    expect(parseEngineArgs(['--db', '/tmp/e.sqlite', '--record-ticks'])).toEqual({
      mode: 'sim',
      database: '/tmp/e.sqlite',
      recordTicks: true,
    });
    expect(() => parseEngineArgs(['--db'])).toThrow(/--db needs a file/);
  });
  it('refuse an unknown mode', () => {
    expect(() => parseEngineArgs(['--mode', 'real'])).toThrow(/sim, paper or live/);
    expect(() => parseEngineArgs(['--mode'])).toThrow(/sim, paper or live/);
  });
});

describe('judgeHealth', () => {
  it('is ok, degraded or failing by event-loop lag and memory', () => {
    expect(judgeHealth({ eventLoopLagP99Ms: 2, rssBytes: 200e6 })).toEqual({ health: 'ok', reasons: [] });
    expect(judgeHealth({ eventLoopLagP99Ms: 80, rssBytes: 200e6 }).health).toBe('degraded');
    expect(judgeHealth({ eventLoopLagP99Ms: 900, rssBytes: 200e6 }).health).toBe('failing');
    const heavy = judgeHealth({ eventLoopLagP99Ms: 1, rssBytes: 5 * 1024 ** 3 });
    expect(heavy.health).toBe('degraded');
    expect(heavy.reasons[0]).toMatch(/GiB/);
  });
});
