// Web mode's Kite login: credentials from the environment or a private file, and the open
// /kite/callback route that forwards a well-formed request_token and does nothing else.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebMode } from '../../e2e/webMode';
import { parseServeArgs } from './args';
import { newToken } from './auth';
import { kiteCallbackDecision } from './kiteCallback';
import { credentialsFromEnv, fileModeProblem, loadKiteCredentials } from './kiteCredentials';
import { WebHost } from './server';

const CREDENTIALS = { apiKey: 'abcdef12', apiSecret: 'TopSecret999' };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shrivenq-web-kite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('web mode: Kite credentials', () => {
  it('reads --kite-credentials', () => {
    expect(parseServeArgs(['--kite-credentials', '/home/t/kite.json'])).toMatchObject({
      kiteCredentials: '/home/t/kite.json',
    });
    expect(() => parseServeArgs(['--kite-credentials'])).toThrow(/--kite-credentials needs a value/);
  });

  it('takes both environment variables or neither', () => {
    expect(credentialsFromEnv({})).toEqual({ ok: true, credentials: null, source: 'none' });
    expect(credentialsFromEnv({ KITE_API_KEY: 'abcdef12', KITE_API_SECRET: 'TopSecret999' })).toEqual({
      ok: true,
      credentials: CREDENTIALS,
      source: 'environment',
    });
    expect(credentialsFromEnv({ KITE_API_KEY: 'abcdef12' })).toMatchObject({ ok: false });
    expect(credentialsFromEnv({ KITE_API_KEY: 'abc', KITE_API_SECRET: 'TopSecret999' })).toMatchObject({
      ok: false,
    });
  });

  it('refuses a file its group or other users can read, and says why and how to fix it', () => {
    expect(fileModeProblem('/k.json', 0o100600, 'linux')).toBeNull();
    expect(fileModeProblem('/k.json', 0o100400, 'linux')).toBeNull();
    expect(fileModeProblem('/k.json', 0o100640, 'linux')).toMatch(/its group .*mode 640.*chmod 600/);
    expect(fileModeProblem('/k.json', 0o100604, 'darwin')).toMatch(/every user/);
    expect(fileModeProblem('/k.json', 0o100644, 'linux')).toMatch(/its group and every user/);
    expect(fileModeProblem('/k.json', 0o100666, 'win32')).toBeNull();
  });

  // Skipped on Windows: it has no POSIX permission bits (chmod cannot make a file private there,
  // and fileModeProblem accepts any mode on win32, tested above), so the refusal cannot happen.
  it.skipIf(process.platform === 'win32')(
    'loads a private file, which wins over the environment',
    async () => {
      const file = path.join(dir, 'kite.json');
      await writeFile(file, JSON.stringify(CREDENTIALS));
      await chmod(file, 0o644);
      const open = await loadKiteCredentials(file, {});
      expect(open).toMatchObject({ ok: false, reason: expect.stringMatching(/chmod 600/) });
      await chmod(file, 0o600);
      const env = { KITE_API_KEY: 'zzzzzz99', KITE_API_SECRET: 'zzzzzz99' };
      expect(await loadKiteCredentials(file, env)).toEqual({
        ok: true,
        credentials: CREDENTIALS,
        source: file,
      });
      expect(await loadKiteCredentials(undefined, env)).toMatchObject({
        credentials: { apiKey: 'zzzzzz99' },
      });
    },
  );

  // Skipped on Windows for the same reason: no permission bits to refuse.
  it.skipIf(process.platform === 'win32')(
    'npm run serve stops at start with the reason when the file is readable by others',
    async () => {
      const file = path.join(dir, 'shared.json');
      await writeFile(file, JSON.stringify(CREDENTIALS));
      await chmod(file, 0o644);
      await expect(startWebMode(['--mode', 'paper', '--kite-credentials', file], 30_000)).rejects.toThrow(
        /exited \(2\)[\s\S]*can be read by its group and every user[\s\S]*chmod 600/,
      );
    },
    40_000,
  );

  it('refuses a missing file or one that is not {apiKey, apiSecret}', async () => {
    expect(await loadKiteCredentials(path.join(dir, 'absent.json'), {})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/ENOENT/),
    });
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"apiKey": "abcdef12"}', { mode: 0o600 });
    expect(await loadKiteCredentials(bad, {})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/apiSecret/),
    });
  });
});

describe('web mode: /kite/callback', () => {
  const token = newToken();
  const forwarded: string[] = [];
  const toEngine: unknown[] = [];
  let engineUp = true;
  let web: WebHost;
  let port: number;

  beforeAll(async () => {
    web = new WebHost({
      host: '127.0.0.1',
      port: 0,
      token,
      staticRoot: dir,
      toEngine: (m) => {
        toEngine.push(m);
        return true;
      },
      engineReady: () => true,
      sendRequestToken: (t) => {
        if (!engineUp) return false;
        forwarded.push(t);
        return true;
      },
      log: () => undefined,
    });
    port = await web.listen();
  });
  afterAll(async () => {
    await web.close();
  });

  /** A raw request, so the Host header can be anything. */
  function get(pathAndQuery: string, options: { method?: string; host?: string } = {}) {
    return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: pathAndQuery,
            method: options.method ?? 'GET',
            headers: { host: options.host ?? `127.0.0.1:${port}` },
          },
          (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
            });
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
  }

  it('forwards a well-formed request_token without our token and answers a dark page', async () => {
    forwarded.length = 0;
    const res = await get('/kite/callback?action=login&type=login&status=success&request_token=Tok3nABC123');
    expect(res.status).toBe(200);
    expect(res.body).toContain('Logged in — you can close this tab');
    expect(res.body).toContain('background:#0a0d11');
    expect(res.body).not.toContain('<script');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(forwarded).toEqual(['Tok3nABC123']);
  });

  it('forwards nothing for a bad token, a failed login, another method or a foreign Host', async () => {
    forwarded.length = 0;
    const cases: [string, { method?: string; host?: string }, number][] = [
      ['/kite/callback?status=success&request_token=abc', {}, 400],
      ['/kite/callback?status=success&request_token=Tok3n%3Cscript%3E', {}, 400],
      ['/kite/callback?status=success', {}, 400],
      ['/kite/callback?status=cancelled&request_token=Tok3nABC123', {}, 400],
      ['/kite/callback?request_token=Tok3nABC123', {}, 400],
      ['/kite/callback?status=success&request_token=Tok3nABC123', { method: 'POST' }, 405],
      ['/kite/callback?status=success&request_token=Tok3nABC123', { host: `evil.example:${port}` }, 421],
    ];
    for (const [url, options, status] of cases) {
      const res = await get(url, options);
      expect(res.status, `${url} ${JSON.stringify(options)}`).toBe(status);
      expect(res.body).not.toContain('<script');
    }
    expect(forwarded).toEqual([]);
    // Kite's status is shown when it is a plain word; nothing else from the query reaches the page or the log.
    expect((await get('/kite/callback?status=cancelled')).body).toContain('status: cancelled');
    const odd = await get('/kite/callback?status=%3Cb%3Eno%0Aforged&request_token=Tok3nABC123');
    expect(odd.body).toContain('status: unexpected');
    expect(odd.body).not.toContain('forged');
  });

  it('is the one open route: its neighbours still want the token', async () => {
    for (const url of [
      '/kite/callbackx?status=success&request_token=Tok3nABC123',
      '/kite/callback/../index.html',
      '/kite/',
    ])
      expect((await get(url)).status, url).toBe(401);
    expect(forwarded).toEqual([]);
    expect(toEngine).toEqual([]);
  });

  it('says so when the engine is not running to take the token', async () => {
    engineUp = false;
    try {
      const res = await get('/kite/callback?status=success&request_token=Tok3nABC123');
      expect(res.status).toBe(503);
      expect(res.body).toMatch(/engine is not running/);
    } finally {
      engineUp = true;
    }
  });

  it('decides by status and token shape only', () => {
    expect(
      kiteCallbackDecision(new URLSearchParams('status=success&request_token=' + 'a'.repeat(64))),
    ).toEqual({
      kind: 'forward',
      requestToken: 'a'.repeat(64),
    });
    expect(
      kiteCallbackDecision(new URLSearchParams('status=success&request_token=' + 'a'.repeat(65))).kind,
    ).toBe('refuse');
  });
});
