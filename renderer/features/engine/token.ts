/** Where the web-mode token is kept between reloads of the same tab. */
export const TOKEN_STORAGE_KEY = 'shrivenq.token';

/** The parts of `sessionStorage` used here. Any call may throw (storage disabled, quota). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface TakenToken {
  /** The token to connect with, or undefined (then only the server's cookie can authorize). */
  readonly token: string | undefined;
  /**
   * The page's address without `token`, when the token was in it: pass it to
   * `history.replaceState` so the secret leaves the address bar (and screenshots of it).
   */
  readonly cleanUrl: string | undefined;
}

/**
 * Reads the web-mode token: from the page URL's `?token=` first (and remembers it in `storage`),
 * else from `storage`, where an earlier load of this tab left it. Storage failures are ignored.
 */
export function takeToken(href: string, storage: TokenStorage | undefined): TakenToken {
  const url = new URL(href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl !== '') {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // The token still works for this load; a reload falls back to the server's cookie.
    }
    url.searchParams.delete('token');
    return { token: fromUrl, cleanUrl: `${url.pathname}${url.search}${url.hash}` };
  }
  const stored = readStored(storage);
  return { token: stored === null || stored === '' ? undefined : stored, cleanUrl: undefined };
}

function readStored(storage: TokenStorage | undefined): string | null {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
