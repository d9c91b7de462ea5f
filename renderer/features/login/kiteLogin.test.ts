import { describe, expect, it } from 'vitest';
import type { KiteCredentialsState } from '../../../shared/electronBridge';
import {
  credentialsFormErrors,
  hasErrors,
  isLoginPageUrl,
  offersPlainText,
  showLoginButton,
  storageLine,
  webCallbackUrl,
} from './kiteLogin';
import type { LoginSession } from './kiteLogin';

const LOGIN = 'https://kite.zerodha.com/connect/login?api_key=abcdef12&v=3';
const session = (patch: Partial<LoginSession>): LoginSession => ({
  venue: 'kite',
  state: 'logged-out',
  loginUrl: LOGIN,
  message: 'Log in to Kite',
  ...patch,
});

describe('showLoginButton', () => {
  it('shows for a logged-out or failed Kite session with a login URL', () => {
    expect(showLoginButton(session({}))).toBe(true);
    expect(showLoginButton(session({ state: 'failed' }))).toBe(true);
  });
  it('hides without a login URL (no credentials yet), while logging in or logged in, and in sim', () => {
    expect(showLoginButton(undefined)).toBe(false);
    expect(showLoginButton(session({ loginUrl: '' }))).toBe(false);
    expect(showLoginButton(session({ state: 'logging-in' }))).toBe(false);
    expect(showLoginButton(session({ state: 'logged-in' }))).toBe(false);
    expect(
      showLoginButton(session({ venue: 'local-exchange', loginUrl: 'http://127.0.0.1:4100/connect/login' })),
    ).toBe(false);
  });
});

describe('the credentials form', () => {
  it('wants 6-64 alphanumerics for key and secret, and an http(s) redirect URL or none', () => {
    const ok = { apiKey: 'abcdef12', apiSecret: 'TopSecret999', redirectUrl: '' };
    expect(hasErrors(credentialsFormErrors(ok))).toBe(false);
    expect(hasErrors(credentialsFormErrors({ ...ok, redirectUrl: 'http://127.0.0.1/shrivenq/kite' }))).toBe(
      false,
    );
    expect(credentialsFormErrors({ ...ok, apiKey: 'abc' }).apiKey).toMatch(/6-64/);
    expect(credentialsFormErrors({ ...ok, apiSecret: 'has space 1' }).apiSecret).toMatch(/6-64/);
    expect(credentialsFormErrors({ ...ok, redirectUrl: 'ftp://x/' }).redirectUrl).toMatch(/http/);
    expect(credentialsFormErrors({ ...ok, redirectUrl: 'nope' }).redirectUrl).toMatch(/not a URL/);
  });
});

describe('storage lines', () => {
  const stored = (patch: Partial<KiteCredentialsState>): KiteCredentialsState => ({
    apiKey: 'abcdef12',
    backend: 'gnome_libsecret',
    plainTextAllowed: false,
    redirectUrl: 'http://127.0.0.1/shrivenq/kite',
    problem: null,
    ...patch,
  });
  it('says where the secret is, by the key only', () => {
    expect(storageLine(stored({}))).toBe('API key abcdef12 · secret in the GNOME keyring (libsecret)');
    expect(storageLine(stored({ apiKey: null, backend: 'keychain' }))).toBe(
      'No credentials stored · secret store: the macOS Keychain',
    );
    expect(storageLine(stored({ backend: 'basic_text', plainTextAllowed: true }))).toMatch(
      /plain text, as you agreed/,
    );
  });
  it('offers the plain-text agreement only on basic_text', () => {
    expect(offersPlainText(stored({ backend: 'basic_text' }))).toBe(true);
    expect(offersPlainText(stored({}))).toBe(false);
    expect(offersPlainText(null)).toBe(false);
  });
});

describe('web mode', () => {
  it("opens only Kite's login page or a loopback one", () => {
    expect(isLoginPageUrl(LOGIN)).toBe(true);
    expect(isLoginPageUrl('http://127.0.0.1:4100/connect/login?api_key=x')).toBe(true);
    for (const url of [
      'http://kite.zerodha.com/connect/login',
      'https://kite.zerodha.com.evil.com/connect/login',
      'https://evil.com/connect/login',
      'https://kite.zerodha.com/dashboard',
      'javascript:alert(1)',
    ])
      expect(isLoginPageUrl(url), url).toBe(false);
  });
  it("names this host's callback as the redirect URL", () => {
    expect(webCallbackUrl('http://127.0.0.1:5780')).toBe('http://127.0.0.1:5780/kite/callback');
  });
});
