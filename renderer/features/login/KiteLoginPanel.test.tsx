import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { KiteLoginPanel } from './KiteLoginPanel';
import type { LoginSession } from './kiteLogin';
import type { KiteLoginBridge } from './kiteLoginBridge';
import { createKiteLoginStore } from './kiteLoginStore';

const loggedOut: LoginSession = {
  venue: 'kite',
  state: 'logged-out',
  loginUrl: 'https://kite.zerodha.com/connect/login?api_key=abcdef12&v=3',
  message: 'Log in to Kite',
};

const electron: KiteLoginBridge = {
  kind: 'electron',
  saveCredentials: vi.fn(),
  credentialsState: vi.fn(),
  openLogin: vi.fn(),
};
const web: KiteLoginBridge = {
  kind: 'web',
  callbackUrl: 'http://127.0.0.1:5780/kite/callback',
  openLogin: vi.fn(),
};

describe('KiteLoginPanel', () => {
  it('renders the secret as an empty password field, even with a secret typed in the store', () => {
    const store = createKiteLoginStore(electron, {
      apiSecret: 'TopSecret999',
      stored: {
        apiKey: 'abcdef12',
        backend: 'basic_text',
        plainTextAllowed: false,
        redirectUrl: 'http://127.0.0.1/shrivenq/kite',
        problem: 'no secret store',
      },
    });
    expect(store.getState().apiSecret).toBe('TopSecret999');
    const html = renderToStaticMarkup(<KiteLoginPanel session={loggedOut} bridge={electron} store={store} />);
    const secretField = /<input[^>]*id="kite-api-secret"[^>]*>/.exec(html)?.[0] ?? '';
    expect(secretField).toContain('type="password"');
    expect(secretField).not.toContain('value=');
    expect(html).not.toContain('TopSecret999');
    expect(html).toContain('Log in to Kite</button>');
    expect(html).toContain('no secret store');
    expect(html).toContain('Store the secret without a secret store');
    expect(html).toContain('API key abcdef12');
  });

  it('hides the login button when logged in and shows the session message', () => {
    const html = renderToStaticMarkup(
      <KiteLoginPanel session={{ ...loggedOut, state: 'logged-in', message: '' }} bridge={electron} />,
    );
    expect(html).not.toContain('Log in to Kite</button>');
    expect(html).toContain('data-state="logged-in"');
  });

  it('in web mode explains where the credentials come from and names the callback', () => {
    const html = renderToStaticMarkup(<KiteLoginPanel session={loggedOut} bridge={web} />);
    expect(html).not.toContain('<form');
    expect(html).toContain('KITE_API_KEY');
    expect(html).toContain('--kite-credentials FILE');
    expect(html).toContain('http://127.0.0.1:5780/kite/callback');
    expect(html).toContain('Log in to Kite</button>');
  });
});
