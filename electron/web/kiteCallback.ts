/**
 * `GET /kite/callback`: the URL a user registers as the Kite app's redirect in web mode
 * (`http://127.0.0.1:PORT/kite/callback`). Kite sends the browser here after login with
 * `status=success&request_token=..`. Kite cannot carry our token, so the route is open: it does
 * nothing but forward a well-formed request_token to the engine, and answers a small page.
 */
import { createHash } from 'node:crypto';
import { isKiteKey } from '../../shared/venue';

export const KITE_CALLBACK_PATH = '/kite/callback';

/** What the callback does with a request's query. */
export type KiteCallbackDecision =
  | { readonly kind: 'forward'; readonly requestToken: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/** Kite's status as shown to the user and logged: a short word, or nothing from the query at all. */
function shownStatus(status: string | null): string {
  if (status === null) return 'none';
  return /^[A-Za-z0-9_-]{1,32}$/.test(status) ? status : 'unexpected';
}

/** Only `status=success` with a request_token of 6-64 letters and digits is forwarded. */
export function kiteCallbackDecision(query: URLSearchParams): KiteCallbackDecision {
  const status = query.get('status');
  if (status !== 'success')
    return { kind: 'refuse', reason: `Kite did not log you in (status: ${shownStatus(status)}).` };
  const token = query.get('request_token');
  if (!isKiteKey(token))
    return { kind: 'refuse', reason: 'The login redirect carried no valid request_token.' };
  return { kind: 'forward', requestToken: token };
}

const STYLE =
  'html{color-scheme:dark}body{margin:0;min-height:100vh;display:grid;place-items:center;' +
  'background:#0a0d11;color:#d3d9e0;font:13px system-ui,sans-serif}' +
  'main{padding:16px 20px;background:#11161c;border:1px solid #1e262f;border-radius:3px;max-width:420px}' +
  'h1{margin:0 0 6px;font-size:13px;letter-spacing:.06em;text-transform:uppercase}' +
  '.ok h1{color:#2fb86a}.error h1{color:#f0483e}p{margin:0;color:#8792a0}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The answer page: dark, no script, only its own inline style allowed (by hash). */
export function kiteCallbackPage(
  ok: boolean,
  text: string,
): { readonly html: string; readonly headers: Record<string, string> } {
  const title = ok ? 'Logged in' : 'Not logged in';
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>ShrivenQ — ${title}</title><style>${STYLE}</style></head>` +
    `<body><main class="${ok ? 'ok' : 'error'}"><h1>${title}</h1><p>${escapeHtml(text)}</p></main></body></html>`;
  return {
    html,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
    },
  };
}
