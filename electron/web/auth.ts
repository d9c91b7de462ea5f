import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries the token after the first page load, so the page's assets load too. */
export const TOKEN_COOKIE = 'shrivenq_token';

/** A fresh random token (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads the token a request offers: `?token=` first, then the cookie. */
export function offeredToken(url: URL, cookieHeader: string | undefined): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) return fromQuery;
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** True when the request carries the server's token (compared in constant time). */
export function isAuthorized(url: URL, cookieHeader: string | undefined, token: string): boolean {
  const offered = offeredToken(url, cookieHeader);
  return offered !== undefined && sameSecret(offered, token);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** True when `host` is a loopback address. */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

/**
 * When bound to loopback, only Host headers naming loopback on our port are served: a page on another
 * site that rebinds its DNS name to 127.0.0.1 is refused even before the token is checked.
 */
export function isAllowedHostHeader(
  hostHeader: string | undefined,
  boundHost: string,
  port: number,
): boolean {
  if (hostHeader === undefined) return false;
  if (!isLoopback(boundHost)) return true;
  return LOOPBACK_NAMES.some((name) => hostHeader === `${name}:${port}`);
}

/**
 * A WebSocket upgrade from a browser carries Origin; it must be this server's own origin (stops
 * another site's page from driving the engine). Scripts send no Origin and rely on the token alone.
 */
export function isAllowedOrigin(originHeader: string | undefined, hostHeader: string | undefined): boolean {
  if (originHeader === undefined) return true;
  try {
    const origin = new URL(originHeader);
    return (origin.protocol === 'http:' || origin.protocol === 'https:') && origin.host === hostHeader;
  } catch {
    return false;
  }
}

/** The Set-Cookie value that hands the page its token for later requests. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
