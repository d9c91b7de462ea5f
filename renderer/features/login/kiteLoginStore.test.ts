import { describe, expect, it, vi } from 'vitest';
import type {
  BridgeResult,
  KiteCredentialsInput,
  KiteCredentialsState,
} from '../../../shared/electronBridge';
import { kiteLoginBridgeFor } from './kiteLoginBridge';
import type { KiteLoginBridge } from './kiteLoginBridge';
import { createKiteLoginStore } from './kiteLoginStore';

const LOGIN = 'https://kite.zerodha.com/connect/login?api_key=abcdef12&v=3';

function electronBridge(state: Partial<KiteCredentialsState> = {}, answer: BridgeResult = { ok: true }) {
  const saved: KiteCredentialsInput[] = [];
  let stored: KiteCredentialsState = {
    apiKey: null,
    backend: 'gnome_libsecret',
    plainTextAllowed: false,
    redirectUrl: 'http://127.0.0.1/shrivenq/kite',
    problem: null,
    ...state,
  };
  const openLogin = vi.fn((_url: string) => Promise.resolve<BridgeResult>({ ok: true }));
  const bridge: KiteLoginBridge = {
    kind: 'electron',
    saveCredentials: (input) => {
      saved.push(input);
      if (answer.ok)
        stored = {
          ...stored,
          apiKey: input.apiKey,
          plainTextAllowed: input.allowPlainText ?? stored.plainTextAllowed,
        };
      return Promise.resolve(answer);
    },
    credentialsState: () => Promise.resolve(stored),
    openLogin,
  };
  return { bridge, saved, openLogin };
}

describe('kite login store', () => {
  it('saves the typed credentials, then clears the secret and shows what is stored', async () => {
    const { bridge, saved } = electronBridge();
    const store = createKiteLoginStore(bridge);
    await store.getState().load();
    store.getState().setField('apiKey', ' abcdef12 ');
    store.getState().setField('apiSecret', 'TopSecret999');
    await store.getState().save();
    expect(saved).toEqual([
      { apiKey: 'abcdef12', apiSecret: 'TopSecret999', redirectUrl: 'http://127.0.0.1/shrivenq/kite' },
    ]);
    expect(store.getState()).toMatchObject({
      apiSecret: '',
      secretGeneration: 1,
      apiKey: 'abcdef12',
      busy: 'idle',
      notice: { tone: 'ok' },
      stored: { apiKey: 'abcdef12' },
    });
  });

  it("sends nothing while the form is wrong, and shows main's reason when it refuses", async () => {
    const { bridge, saved } = electronBridge(
      { backend: 'basic_text' },
      { ok: false, reason: 'no secret store' },
    );
    const store = createKiteLoginStore(bridge);
    store.getState().setField('apiKey', 'abc');
    await store.getState().save();
    expect(saved).toEqual([]);
    expect(store.getState().attempted).toBe(true);
    store.getState().setField('apiKey', 'abcdef12');
    store.getState().setField('apiSecret', 'TopSecret999');
    await store.getState().save();
    expect(saved).toHaveLength(1);
    expect(saved[0]).not.toHaveProperty('allowPlainText');
    expect(store.getState().notice).toEqual({ tone: 'error', text: 'no secret store' });
    // The secret stays typed so the user can agree and retry.
    expect(store.getState().apiSecret).toBe('TopSecret999');
  });

  it('sends allowPlainText only when ticked, and false only to withdraw an agreement', async () => {
    const first = electronBridge({ backend: 'basic_text' });
    const store = createKiteLoginStore(first.bridge);
    await store.getState().load();
    store.getState().setField('apiKey', 'abcdef12');
    store.getState().setField('apiSecret', 'TopSecret999');
    store.getState().setAllowPlainText(true);
    await store.getState().save();
    expect(first.saved[0]).toMatchObject({ allowPlainText: true });

    const agreed = electronBridge({ backend: 'basic_text', plainTextAllowed: true, apiKey: 'abcdef12' });
    const again = createKiteLoginStore(agreed.bridge);
    await again.getState().load();
    expect(again.getState().allowPlainText).toBe(true);
    again.getState().setAllowPlainText(false);
    again.getState().setField('apiSecret', 'TopSecret999');
    await again.getState().save();
    expect(agreed.saved[0]).toMatchObject({ allowPlainText: false });
  });

  it('opens the login through the bridge and reports the outcome', async () => {
    const { bridge, openLogin } = electronBridge();
    const store = createKiteLoginStore(bridge);
    await store.getState().openLogin(LOGIN);
    expect(openLogin).toHaveBeenCalledWith(LOGIN);
    expect(store.getState().notice?.tone).toBe('ok');
  });

  it('in web mode opens Kite in a new tab without an opener, and refuses other pages', async () => {
    const open = vi.fn();
    const bridge = kiteLoginBridgeFor({ location: { origin: 'http://127.0.0.1:5780' }, open });
    expect(bridge).toMatchObject({ kind: 'web', callbackUrl: 'http://127.0.0.1:5780/kite/callback' });
    const store = createKiteLoginStore(bridge);
    await store.getState().openLogin(LOGIN);
    expect(open).toHaveBeenCalledWith(LOGIN, '_blank', 'noopener,noreferrer');
    expect(store.getState().notice?.text).toContain('http://127.0.0.1:5780/kite/callback');
    await store.getState().openLogin('https://evil.com/connect/login');
    expect(open).toHaveBeenCalledTimes(1);
    expect(store.getState().notice?.tone).toBe('error');
    // Nothing to save in web mode.
    await store.getState().save();
    expect(store.getState().attempted).toBe(false);
  });

  it('uses the preload when the app put it on window', async () => {
    const preload = {
      setKiteCredentials: vi.fn(() => Promise.resolve({ ok: true })),
      kiteCredentialsState: vi.fn(),
      openKiteLogin: vi.fn(() => Promise.resolve({ ok: true })),
    };
    const bridge = kiteLoginBridgeFor(
      Object.assign({ location: { origin: 'app://terminal' }, open: vi.fn() }, { shrivenq: preload }),
    );
    expect(bridge.kind).toBe('electron');
    await bridge.openLogin(LOGIN);
    expect(preload.openKiteLogin).toHaveBeenCalledWith(LOGIN);
  });
});
