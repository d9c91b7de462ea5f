import { isAllowedNavigation, windowOpenDecision } from './security/navigation';
import { permissionDecision } from './security/permissions';
import type { SessionLike, WebContentsLike } from './electronLike';

export interface HardeningPolicy {
  readonly allowedOrigins: readonly string[];
  /** Opens an allowlisted https link in the OS browser. */
  readonly openExternal: (url: string) => void;
  readonly log: (line: string) => void;
  /**
   * The origins a particular webContents may navigate within, when not ours (the login window: the
   * login page's origin). Asked at each navigation, so it may be set after the contents is created.
   */
  readonly navigationOriginsOf?: (contents: WebContentsLike) => readonly string[] | undefined;
}

/** A URL for a log line without its query and fragment (a login redirect's request_token is there). */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/**
 * Installs the deny-by-default permission handlers on a session, once per session. Electron grants
 * every permission request when no handler is set.
 */
export function createPermissionGuard(allowedOrigins: readonly string[]): (session: SessionLike) => void {
  const guarded = new WeakSet<SessionLike>();
  return (session) => {
    if (guarded.has(session)) return;
    guarded.add(session);
    session.setPermissionRequestHandler((_contents, permission, callback, details) => {
      callback(permissionDecision(permission, details.requestingUrl, allowedOrigins));
    });
    session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
      permissionDecision(permission, requestingOrigin, allowedOrigins),
    );
  };
}

/**
 * Locks down every webContents the app creates (windows, dev tools, anything a page might spawn):
 * no navigation or redirect off our origins, no new windows, no <webview>, and the permission
 * handlers on whatever session it uses.
 */
export function hardenWebContents(
  contents: WebContentsLike,
  policy: HardeningPolicy,
  guardSession: (session: SessionLike) => void,
): void {
  const blockForeign = (kind: string) => (event: { readonly url: string; preventDefault(): void }) => {
    const origins = policy.navigationOriginsOf?.(contents) ?? policy.allowedOrigins;
    if (isAllowedNavigation(event.url, origins)) return;
    event.preventDefault();
    policy.log(`blocked ${kind} to ${withoutQuery(event.url)}`);
  };
  contents.on('will-navigate', blockForeign('navigation'));
  contents.on('will-redirect', blockForeign('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally !== null) policy.openExternal(decision.openExternally);
    else policy.log(`blocked window.open of ${url}`);
    return { action: decision.action };
  });
  guardSession(contents.session);
}
