/**
 * The decisions behind the Kite credentials store, without Electron or files: is the OS's secret
 * store good enough for the API secret, is what the settings form sent well-formed, is a stored
 * file ours. credentialsStore.ts does the I/O around them.
 */
import { DEFAULT_KITE_REDIRECT_URL } from '../../../shared/electronBridge';
import type { BridgeResult } from '../../../shared/electronBridge';
import { isKiteKey } from '../../../shared/venue';

/** `safeStorage.getSelectedStorageBackend()` on Linux when there is no secret store. */
export const PLAIN_TEXT_BACKEND = 'basic_text';

/** The name shown for the store that keeps the secret: Linux's backend, or the OS's own. */
export function storageBackendName(platform: NodeJS.Platform, linuxBackend: () => string): string {
  if (platform === 'linux') return linuxBackend();
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return 'os';
}

export const PLAIN_TEXT_REFUSED =
  'This Linux session has no secret store (GNOME Keyring/libsecret or KWallet), so safeStorage would ' +
  "keep the Kite API secret under Chromium's fixed, publicly known key (backend basic_text): anyone " +
  'who can read your files could read the secret and trade on your account. Start and unlock a ' +
  'secret store and restart ShrivenQ, or agree to plain-text storage explicitly.';

export const BACKEND_UNKNOWN =
  'The secret store is not known yet (safeStorage reports "unknown" before the app is ready).';

/** Whether the secret may be stored, and whether safeStorage must be told to use its plain-text key. */
export type StorageDecision =
  { readonly ok: true; readonly usePlainText: boolean } | { readonly ok: false; readonly reason: string };

/**
 * Linux's `basic_text` backend "encrypts" with a hard-coded password: refused unless the user has
 * agreed, in which case safeStorage must be switched to it (`setUsePlainTextEncryption(true)`;
 * without that it reports encryption unavailable). macOS and Windows always have their store.
 */
export function storageDecision(
  platform: NodeJS.Platform,
  backend: string,
  plainTextAllowed: boolean,
): StorageDecision {
  if (platform !== 'linux') return { ok: true, usePlainText: false };
  if (backend === 'unknown') return { ok: false, reason: BACKEND_UNKNOWN };
  if (backend !== PLAIN_TEXT_BACKEND) return { ok: true, usePlainText: false };
  return plainTextAllowed ? { ok: true, usePlainText: true } : { ok: false, reason: PLAIN_TEXT_REFUSED };
}

/** The redirect URL as stored (normalised), or why it cannot be one. */
export function checkRedirectUrl(
  url: string,
): { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'The redirect URL is not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { ok: false, reason: 'The redirect URL must be http or https, as registered with Kite' };
  if (parsed.username !== '' || parsed.password !== '')
    return { ok: false, reason: 'The redirect URL must not carry a user name or password' };
  if (parsed.hash !== '') return { ok: false, reason: 'The redirect URL must not have a #fragment' };
  return { ok: true, url: parsed.href };
}

/** The settings form's input, checked. */
export interface CheckedCredentialsInput {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly redirectUrl: string;
  readonly allowPlainText: boolean | undefined;
}

const INPUT_KEYS = new Set(['apiKey', 'apiSecret', 'redirectUrl', 'allowPlainText']);

/** Checks what a window sent to `setKiteCredentials` (untrusted: it crossed IPC). */
export function checkCredentialsInput(
  input: unknown,
):
  | { readonly ok: true; readonly value: CheckedCredentialsInput }
  | { readonly ok: false; readonly reason: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, reason: 'Expected {apiKey, apiSecret}' };
  const x = input as Record<string, unknown>;
  const unknown = Object.keys(x).filter((k) => !INPUT_KEYS.has(k));
  if (unknown.length > 0) return { ok: false, reason: `Unknown field ${unknown.join(', ')}` };
  if (!isKiteKey(x['apiKey'])) return { ok: false, reason: 'The API key must be 6-64 letters and digits' };
  if (!isKiteKey(x['apiSecret']))
    return { ok: false, reason: 'The API secret must be 6-64 letters and digits' };
  const allow = x['allowPlainText'];
  if (allow !== undefined && typeof allow !== 'boolean')
    return { ok: false, reason: 'allowPlainText must be true or false' };
  const rawRedirect = x['redirectUrl'];
  if (rawRedirect !== undefined && typeof rawRedirect !== 'string')
    return { ok: false, reason: 'The redirect URL must be a string' };
  const redirect = checkRedirectUrl(
    rawRedirect === undefined || rawRedirect.trim() === '' ? DEFAULT_KITE_REDIRECT_URL : rawRedirect.trim(),
  );
  if (!redirect.ok) return redirect;
  return {
    ok: true,
    value: {
      apiKey: x['apiKey'],
      apiSecret: x['apiSecret'],
      redirectUrl: redirect.url,
      allowPlainText: allow,
    },
  };
}

/** The credentials file in userData. The secret is safeStorage's ciphertext, base64. */
export interface StoredCredentials {
  readonly version: 1;
  readonly apiKey: string;
  readonly encryptedSecret: string;
  readonly redirectUrl: string;
  /** The user's explicit agreement to Linux's basic_text store (set only by `allowPlainText: true`). */
  readonly plainTextAllowed: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads the credentials file's text; null when it is not one of ours (then nothing is used). */
export function parseStoredCredentials(text: string): StoredCredentials | null {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  const redirect = typeof o['redirectUrl'] === 'string' ? checkRedirectUrl(o['redirectUrl']) : null;
  if (
    o['version'] !== 1 ||
    !isKiteKey(o['apiKey']) ||
    typeof o['encryptedSecret'] !== 'string' ||
    !BASE64.test(o['encryptedSecret']) ||
    redirect === null ||
    !redirect.ok ||
    typeof o['plainTextAllowed'] !== 'boolean'
  )
    return null;
  return {
    version: 1,
    apiKey: o['apiKey'],
    encryptedSecret: o['encryptedSecret'],
    redirectUrl: redirect.url,
    plainTextAllowed: o['plainTextAllowed'],
  };
}

/** The agreement a save leaves behind: true or false when the form says so, else what it was. */
export function nextPlainTextAllowed(asked: boolean | undefined, before: boolean): boolean {
  return asked ?? before;
}

/** Shorthand for a refusal. */
export function refused(reason: string): BridgeResult {
  return { ok: false, reason };
}
