/**
 * Origins as Chromium sees them, computed without Electron so every security rule can be tested.
 *
 * Node's URL parser gives a non-special scheme such as `app:` the opaque origin "null", while Chromium
 * gives a scheme registered as standard a tuple origin (`app://terminal`). Comparing `URL.origin`
 * would therefore reject our own pages, so this module builds the tuple origin itself for `app:` and
 * treats every other non-web scheme as having no origin at all (never allowed).
 */

/** The custom scheme packaged pages are served from (see appProtocol.ts). */
export const APP_SCHEME = 'app';
/** The only host the app scheme serves. */
export const APP_HOST = 'terminal';
/** The origin of every packaged page. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The origin of `url`, or null when it has none we could ever trust: unparsable, credentials in the
 * authority (`https://evil.com@app`), or a scheme other than app/http/https (javascript:, file:,
 * data:, blob:, about:, chrome:, devtools:, ...).
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.protocol === `${APP_SCHEME}:`) {
    return parsed.host === '' ? null : `${APP_SCHEME}://${parsed.host}`;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  return null;
}

/** True when `url` parses to exactly one of `allowedOrigins`. */
export function hasAllowedOrigin(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && allowedOrigins.includes(origin);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The origin of Forge's Vite dev server. Throws unless it is plain http on loopback: the dev CSP and
 * the allowed-origin list trust this origin, so it must never be something a network peer serves.
 */
export function devServerOrigin(devServerUrl: string): string {
  const parsed = new URL(devServerUrl);
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname) || parsed.username !== '') {
    throw new Error(`The dev server must be http on loopback, got ${devServerUrl}`);
  }
  return parsed.origin;
}

/** The origins our own pages load from: the app scheme when packaged, the dev server under `npm start`. */
export function allowedOrigins(devServerUrl: string | undefined): readonly string[] {
  return devServerUrl === undefined ? [APP_ORIGIN] : [devServerOrigin(devServerUrl)];
}
