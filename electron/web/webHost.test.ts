import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './args';
import {
  isAllowedHostHeader,
  isAllowedOrigin,
  isAuthorized,
  newToken,
  offeredToken,
  TOKEN_COOKIE,
} from './auth';
import { resolveStaticPath, securityHeaders } from './staticFiles';

describe('parseServeArgs', () => {
  it('defaults to loopback, sim and the default port', () => {
    expect(parseServeArgs([])).toEqual({ port: 5780, host: '127.0.0.1', mode: 'sim', rebuild: false });
  });
  it('reads every flag in both forms', () => {
    expect(parseServeArgs(['--port', '0', '--host=0.0.0.0', '--mode', 'paper', '--rebuild'])).toEqual({
      port: 0,
      host: '0.0.0.0',
      mode: 'paper',
      rebuild: true,
    });
  });
  it.each([
    [['--port', '-1']],
    [['--port', '70000']],
    [['--port', '12ab']],
    [['--port']],
    [['--mode', 'yolo']],
    [['--frobnicate']],
  ])('refuses %j with a readable error', (argv) => {
    expect(() => parseServeArgs(argv)).toThrow(/--/);
  });
});

describe('token checks', () => {
  const token = newToken();
  it('makes long random URL-safe tokens', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
  });
  it('accepts the token from the query or the cookie, and nothing else', () => {
    expect(isAuthorized(new URL(`http://x/?token=${token}`), undefined, token)).toBe(true);
    expect(isAuthorized(new URL('http://x/app.js'), `a=1; ${TOKEN_COOKIE}=${token}`, token)).toBe(true);
    expect(isAuthorized(new URL('http://x/'), undefined, token)).toBe(false);
    expect(isAuthorized(new URL('http://x/?token='), undefined, token)).toBe(false);
    expect(isAuthorized(new URL(`http://x/?token=${token}x`), undefined, token)).toBe(false);
    expect(isAuthorized(new URL('http://x/'), `${TOKEN_COOKIE}=${token.slice(1)}`, token)).toBe(false);
    // A wrong query token is not rescued by a right cookie: the query is what the caller meant.
    expect(offeredToken(new URL('http://x/?token=bad'), `${TOKEN_COOKIE}=${token}`)).toBe('bad');
  });
  it('never accepts a different token (property)', () => {
    fc.assert(
      fc.property(fc.string(), (other) => {
        fc.pre(other !== token);
        const url = new URL('http://x/');
        url.searchParams.set('token', other);
        return !isAuthorized(url, undefined, token);
      }),
    );
  });
  it('serves loopback only to loopback Host headers on our port (DNS rebinding)', () => {
    expect(isAllowedHostHeader('127.0.0.1:5780', '127.0.0.1', 5780)).toBe(true);
    expect(isAllowedHostHeader('localhost:5780', '127.0.0.1', 5780)).toBe(true);
    expect(isAllowedHostHeader('evil.example:5780', '127.0.0.1', 5780)).toBe(false);
    expect(isAllowedHostHeader('127.0.0.1:1', '127.0.0.1', 5780)).toBe(false);
    expect(isAllowedHostHeader(undefined, '127.0.0.1', 5780)).toBe(false);
    expect(isAllowedHostHeader('box.lan:5780', '0.0.0.0', 5780)).toBe(true);
  });
  it('accepts WebSocket origins that are this server only', () => {
    expect(isAllowedOrigin(undefined, '127.0.0.1:5780')).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5780', '127.0.0.1:5780')).toBe(true);
    expect(isAllowedOrigin('http://evil.example', '127.0.0.1:5780')).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:5781', '127.0.0.1:5780')).toBe(false);
    expect(isAllowedOrigin('null', '127.0.0.1:5780')).toBe(false);
    expect(isAllowedOrigin('file://', '127.0.0.1:5780')).toBe(false);
  });
});

describe('static files', () => {
  const root = path.resolve('/srv/app');
  it('maps paths under the root and / to index.html', () => {
    expect(resolveStaticPath('/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath('/assets/index-abc.js', root)).toBe(path.join(root, 'assets/index-abc.js'));
  });
  it.each([
    '/../etc/passwd',
    '/..%2f..%2fetc/passwd',
    '/assets/%2e%2e/%2e%2e/x',
    '/a%5c..%5cb',
    '/%00',
    '/%E0%A4%A',
  ])('refuses %s', (p) => {
    expect(resolveStaticPath(p, root)).toBeUndefined();
  });
  it('never resolves outside the root (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('..', '.', 'a', '%2e%2e', '%2f', 'b.js', ''), { maxLength: 8 }),
        (parts) => {
          const file = resolveStaticPath(`/${parts.join('/')}`, root);
          return file === undefined || file === root || file.startsWith(root + path.sep);
        },
      ),
    );
  });
  it('sends cross-origin isolation and a strict CSP', () => {
    const h = securityHeaders();
    expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(h['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(h['Content-Security-Policy']).toContain("script-src 'self'");
    expect(h['Content-Security-Policy']).not.toContain('unsafe');
  });
});
