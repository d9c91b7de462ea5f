import { PRELOAD_GLOBAL } from '../../../shared/electronBridge';
import type {
  BridgeResult,
  KiteCredentialsInput,
  KiteCredentialsState,
} from '../../../shared/electronBridge';
import { isLoginPageUrl, webCallbackUrl } from './kiteLogin';

/** How the panel reaches what stores credentials and opens the login page. */
export type KiteLoginBridge =
  | {
      /** The app: main keeps the credentials (safeStorage) and opens its login window. */
      readonly kind: 'electron';
      saveCredentials(input: KiteCredentialsInput): Promise<BridgeResult>;
      credentialsState(): Promise<KiteCredentialsState>;
      openLogin(loginUrl: string): Promise<BridgeResult>;
    }
  | {
      /** Web mode: credentials come from the host's environment; the login opens in a new tab. */
      readonly kind: 'web';
      /** What to register as the Kite app's redirect URL. */
      readonly callbackUrl: string;
      openLogin(loginUrl: string): Promise<BridgeResult>;
    };

/** The preload methods the panel uses. */
interface KitePreload {
  setKiteCredentials(input: KiteCredentialsInput): Promise<BridgeResult>;
  kiteCredentialsState(): Promise<KiteCredentialsState>;
  openKiteLogin(loginUrl: string): Promise<BridgeResult>;
}

function isKitePreload(x: unknown): x is KitePreload {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o['setKiteCredentials'] === 'function' &&
    typeof o['kiteCredentialsState'] === 'function' &&
    typeof o['openKiteLogin'] === 'function'
  );
}

/** The parts of `window` the bridge uses. */
export interface LoginWindowLike {
  readonly location: { readonly origin: string };
  open(url: string, target: string, features: string): unknown;
}

/** The preload's API when this is the app, else web mode's new-tab login. */
export function kiteLoginBridgeFor(win: LoginWindowLike): KiteLoginBridge {
  const preload = (win as unknown as Record<string, unknown>)[PRELOAD_GLOBAL];
  if (isKitePreload(preload))
    return {
      kind: 'electron',
      saveCredentials: (input) => preload.setKiteCredentials(input),
      credentialsState: () => preload.kiteCredentialsState(),
      openLogin: (loginUrl) => preload.openKiteLogin(loginUrl),
    };
  return {
    kind: 'web',
    callbackUrl: webCallbackUrl(win.location.origin),
    openLogin: (loginUrl) => {
      if (!isLoginPageUrl(loginUrl)) return Promise.resolve({ ok: false, reason: 'Not a Kite login page' });
      // No opener: Kite's page gets no handle on this window.
      win.open(loginUrl, '_blank', 'noopener,noreferrer');
      return Promise.resolve({ ok: true });
    },
  };
}
