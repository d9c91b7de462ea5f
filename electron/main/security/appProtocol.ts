import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './origins';

/**
 * How `app:` is registered (before `ready`): standard so relative URLs, origins and storage work like
 * http; secure so the page is a secure context (crossOriginIsolated needs one); fetch for `fetch()` of
 * our own assets; code cache for faster starts. No CSP bypass, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

const INDEX = 'index.html';

/**
 * The file under `rootDir` that `requestUrl` names, or null if the request must be refused: another
 * scheme or host, credentials or a port, a segment that decodes to `.`/`..` or contains a slash,
 * backslash, colon or NUL (`..%2f`, `%5c`, `C:`), or malformed percent-encoding. `/` is index.html.
 * `pathImpl` is a parameter only so tests can check Windows path rules on Linux.
 */
export function resolveAppProtocolPath(
  requestUrl: string,
  rootDir: string,
  pathImpl: path.PlatformPath = path,
): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  if (url.username !== '' || url.password !== '') return null;

  const segments: string[] = [];
  for (const raw of url.pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  // "/" and "/dir/" name a directory: serve its index.html.
  if (segments.length === 0 || segments.at(-1) === '') segments.splice(-1, 1, INDEX);
  if (segments.some((s) => s === '')) return null;

  const root = pathImpl.resolve(rootDir);
  const file = pathImpl.resolve(root, ...segments);
  const relative = pathImpl.relative(root, file);
  if (relative === '' || relative.startsWith('..') || pathImpl.isAbsolute(relative)) return null;
  return file;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/** The Content-Type for a served file; unknown types are opaque bytes (nosniff keeps them inert). */
export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Headers on every page and asset we serve. COOP + COEP make the window cross-origin isolated, which
 * SharedArrayBuffer in the renderer's workers needs; CORP keeps our assets ours; nosniff stops a
 * mislabelled file from running as script.
 */
export function securityHeaders(csp: string): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': csp,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/**
 * `existing` response headers with `added` set, replacing any same-named header whatever its case
 * (the dev server may already send `content-security-policy`; two policies would both apply).
 */
export function withHeaders(
  existing: Readonly<Record<string, readonly string[]>> | undefined,
  added: Readonly<Record<string, string>>,
): Record<string, string[]> {
  const replaced = new Set(Object.keys(added).map((k) => k.toLowerCase()));
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(existing ?? {})) {
    if (!replaced.has(name.toLowerCase())) out[name] = [...values];
  }
  for (const [name, value] of Object.entries(added)) out[name] = [value];
  return out;
}
