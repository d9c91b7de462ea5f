import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXTERNAL_LINK_HOSTS, isAllowedNavigation, windowOpenDecision } from './navigation';
import { APP_ORIGIN } from './origins';

const PACKAGED = [APP_ORIGIN];
const DEV = ['http://localhost:5173'];

describe('isAllowedNavigation', () => {
  it.each([
    ['app://terminal/', PACKAGED],
    ['app://terminal/backtest.html#run=3', PACKAGED],
    ['http://localhost:5173/', DEV],
    ['http://localhost:5173/?window=ladder', DEV],
  ])('allows own page %s', (url, origins) => {
    expect(isAllowedNavigation(url, origins)).toBe(true);
  });

  it.each([
    ['https://evil.com@app', PACKAGED],
    ['https://evil.com/app://terminal/', PACKAGED],
    ['app://terminal.evil/', PACKAGED],
    ['app://terminal:1/', PACKAGED],
    ['app://TERMINAL/', PACKAGED],
    ['app://evil@terminal/', PACKAGED],
    ['javascript:location="https://evil.com"', PACKAGED],
    ['file:///etc/passwd', PACKAGED],
    ['file://terminal/index.html', PACKAGED],
    ['data:text/html,hi', PACKAGED],
    ['about:blank', PACKAGED],
    ['http://localhost:5174/', DEV],
    ['https://localhost:5173/', DEV],
    ['http://localhost.evil.com:5173/', DEV],
    ['http://lоcalhost:5173/', DEV],
    ['http://127.0.0.1:5173/', DEV],
    ['app://terminal/', DEV],
    ['http://localhost:5173/', PACKAGED],
  ])('blocks %s', (url, origins) => {
    expect(isAllowedNavigation(url, origins)).toBe(false);
  });

  it('allows a generated URL only when its parsed origin is one we serve', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const origin = new URL(url).origin;
        expect(isAllowedNavigation(url, PACKAGED)).toBe(false);
        expect(isAllowedNavigation(url, DEV)).toBe(origin === 'http://localhost:5173');
      }),
    );
  });

  it('blocks any host that merely starts with ours', () => {
    fc.assert(
      fc.property(fc.domain(), fc.webPath(), (suffix, path) => {
        expect(isAllowedNavigation(`app://terminal.${suffix}${path}`, PACKAGED)).toBe(false);
        expect(isAllowedNavigation(`http://localhost.${suffix}:5173${path}`, DEV)).toBe(false);
      }),
    );
  });
});

describe('windowOpenDecision', () => {
  it.each([
    ['https://kite.zerodha.com/connect/login?api_key=x', 'https://kite.zerodha.com/connect/login?api_key=x'],
    ['https://kite.trade/docs/connect/v3/', 'https://kite.trade/docs/connect/v3/'],
    ['HTTPS://KITE.TRADE/forum', 'https://kite.trade/forum'],
  ])('denies the window but opens allowlisted %s in the browser', (url, external) => {
    expect(windowOpenDecision(url)).toEqual({ action: 'deny', openExternally: external });
  });

  it.each([
    'http://kite.trade/',
    'https://kite.trade:8443/',
    'https://user@kite.trade/',
    'https://kite.trade.evil.com/',
    'https://evilkite.trade/',
    'https://evil.com/?https://kite.trade/',
    'app://terminal/',
    'file:///C:/Windows/System32/calc.exe',
    'smb://evil/share',
    'ms-msdt:/id PCWDiagnostic',
    'javascript:alert(1)',
    'mailto:a@kite.trade',
    'not a url',
  ])('denies %s and opens nothing', (url) => {
    expect(windowOpenDecision(url)).toEqual({ action: 'deny', openExternally: null });
  });

  it('always denies, and opens externally only https URLs on the allowlist', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string()), (url) => {
        const decision = windowOpenDecision(url);
        expect(decision.action).toBe('deny');
        if (decision.openExternally !== null) {
          const u = new URL(decision.openExternally);
          expect(u.protocol).toBe('https:');
          expect(EXTERNAL_LINK_HOSTS).toContain(u.hostname);
        }
      }),
    );
  });
});
