// The app itself, through Playwright's Electron driver: runs where an Electron binary exists and
// reports a skip where it does not (machines without internet cannot fetch one).
//
// It launches the unpackaged build in .vite/ (the fused package refuses --inspect, which Playwright
// needs): build it first with `npx electron-forge package` (or keep `npm start`'s .vite/ around).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';

const repoRoot = path.resolve(__dirname, '..', '..');

function forgeCli(): string {
  return path.join(
    path.dirname(createRequire(__filename).resolve('@electron-forge/cli/package.json')),
    'dist',
    'electron-forge.js',
  );
}

/**
 * The binary `require('electron')` would return, found without calling it: from Electron 42 on,
 * requiring the package starts a download when the binary is missing, which cannot succeed here.
 * Same lookup as node_modules/electron/index.js: path.txt names the file under dist/.
 */
function electronBinary(): string | undefined {
  const packageDir = path.dirname(createRequire(__filename).resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate =
    override !== undefined && override !== ''
      ? path.join(override, relative ?? 'electron')
      : relative !== undefined
        ? path.join(packageDir, 'dist', relative)
        : undefined;
  return candidate !== undefined && fs.existsSync(candidate) ? candidate : undefined;
}

const binary = electronBinary();
const SKIP_REASON =
  'No Electron binary on this machine: the electron npm package downloads it on first launch, which needs internet. Run on a machine with one.';
if (binary === undefined && process.env.TEST_WORKER_INDEX === undefined) {
  // Said once, by the runner, so a skipped suite is never mistaken for a passing one.
  console.log(`electron e2e: SKIPPED. ${SKIP_REASON}`);
}

test.describe('ShrivenQ in Electron', () => {
  test.skip(binary === undefined, SKIP_REASON);
  // One app for the whole file; the navigation test goes last because a failure would leave the page.
  test.describe.configure({ mode: 'serial' });

  let launched: { app: ElectronApplication; page: Page } | undefined;
  const running = (): { app: ElectronApplication; page: Page } => {
    if (launched === undefined) throw new Error('the app did not start (see beforeAll)');
    return launched;
  };

  test.beforeAll(async () => {
    if (binary === undefined) return;
    test.setTimeout(300_000); // packaging, when .vite/build is missing, takes a few minutes
    const main = path.join(repoRoot, '.vite', 'build', 'main.js');
    if (!fs.existsSync(main)) {
      // Packaging leaves the unfused bundles in .vite/build, which is what Playwright can drive.
      execFileSync(process.execPath, [forgeCli(), 'package'], { cwd: repoRoot, stdio: 'inherit' });
    }
    const app = await electron.launch({ executablePath: binary, args: [repoRoot], cwd: repoRoot });
    const page = await app.firstWindow();
    launched = { app, page };
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await launched?.app.close();
  });

  test('loads our page from app://terminal and shows the engine connected', async () => {
    const { page } = running();
    // (Node's URL gives app: an opaque origin, so compare the text.)
    expect(page.url()).toMatch(/^app:\/\/terminal\//);
    await expect(page.getByTestId('engine-status')).toHaveText('Connected', { timeout: 30_000 });
  });

  test('gives the page no Node: require, process and module are undefined', async () => {
    const { page } = running();
    expect(await page.evaluate(() => [typeof require, typeof process, typeof module])).toEqual([
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  test('exposes only window.shrivenq with appInfo and its methods, frozen', async () => {
    const { page } = running();
    const bridge = await page.evaluate(() => {
      const api = (window as unknown as { shrivenq?: object }).shrivenq;
      return api === undefined ? undefined : { keys: Object.keys(api).sort(), frozen: Object.isFrozen(api) };
    });
    expect(bridge).toEqual({
      keys: [
        'appInfo',
        'kiteCredentialsState',
        'openKiteLogin',
        'popOut',
        'requestEnginePort',
        'setKiteCredentials',
      ],
      frozen: true,
    });
  });

  test('is cross-origin isolated and enforces its CSP on an injected inline script', async () => {
    const { page } = running();
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const violated = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => {
            resolve(e.effectiveDirective);
          });
          const script = document.createElement('script');
          script.textContent = 'window.__injected = true';
          document.head.append(script);
        }),
    );
    expect(violated).toMatch(/^script-src/);
    expect(await page.evaluate(() => 'injected' in window || '__injected' in window)).toBe(false);
  });

  test('window.open returns null and opens no window', async () => {
    const { app, page } = running();
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });

  // Skipped with the suite where no Electron binary exists (SKIP_REASON above); main's side of it
  // runs everywhere in electron/main/startMain.test.ts ('startMain: pop-out windows').
  test('the chart pops out into a window of its own, on our origin, with its own engine port', async () => {
    const { app, page } = running();
    await expect(page.getByTestId('engine-status')).toHaveText('Connected', { timeout: 30_000 });
    const opened = app.waitForEvent('window');
    await page.getByTestId('dock-popout-chart').click();
    const popped = await opened;
    await popped.waitForLoadState('domcontentloaded');
    expect(new URL(popped.url()).origin).toBe(new URL(page.url()).origin);
    expect(new URL(popped.url()).searchParams.get('panel')).toBe('chart');
    await expect(popped.getByTestId('chart')).toBeVisible({ timeout: 30_000 });
    await expect(popped.getByTestId('engine-status')).toHaveText('Connected', { timeout: 30_000 });
    // Asked again, the same window comes to the front: still two windows.
    await page.getByTestId('dock-popout-chart').click();
    await page.waitForTimeout(500);
    expect(app.windows()).toHaveLength(2);
    await popped.close();
    expect(app.windows()).toHaveLength(1);
  });

  test('Notification.requestPermission() resolves denied', async () => {
    const { page } = running();
    expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
  });

  test('a restarted engine hands the window a new port, unasked, and it reconnects', async () => {
    const { app, page } = running();
    await expect(page.getByTestId('engine-status')).toHaveText('Connected', { timeout: 30_000 });
    // Watch what the preload forwards into the page from now on.
    await page.evaluate(() => {
      const seen: { ports: number; states: string[] } = { ports: 0, states: [] };
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      window.addEventListener(
        'message',
        (event: MessageEvent<{ type?: string; status?: { name: string; state: string } }>) => {
          if (event.source !== window) return;
          if (event.data.type === 'shrivenq:engine-port') seen.ports += 1;
          if (event.data.type === 'shrivenq:process-status' && event.data.status?.name === 'engine') {
            seen.states.push(event.data.status.state);
          }
        },
      );
    });
    const enginePid = () =>
      app.evaluate(({ app: a }) => a.getAppMetrics().find((p) => p.name === 'ShrivenQ Engine')?.pid);
    const before = await enginePid();
    expect(before).toBeDefined();
    process.kill(before ?? 0, 'SIGKILL');

    const seen = () =>
      page.evaluate(() => (window as unknown as { __seen: { ports: number; states: string[] } }).__seen);
    await expect.poll(async () => (await seen()).ports, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await seen()).states).toContain('restarting');
    await expect.poll(enginePid, { timeout: 30_000 }).not.toBe(before);
    await expect(page.getByTestId('engine-status')).toHaveText('Connected', { timeout: 30_000 });
    // The status bar remembers the crash quietly.
    await expect(page.getByTestId('process-engine')).toContainText('↻1', { timeout: 10_000 });
  });

  test('navigation to another origin is blocked', async () => {
    const { app, page } = running();
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    // Give a navigation time to commit, then check it did not.
    await page.waitForTimeout(1_000);
    expect(page.url()).toBe(before);
    const mainSees = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.webContents.getURL(),
    );
    expect(mainSees).toBe(before);
  });
});
