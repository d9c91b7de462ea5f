import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowedOrigins, APP_ORIGIN, devServerOrigin, originOf } from './origins';

describe('originOf', () => {
  it.each([
    ['app://terminal/', 'app://terminal'],
    ['app://terminal/index.html?x=1#y', 'app://terminal'],
    ['app://terminal.evil/', 'app://terminal.evil'],
    ['app://terminal:8080/', 'app://terminal:8080'],
    ['http://localhost:5173/src/main.tsx', 'http://localhost:5173'],
    ['HTTPS://Kite.Zerodha.com/connect', 'https://kite.zerodha.com'],
    // IDN: the Cyrillic "о" becomes punycode, a different origin from "localhost".
    ['http://lоcalhost:5173/', 'http://xn--lcalhost-nbh:5173'],
  ])('%s -> %s', (url, origin) => {
    expect(originOf(url)).toBe(origin);
  });

  it.each([
    'https://evil.com@app',
    'app://evil@terminal/',
    'http://user:pass@localhost:5173/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://terminal/1234',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'chrome://settings',
    'app:terminal',
    'app:///terminal',
    'not a url',
    '',
  ])('%s has no trusted origin', (url) => {
    expect(originOf(url)).toBeNull();
  });
});

describe('devServerOrigin', () => {
  it.each(['http://localhost:5173', 'http://127.0.0.1:5173/', 'http://[::1]:5173/'])('accepts %s', (url) => {
    expect(devServerOrigin(url)).toBe(new URL(url).origin);
  });

  it.each([
    'https://localhost:5173',
    'http://192.168.1.5:5173',
    'http://localhost.evil.com:5173',
    'ws://localhost',
  ])('refuses %s', (url) => {
    expect(() => devServerOrigin(url)).toThrow();
  });
});

describe('allowedOrigins', () => {
  it('is the app scheme alone when packaged, the dev server alone in dev', () => {
    expect(allowedOrigins(undefined)).toEqual([APP_ORIGIN]);
    expect(allowedOrigins('http://localhost:5173/')).toEqual(['http://localhost:5173']);
  });

  it('never yields a trusted origin for a URL with credentials', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.string({ minLength: 1 }),
        (url, user) => {
          const u = new URL(url);
          u.username = encodeURIComponent(user);
          expect(originOf(u.href)).toBeNull();
        },
      ),
    );
  });
});
