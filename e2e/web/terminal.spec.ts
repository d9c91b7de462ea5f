import type { ConsoleMessage } from '@playwright/test';
import { WebSocket } from 'ws';
import { RpcClient, toService } from '../../shared/rpc/client';
import { openWebSocketPort } from '../../shared/rpc/transports/webSocket';
import { systemService } from '../../shared/services/system';
import { expect, test } from './fixtures';

async function enginePid(rpc: string): Promise<number> {
  const client = new RpcClient(await openWebSocketPort(new WebSocket(rpc)));
  try {
    return (await toService(client, systemService).info()).pid;
  } finally {
    client.dispose();
  }
}

test('web mode is ready within 30 s and the page shows the engine connected', async ({ page, web }) => {
  expect(web.readyMs).toBeLessThan(30_000);
  const problems: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });

  await page.goto(web.url);
  await expect(page.getByTestId('engine-status')).toHaveText('Connected');
  await expect(page.getByTestId('engine-mode')).toHaveText('SIM');
  await expect(page.getByTestId('ist-clock')).toHaveText(/^\d{2}:\d{2}:\d{2} IST$/);
  await expect(page.getByTestId('event-loop-lag')).toContainText('ms');
  // The page is cross-origin isolated (SharedArrayBuffer is available to the renderer's workers).
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  // The IST clock moves.
  const first = await page.getByTestId('ist-clock').textContent();
  await expect(page.getByTestId('ist-clock')).not.toHaveText(first ?? '', { timeout: 3000 });
  expect(problems).toEqual([]);
  // The strict CSP (script-src 'self', no eval, no inline) holds for the whole page.
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual(
    [],
  );
});

test('the page reconnects by itself after the engine is killed, without a reload', async ({ page, web }) => {
  await page.goto(web.url);
  await expect(page.getByTestId('engine-status')).toHaveText('Connected');
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  const pid = await enginePid(web.rpc);

  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  await expect(page.getByTestId('engine-status')).toHaveText(/Reconnecting|Connecting/, { timeout: 5000 });
  await expect(page.getByTestId('engine-status')).toHaveText('Connected', { timeout: 10_000 });
  expect(Date.now() - killedAt).toBeLessThan(10_000);

  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  expect(await enginePid(web.rpc)).not.toBe(pid);
});

test('the page is refused without the token or with a wrong one', async ({ page, web }) => {
  const without = await page.goto(web.origin + '/');
  expect(without?.status()).toBe(401);
  const wrongToken = web.token.slice(0, -1) + (web.token.endsWith('A') ? 'B' : 'A');
  const wrong = await page.goto(`${web.origin}/?token=${wrongToken}`);
  expect(wrong?.status()).toBe(401);
});
