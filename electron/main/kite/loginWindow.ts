import type { BridgeResult } from '../../../shared/electronBridge';
import type {
  BrowserWindowClassLike,
  BrowserWindowLike,
  NavigationEvent,
  WebContentsLike,
} from '../electronLike';
import { loginWebPreferences } from '../security/webPreferences';
import { checkLoginUrl, loginNavigation } from './loginPolicy';

export interface KiteLoginOptions {
  readonly BrowserWindow: BrowserWindowClassLike;
  /** The Kite app's registered redirect URL, read when a window opens. */
  readonly redirectUrl: () => string;
  /** Hands a login's request_token to the engine; false when no engine runs to take it. */
  readonly sendRequestToken: (requestToken: string) => boolean;
  /** Confines a login window's navigations to its login origin (see hardenWebContents). */
  readonly confine: (contents: WebContentsLike, origins: readonly string[]) => void;
  readonly log: (line: string) => void;
}

interface OpenLogin {
  readonly win: BrowserWindowLike;
  readonly outcome: Promise<BridgeResult>;
}

/** Enough of a URL for a log line: never its query (a request_token may be in it). */
function originForLog(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an unparsable URL';
  }
}

const CLOSED = 'The login window was closed before Kite sent you back';

/**
 * The login window: one at a time, no preload, confined to the login page's origin. The redirect to
 * the Kite app's redirect URL is cancelled (it is never loaded), its request_token goes to the
 * engine once, and the window closes.
 */
export class KiteLogin {
  private open: OpenLogin | undefined;

  constructor(private readonly options: KiteLoginOptions) {}

  /** Opens (or focuses) the login window; settles when the login ends. `loginUrl` is untrusted. */
  start(loginUrl: unknown): Promise<BridgeResult> {
    const checked = checkLoginUrl(loginUrl);
    if (!checked.ok) {
      this.options.log(`refused a login window: ${checked.reason}`);
      return Promise.resolve(checked);
    }
    if (this.open !== undefined && !this.open.win.isDestroyed()) {
      this.open.win.focus();
      return this.open.outcome;
    }
    const { log } = this.options;
    const redirectUrl = this.options.redirectUrl();
    const win = new this.options.BrowserWindow({
      width: 520,
      height: 720,
      show: false,
      title: 'Log in to Kite',
      backgroundColor: '#0d1117',
      autoHideMenuBar: true,
      webPreferences: loginWebPreferences(),
    });
    this.options.confine(win.webContents, [checked.origin]);

    let settle: (result: BridgeResult) => void = () => undefined;
    const outcome = new Promise<BridgeResult>((resolve) => {
      settle = resolve;
    });
    let settled = false;
    const finish = (result: BridgeResult): void => {
      if (settled) return;
      settled = true;
      settle(result);
      if (!win.isDestroyed()) win.close();
    };

    const watch = (kind: string, url: string, cancel: (() => void) | null, mainFrame: boolean): void => {
      if (settled) {
        cancel?.();
        return;
      }
      const decision = loginNavigation(url, checked.origin, redirectUrl);
      if (decision.kind === 'allow') return;
      cancel?.();
      if (decision.kind === 'refuse' || !mainFrame) {
        log(`login window: refused ${kind} to ${originForLog(url)}`);
        // A page that got somewhere it should not be (no cancel was possible) is closed.
        if (cancel === null) finish({ ok: false, reason: 'The login page went somewhere unexpected' });
        return;
      }
      if (decision.kind === 'failed') {
        finish({ ok: false, reason: decision.reason });
        return;
      }
      const sent = this.options.sendRequestToken(decision.requestToken);
      finish(
        sent ? { ok: true } : { ok: false, reason: 'The engine is restarting; log in again in a moment' },
      );
    };
    const onNavigation = (kind: string) => (event: NavigationEvent) => {
      watch(
        kind,
        event.url,
        () => {
          event.preventDefault();
        },
        event.isMainFrame !== false,
      );
    };
    win.webContents.on('will-navigate', onNavigation('navigation'));
    win.webContents.on('will-redirect', onNavigation('redirect'));
    win.webContents.on('did-navigate', (_event, url) => {
      watch('page', url, null, true);
    });
    win.once('ready-to-show', () => {
      win.show();
    });
    win.on('closed', () => {
      if (this.open?.win === win) this.open = undefined;
      finish({ ok: false, reason: CLOSED });
    });
    this.open = { win, outcome };
    win.loadURL(checked.url).catch((e: unknown) => {
      log(`login window failed to load: ${String(e)}`);
      finish({ ok: false, reason: 'The login page did not load; check the connection' });
    });
    return outcome;
  }

  /** Closes the login window, if one is open (app quit). */
  close(): void {
    if (this.open !== undefined && !this.open.win.isDestroyed()) this.open.win.close();
  }
}
