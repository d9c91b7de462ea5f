import { describe, expect, it } from 'vitest';
import { checkLoginUrl, loginNavigation } from './loginPolicy';

const KITE = 'https://kite.zerodha.com/connect/login?api_key=abcdef12&v=3';
const REDIRECT = 'http://127.0.0.1/shrivenq/kite';

describe('checkLoginUrl', () => {
  it("opens Kite's login page and a loopback local exchange's", () => {
    expect(checkLoginUrl(KITE)).toEqual({ ok: true, url: KITE, origin: 'https://kite.zerodha.com' });
    expect(checkLoginUrl('http://127.0.0.1:41234/connect/login?api_key=simkey123&v=3')).toMatchObject({
      ok: true,
      origin: 'http://127.0.0.1:41234',
    });
    expect(checkLoginUrl('http://localhost:5000/connect/login')).toMatchObject({ ok: true });
    expect(checkLoginUrl('http://[::1]:5000/connect/login')).toMatchObject({ ok: true });
  });
  it.each([
    'http://kite.zerodha.com/connect/login',
    'https://kite.zerodha.com.evil.com/connect/login',
    'https://kite.zerodha.com@evil.com/connect/login',
    'https://user@kite.zerodha.com/connect/login',
    'https://kite.zerodha.com:8443/connect/login',
    'https://evil.com/connect/login',
    'https://127.0.0.1:4100/connect/login',
    'http://192.168.1.5:4100/connect/login',
    'https://kite.zerodha.com/dashboard',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s', (url) => {
    expect(checkLoginUrl(url).ok).toBe(false);
  });
  it('refuses a non-string', () => {
    expect(checkLoginUrl(undefined).ok).toBe(false);
    expect(checkLoginUrl({ href: KITE }).ok).toBe(false);
  });
});

describe('loginNavigation', () => {
  const origin = 'https://kite.zerodha.com';
  it("lets the login page move within Kite's origin", () => {
    expect(loginNavigation('https://kite.zerodha.com/connect/finish?sess_id=x', origin, REDIRECT)).toEqual({
      kind: 'allow',
    });
  });
  it('catches the redirect URL with its token', () => {
    const url = `${REDIRECT}?action=login&type=login&status=success&request_token=Tok3nABC123`;
    expect(loginNavigation(url, origin, REDIRECT)).toEqual({ kind: 'token', requestToken: 'Tok3nABC123' });
    // Our own redirect_params come back before Kite's; still the same endpoint.
    expect(
      loginNavigation(`${REDIRECT}?x=1&status=success&request_token=Tok3nABC123`, origin, REDIRECT),
    ).toMatchObject({ kind: 'token' });
  });
  it('reports a redirect URL without success or with a bad token', () => {
    expect(
      loginNavigation(`${REDIRECT}?status=cancelled&request_token=Tok3nABC123`, origin, REDIRECT),
    ).toEqual({
      kind: 'failed',
      reason: 'Kite did not log you in (status: cancelled)',
    });
    expect(loginNavigation(`${REDIRECT}?status=success&request_token=a%3Cb`, origin, REDIRECT)).toMatchObject(
      {
        kind: 'failed',
      },
    );
    expect(loginNavigation(`${REDIRECT}?status=success`, origin, REDIRECT)).toMatchObject({ kind: 'failed' });
    expect(loginNavigation(`${REDIRECT}?status=%3Cimg%3E`, origin, REDIRECT)).toEqual({
      kind: 'failed',
      reason: 'Kite did not log you in (status: unexpected)',
    });
  });
  it('refuses everything else, including look-alikes of the redirect URL', () => {
    for (const url of [
      'https://zerodha.com/open-account',
      'http://127.0.0.1:8080/shrivenq/kite?status=success&request_token=Tok3nABC123',
      'http://127.0.0.1/shrivenq/kite/other?status=success&request_token=Tok3nABC123',
      'https://127.0.0.1/shrivenq/kite?status=success&request_token=Tok3nABC123',
      'http://kite.zerodha.com/connect/login',
      'https://u:p@kite.zerodha.com/connect/login',
      'javascript:alert(1)',
      'garbage',
    ])
      expect(loginNavigation(url, origin, REDIRECT), url).toEqual({ kind: 'refuse' });
  });
});
