/**
 * The Kite login panel's decisions, without React: when the login button shows, what the form may
 * send, and what to say about the secret's storage.
 */
import type { KiteCredentialsState } from '../../../shared/electronBridge';
import type { SessionState } from '../../../shared/services/session';

/** The part of the session state the panel reads. */
export type LoginSession = Pick<SessionState, 'venue' | 'state' | 'loginUrl' | 'message'>;

/**
 * Whether to offer "Log in to Kite": a Kite session (paper or live) that is logged out, or whose
 * last login failed, and a login URL to go to. The local exchange logs in by itself.
 */
export function showLoginButton(session: LoginSession | undefined): boolean {
  return (
    session !== undefined &&
    session.venue === 'kite' &&
    (session.state === 'logged-out' || session.state === 'failed') &&
    session.loginUrl !== ''
  );
}

const KITE_KEY = /^[A-Za-z0-9]{6,64}$/;

/** The form as typed. */
export interface CredentialsForm {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly redirectUrl: string;
}

/** What is wrong with each field ('' when nothing); main checks again, this only helps the user. */
export interface CredentialsFormErrors {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly redirectUrl: string;
}

export function credentialsFormErrors(form: CredentialsForm): CredentialsFormErrors {
  return {
    apiKey: KITE_KEY.test(form.apiKey.trim()) ? '' : 'The API key is 6-64 letters and digits',
    apiSecret: KITE_KEY.test(form.apiSecret.trim()) ? '' : 'The API secret is 6-64 letters and digits',
    redirectUrl: redirectUrlError(form.redirectUrl.trim()),
  };
}

function redirectUrlError(url: string): string {
  if (url === '') return '';
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? ''
      : 'The redirect URL is http or https';
  } catch {
    return 'The redirect URL is not a URL';
  }
}

export function hasErrors(errors: CredentialsFormErrors): boolean {
  return errors.apiKey !== '' || errors.apiSecret !== '' || errors.redirectUrl !== '';
}

/** Linux's plain-text store: the form offers the explicit agreement only then. */
export function offersPlainText(stored: KiteCredentialsState | null): boolean {
  return stored !== null && stored.backend === 'basic_text';
}

/** One line on where the secret is kept. */
export function storageLine(stored: KiteCredentialsState | null): string {
  if (stored === null) return 'Reading the stored credentials…';
  const where: Readonly<Record<string, string>> = {
    keychain: 'the macOS Keychain',
    dpapi: 'Windows DPAPI',
    gnome_libsecret: 'the GNOME keyring (libsecret)',
    kwallet: 'KWallet',
    kwallet5: 'KWallet 5',
    kwallet6: 'KWallet 6',
    basic_text: stored.plainTextAllowed ? 'plain text, as you agreed' : 'no secret store',
  };
  const store = where[stored.backend] ?? stored.backend;
  return stored.apiKey === null
    ? `No credentials stored · secret store: ${store}`
    : `API key ${stored.apiKey} · secret in ${store}`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether web mode may open `loginUrl` in a new tab: Kite's login page over https, or a loopback
 * local exchange's (main applies the same rule to its login window).
 */
export function isLoginPageUrl(loginUrl: string): boolean {
  try {
    const url = new URL(loginUrl);
    if (url.username !== '' || url.password !== '' || url.pathname !== '/connect/login') return false;
    return (
      (url.protocol === 'https:' && url.origin === 'https://kite.zerodha.com') ||
      (url.protocol === 'http:' && LOOPBACK.has(url.hostname))
    );
  } catch {
    return false;
  }
}

/** The redirect URL a web-mode user registers with Kite: this host's callback. */
export function webCallbackUrl(pageOrigin: string): string {
  return `${pageOrigin}/kite/callback`;
}
