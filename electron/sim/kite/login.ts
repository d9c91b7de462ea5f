/**
 * The simulator's stand-in for `https://kite.zerodha.com/connect/login?api_key=..&v=3`: a one-click
 * page (auto-submitted by script) whose POST issues a single-use request_token and redirects to the
 * app's registered redirect URL with `action=login&type=login&status=success&request_token=..`, plus
 * any `redirect_params` (kite-protocol.md section 2). Pure: builds pages and Location headers.
 */

/** A plain response of the login pages (not Kite's JSON envelope). */
export interface PageResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The path of the login page and of its form's POST. */
export const LOGIN_PATH = '/connect/login';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string): PageResponse {
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // Only our own inline script (the auto-submit) runs; nothing is framed or fetched elsewhere.
      'Content-Security-Policy':
        "default-src 'none'; script-src 'unsafe-inline'; form-action 'self' *; frame-ancestors 'none'",
    },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
  };
}

/** `GET /connect/login`: a page that logs the simulator's user in with one click (or by itself). */
export function loginPage(
  query: URLSearchParams,
  apiKey: string,
  userId: string,
  autoSubmit: boolean,
): PageResponse {
  const key = query.get('api_key') ?? '';
  if (key !== apiKey) return page(400, 'Invalid api_key', '<p>Invalid <code>api_key</code>.</p>');
  const redirectParams = query.get('redirect_params') ?? '';
  const script = autoSubmit ? '<script>document.forms[0].submit();</script>' : '';
  return page(
    200,
    'Local exchange: login',
    `<h1>ShrivenQ local exchange</h1><p>Log in as <b>${escapeHtml(userId)}</b> (simulated; no password).</p>` +
      `<form method="post" action="${LOGIN_PATH}">` +
      `<input type="hidden" name="api_key" value="${escapeHtml(key)}">` +
      `<input type="hidden" name="redirect_params" value="${escapeHtml(redirectParams)}">` +
      `<button type="submit" id="login">Log in</button></form>${script}`,
  );
}

/**
 * `POST /connect/login`: redirects to `redirectUrl` with the request_token, or, with no redirect URL
 * registered, shows the token on a page.
 */
export function loginRedirect(
  form: URLSearchParams,
  apiKey: string,
  redirectUrl: string | undefined,
  issueRequestToken: () => string,
): PageResponse {
  if (form.get('api_key') !== apiKey)
    return page(400, 'Invalid api_key', '<p>Invalid <code>api_key</code>.</p>');
  const requestToken = issueRequestToken();
  if (redirectUrl === undefined)
    return page(
      200,
      'Logged in',
      `<p>No redirect URL is registered. request_token: <code id="request_token">${escapeHtml(requestToken)}</code></p>`,
    );
  const target = new URL(redirectUrl);
  // The app's own redirect_params come back as plain query parameters, before Kite's.
  for (const [k, v] of new URLSearchParams(form.get('redirect_params') ?? ''))
    target.searchParams.append(k, v);
  target.searchParams.set('action', 'login');
  target.searchParams.set('type', 'login');
  target.searchParams.set('status', 'success');
  target.searchParams.set('request_token', requestToken);
  return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' }, body: '' };
}
