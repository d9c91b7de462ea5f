/**
 * What the login window may load and where its navigations may go, without Electron: Kite's login
 * page (or the local exchange's on loopback), and the app's registered redirect URL, which is
 * caught, cancelled and read for its request_token.
 */
import { isKiteKey } from '../../../shared/venue';

/** Kite's login host; its page is `https://kite.zerodha.com/connect/login?api_key=..&v=3`. */
export const KITE_LOGIN_ORIGIN = 'https://kite.zerodha.com';
export const LOGIN_PATH = '/connect/login';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The origin the login window is confined to, or why `loginUrl` may not be opened: only Kite's
 * login page over https, or a login page on a loopback http origin (the local exchange speaks the
 * same protocol). Compared as parsed URLs: `https://kite.zerodha.com.evil/` and
 * `https://kite.zerodha.com@evil/` are refused.
 */
export function checkLoginUrl(
  loginUrl: unknown,
):
  | { readonly ok: true; readonly url: string; readonly origin: string }
  | { readonly ok: false; readonly reason: string } {
  if (typeof loginUrl !== 'string') return { ok: false, reason: 'No login URL' };
  let parsed: URL;
  try {
    parsed = new URL(loginUrl);
  } catch {
    return { ok: false, reason: 'The login URL is not a URL' };
  }
  const refusal = { ok: false, reason: `Not a Kite login page: ${parsed.origin}` } as const;
  if (parsed.username !== '' || parsed.password !== '') return refusal;
  const kite = parsed.protocol === 'https:' && parsed.origin === KITE_LOGIN_ORIGIN;
  const loopback = parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
  if (!kite && !loopback) return refusal;
  if (parsed.pathname !== LOGIN_PATH) return { ok: false, reason: `Not a login page: ${parsed.pathname}` };
  return { ok: true, url: parsed.href, origin: parsed.origin };
}

/** What to do with one navigation or redirect of the login window. */
export type LoginNavigation =
  /** Within the login page's origin: let it go. */
  | { readonly kind: 'allow' }
  /** Anywhere else: cancel it. */
  | { readonly kind: 'refuse' }
  /** The redirect URL with a good token: cancel it, close the window, hand the token on. */
  | { readonly kind: 'token'; readonly requestToken: string }
  /** The redirect URL without a usable token (Kite said no, or the token is malformed). */
  | { readonly kind: 'failed'; readonly reason: string };

/** Kite's status as shown to the user: a short word, or nothing from the URL at all. */
function shownStatus(status: string | null): string {
  if (status === null) return 'none';
  return /^[A-Za-z0-9_-]{1,32}$/.test(status) ? status : 'unexpected';
}

function sameEndpoint(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.pathname === b.pathname;
}

/**
 * Decides a navigation of the login window to `url`. The redirect URL is matched by origin and path
 * (Kite appends `?action=login&type=login&status=success&request_token=..`); its query must say
 * `status=success` and carry a request_token of 6-64 letters and digits.
 */
export function loginNavigation(url: string, loginOrigin: string, redirectUrl: string): LoginNavigation {
  let target: URL;
  let redirect: URL;
  try {
    target = new URL(url);
    redirect = new URL(redirectUrl);
  } catch {
    return { kind: 'refuse' };
  }
  if (target.username !== '' || target.password !== '') return { kind: 'refuse' };
  if (sameEndpoint(target, redirect)) {
    const status = target.searchParams.get('status');
    const token = target.searchParams.get('request_token');
    if (status !== 'success')
      return { kind: 'failed', reason: `Kite did not log you in (status: ${shownStatus(status)})` };
    if (!isKiteKey(token)) return { kind: 'failed', reason: 'Kite sent back a malformed request_token' };
    return { kind: 'token', requestToken: token };
  }
  return (target.protocol === 'https:' || target.protocol === 'http:') && target.origin === loginOrigin
    ? { kind: 'allow' }
    : { kind: 'refuse' };
}
