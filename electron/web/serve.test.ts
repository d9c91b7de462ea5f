// Web mode as a whole, as real processes: `serve.ts` forks the real engine, over real sockets.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RpcClient, toService } from '../../shared/rpc/client';
import { openWebSocketPort } from '../../shared/rpc/transports/webSocket';
import { systemService } from '../../shared/services/system';
import { settingsService } from '../../shared/services/settings';
import { startWebMode } from '../../e2e/webMode';
import type { WebMode } from '../../e2e/webMode';

let web: WebMode;

beforeAll(async () => {
  web = await startWebMode();
}, 120_000);

afterAll(async () => {
  await web.stop();
});

async function connect(url = web.rpc) {
  const client = new RpcClient(await openWebSocketPort(new WebSocket(url)));
  return { client, system: toService(client, systemService), settings: toService(client, settingsService) };
}

/** Opens a WebSocket and reports the HTTP status it was refused with (or 101 if it opened). */
async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve) => {
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', () => undefined);
  });
}

describe('web mode', () => {
  it('prints a ready line with a loopback URL and token', () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    expect(web.rpc).toBe(web.url.replace('http://', 'ws://').replace('/?', '/rpc?'));
  });

  it('refuses pages and sockets without the token or with a wrong one', async () => {
    expect((await fetch(`${web.origin}/`)).status).toBe(401);
    expect((await fetch(`${web.origin}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${web.origin}/index.html`)).status).toBe(401);
    expect(await upgradeStatus(`${web.origin.replace('http', 'ws')}/rpc`)).toBe(401);
    expect(await upgradeStatus(`${web.origin.replace('http', 'ws')}/rpc?token=${web.token}x`)).toBe(401);
    expect(await upgradeStatus(web.rpc, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(web.rpc)).toBe(101);
  });

  it('serves the page with the token, cross-origin isolated, and hands the token on as a cookie', async () => {
    const res = await fetch(web.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    const again = await fetch(`${web.origin}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(again.status).toBe(200);
    expect((await fetch(`${web.origin}/..%2f..%2fpackage.json?token=${web.token}`)).status).toBe(404);
  });

  it('serves the engine over /rpc', async () => {
    const { system, settings, client } = await connect();
    const info = await system.info();
    expect(info).toMatchObject({ name: 'ShrivenQ', mode: 'sim', host: 'node-child' });
    const status = await new Promise((resolve) => {
      const sub = system.onStatus((s) => {
        sub.dispose();
        resolve(s);
      });
    });
    expect(status).toMatchObject({ health: expect.any(String), connections: expect.any(Number) });
    await expect(settings.set({ confirmOrders: false })).resolves.toMatchObject({ confirmOrders: false });
    client.dispose();
  });

  it('answers malformed requests with typed errors or a closed socket and keeps serving others', async () => {
    const good = await connect();
    const bad = new WebSocket(web.rpc);
    await once(bad, 'open');
    const answers: { id: number | null; error?: { code: string } }[] = [];
    bad.on('message', (d) =>
      answers.push(JSON.parse((d as Buffer).toString('utf8')) as (typeof answers)[number]),
    );
    bad.send('{{{');
    bad.send(JSON.stringify({ type: 'request', id: 5, method: 'system.nothing' }));
    bad.send(JSON.stringify({ type: 'request', id: 6, method: 'settings.set', params: { theme: 7 } }));
    bad.send(JSON.stringify({ type: 'request', id: 7, method: 'system.ping', params: { nonce: 'x' } }));
    await expect.poll(() => answers.length).toBe(4);
    const byId = new Map(answers.map((a) => [a.id, a.error?.code]));
    expect(byId).toEqual(
      new Map([
        [null, 'BAD_FRAME'],
        [5, 'UNKNOWN_METHOD'],
        [6, 'INVALID_PARAMS'],
        [7, 'INVALID_PARAMS'],
      ]),
    );
    const closed = once(bad, 'close');
    bad.send(Buffer.alloc(10 * 1024 * 1024, 0x61).toString());
    expect(((await closed) as [number])[0]).toBe(1009);
    // The settings were not changed by the bad patch, and the other client is served.
    await expect(good.settings.get()).resolves.toMatchObject({ theme: 'dark' });
    await expect(good.system.ping({ nonce: 7 })).resolves.toMatchObject({ nonce: 7 });
    good.client.dispose();
  });

  it('restarts the engine after SIGKILL and serves again within 10 s', async () => {
    const first = await connect();
    const { pid } = await first.system.info();
    const closed = new Promise<string>((resolve) => first.client.onClose(resolve));
    process.kill(pid, 'SIGKILL');
    expect(await closed).toContain('1012');
    const killedAt = Date.now();
    let info;
    while (info === undefined && Date.now() - killedAt < 10_000) {
      try {
        const again = await connect();
        info = await again.system.info();
        again.client.dispose();
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(info?.pid).toBeDefined();
    expect(info?.pid).not.toBe(pid);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
  });
});

describe('web mode shutdown', () => {
  it('stops the engine and exits 0 on SIGTERM', async () => {
    const other = await startWebMode();
    const { system, client } = await connect(other.rpc);
    const { pid } = await system.info();
    client.dispose();
    expect(await other.stop()).toBe(0);
    const alive = (() => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    })();
    expect(alive).toBe(false);
    // Nothing of it is left listening.
    expect(() => execFileSync('kill', ['-0', String(other.process.pid)], { stdio: 'ignore' })).toThrow();
  });
});
