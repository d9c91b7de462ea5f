import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { DEFAULT_KITE_REDIRECT_URL } from '../../../shared/electronBridge';
import type { KiteCredentialsState } from '../../../shared/electronBridge';
import { credentialsFormErrors, hasErrors } from './kiteLogin';
import type { KiteLoginBridge } from './kiteLoginBridge';

export type Tone = 'ok' | 'error' | 'info';

export interface KiteLoginState {
  readonly apiKey: string;
  /** What the user typed; cleared once saved, never filled from anywhere. */
  readonly apiSecret: string;
  readonly redirectUrl: string;
  /** The explicit agreement to Linux's plain-text store (sent only when ticked). */
  readonly allowPlainText: boolean;
  /** What main has stored (the app only); null until read. */
  readonly stored: KiteCredentialsState | null;
  readonly busy: 'idle' | 'saving' | 'opening';
  readonly notice: { readonly tone: Tone; readonly text: string } | null;
  /** The form shows field errors after the first save attempt. */
  readonly attempted: boolean;
  /** Bumped when the secret is cleared: the (uncontrolled) secret field is made afresh. */
  readonly secretGeneration: number;
  setField(field: 'apiKey' | 'apiSecret' | 'redirectUrl', value: string): void;
  setAllowPlainText(allow: boolean): void;
  /** Reads what main has stored (the app only). */
  load(): Promise<void>;
  save(): Promise<void>;
  openLogin(loginUrl: string): Promise<void>;
}

export type KiteLoginStore = StoreApi<KiteLoginState>;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The fields a store may start from (tests; a server render shows the initial state). */
export type KiteLoginFields = Partial<
  Pick<KiteLoginState, 'apiKey' | 'apiSecret' | 'redirectUrl' | 'stored'>
>;

/** The panel's state and actions over a bridge; nothing in here renders. */
export function createKiteLoginStore(bridge: KiteLoginBridge, initial: KiteLoginFields = {}): KiteLoginStore {
  return createStore<KiteLoginState>()((set, get) => ({
    apiKey: '',
    apiSecret: '',
    redirectUrl: DEFAULT_KITE_REDIRECT_URL,
    allowPlainText: false,
    stored: null,
    busy: 'idle',
    notice: null,
    attempted: false,
    secretGeneration: 0,
    ...initial,
    setField: (field, value) => {
      set({ [field]: value } as Pick<KiteLoginState, typeof field>);
    },
    setAllowPlainText: (allow) => {
      set({ allowPlainText: allow });
    },
    load: async () => {
      if (bridge.kind !== 'electron') return;
      try {
        const stored = await bridge.credentialsState();
        set((s) => ({
          stored,
          // The form starts from what is stored (the key and redirect URL, never the secret).
          apiKey: s.apiKey === '' ? (stored.apiKey ?? '') : s.apiKey,
          redirectUrl: stored.redirectUrl === '' ? s.redirectUrl : stored.redirectUrl,
          allowPlainText: stored.plainTextAllowed,
        }));
      } catch (e) {
        set({ notice: { tone: 'error', text: `Could not read the stored credentials: ${message(e)}` } });
      }
    },
    save: async () => {
      if (bridge.kind !== 'electron' || get().busy !== 'idle') return;
      const { apiKey, apiSecret, redirectUrl, allowPlainText, stored } = get();
      set({ attempted: true });
      if (hasErrors(credentialsFormErrors({ apiKey, apiSecret, redirectUrl }))) return;
      set({ busy: 'saving', notice: null });
      try {
        const result = await bridge.saveCredentials({
          apiKey: apiKey.trim(),
          apiSecret: apiSecret.trim(),
          ...(redirectUrl.trim() === '' ? {} : { redirectUrl: redirectUrl.trim() }),
          // Only an explicit tick agrees; an untick withdraws an agreement given before.
          ...(allowPlainText
            ? { allowPlainText: true }
            : stored?.plainTextAllowed === true
              ? { allowPlainText: false }
              : {}),
        });
        if (result.ok) {
          set((s) => ({
            apiKey: apiKey.trim(),
            apiSecret: '',
            secretGeneration: s.secretGeneration + 1,
            attempted: false,
            notice: { tone: 'ok', text: 'Saved. The engine has the credentials.' },
          }));
          await get().load();
        } else set({ notice: { tone: 'error', text: result.reason } });
      } catch (e) {
        set({ notice: { tone: 'error', text: message(e) } });
      } finally {
        set({ busy: 'idle' });
      }
    },
    openLogin: async (loginUrl) => {
      if (get().busy !== 'idle') return;
      set({
        busy: 'opening',
        notice: {
          tone: 'info',
          text: bridge.kind === 'electron' ? 'Log in on the Kite window…' : 'Kite opened in a new tab…',
        },
      });
      try {
        const result = await bridge.openLogin(loginUrl);
        set({
          notice: result.ok
            ? {
                tone: 'ok',
                text:
                  bridge.kind === 'electron'
                    ? 'Kite logged you in; the engine is opening the session.'
                    : `Log in on the new tab; Kite sends you back to ${bridge.callbackUrl}.`,
              }
            : { tone: 'error', text: result.reason },
        });
      } catch (e) {
        set({ notice: { tone: 'error', text: message(e) } });
      } finally {
        set({ busy: 'idle' });
      }
    },
  }));
}
