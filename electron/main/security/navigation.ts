import { hasAllowedOrigin } from './origins';

/**
 * Whether a window may navigate (or be redirected) to `url`: only to one of our own origins, compared
 * as parsed origins, never by string prefix (`app://terminal.evil/` starts with `app://terminal`).
 */
export function isAllowedNavigation(url: string, allowedOrigins: readonly string[]): boolean {
  return hasAllowedOrigin(url, allowedOrigins);
}

/** Hosts whose https pages a link in the app may open in the user's browser (Kite login, docs, forum). */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['kite.zerodha.com', 'kite.trade'];

/** What to do with `window.open(url)` or a `target=_blank` link. */
export interface WindowOpenDecision {
  /** The app never opens a second renderer from page script. */
  readonly action: 'deny';
  /** The URL to hand to the OS browser, or null to drop the request. */
  readonly openExternally: string | null;
}

/**
 * Always denies the new window. An https link to an allowlisted host (exact host, default port, no
 * credentials) may go to the OS browser; nothing else does, because `shell.openExternal` runs
 * whatever protocol handler the OS has for the scheme.
 */
export function windowOpenDecision(url: string): WindowOpenDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'deny', openExternally: null };
  }
  const external =
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    EXTERNAL_LINK_HOSTS.includes(parsed.hostname);
  return { action: 'deny', openExternally: external ? parsed.href : null };
}
