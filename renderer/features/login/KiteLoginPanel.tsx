import './login.css';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { credentialsFormErrors, offersPlainText, showLoginButton, storageLine } from './kiteLogin';
import type { LoginSession } from './kiteLogin';
import type { KiteLoginBridge } from './kiteLoginBridge';
import { createKiteLoginStore } from './kiteLoginStore';
import type { KiteLoginStore } from './kiteLoginStore';

export interface KiteLoginPanelProps {
  /** The engine's session state (the session service's `onState`); undefined until known. */
  readonly session: LoginSession | undefined;
  /** `kiteLoginBridgeFor(window)`. */
  readonly bridge: KiteLoginBridge;
  /** For tests; one is made from `bridge` otherwise. */
  readonly store?: KiteLoginStore;
}

function Field(props: {
  readonly id: string;
  readonly label: string;
  readonly error: string;
  readonly children: ReactNode;
}) {
  return (
    <div className="kite-login__field" data-invalid={props.error !== ''}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error === '' ? null : (
        <span className="kite-login__error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** The app: the credentials form, saved in main. */
function CredentialsForm({ store }: { readonly store: KiteLoginStore }) {
  const s = useStore(store);
  const errors = s.attempted ? credentialsFormErrors(s) : { apiKey: '', apiSecret: '', redirectUrl: '' };
  return (
    <form
      className="kite-login__form"
      aria-label="Kite Connect credentials"
      onSubmit={(e) => {
        e.preventDefault();
        void s.save();
      }}
    >
      <p className="kite-login__line" data-field="storage">
        {storageLine(s.stored)}
      </p>
      {s.stored?.problem == null ? null : (
        <p className="kite-login__line" data-tone="warn" data-field="problem">
          {s.stored.problem}
        </p>
      )}
      <Field id="kite-api-key" label="API key" error={errors.apiKey}>
        <input
          id="kite-api-key"
          name="apiKey"
          autoComplete="off"
          spellCheck={false}
          value={s.apiKey}
          onChange={(e) => {
            s.setField('apiKey', e.target.value);
          }}
        />
      </Field>
      <Field id="kite-api-secret" label="API secret" error={errors.apiSecret}>
        {/* Uncontrolled: the secret is never written back into the page (no value attribute); a
            new key makes an empty field once it is saved. */}
        <input
          key={s.secretGeneration}
          id="kite-api-secret"
          name="apiSecret"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={s.stored?.apiKey == null ? '' : 'stored; type a new one to replace it'}
          onChange={(e) => {
            s.setField('apiSecret', e.target.value);
          }}
        />
      </Field>
      <Field id="kite-redirect-url" label="Redirect URL" error={errors.redirectUrl}>
        <input
          id="kite-redirect-url"
          name="redirectUrl"
          autoComplete="off"
          spellCheck={false}
          value={s.redirectUrl}
          onChange={(e) => {
            s.setField('redirectUrl', e.target.value);
          }}
        />
      </Field>
      {offersPlainText(s.stored) ? (
        <label className="kite-login__check">
          <input
            type="checkbox"
            checked={s.allowPlainText}
            onChange={(e) => {
              s.setAllowPlainText(e.target.checked);
            }}
          />
          Store the secret without a secret store (readable by anyone who can read my files)
        </label>
      ) : null}
      <div className="kite-login__actions">
        <button type="submit" disabled={s.busy !== 'idle'}>
          {s.busy === 'saving' ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

/** Web mode: where the credentials come from instead. */
function WebCredentials({ callbackUrl }: { readonly callbackUrl: string }) {
  return (
    <div className="kite-login__web" data-field="web-credentials">
      <p className="kite-login__line">
        In web mode the credentials come from the host: start <code>npm run serve</code> with{' '}
        <code>KITE_API_KEY</code> and <code>KITE_API_SECRET</code> set, or with{' '}
        <code>--kite-credentials FILE</code> (JSON <code>{'{"apiKey", "apiSecret"}'}</code>, readable by you
        only: <code>chmod 600</code>).
      </p>
      <p className="kite-login__line">
        Register <code data-field="callback-url">{callbackUrl}</code> as the Kite app&apos;s redirect URL.
      </p>
    </div>
  );
}

/**
 * Kite Connect: the app's credentials (entered once; the secret goes to main and is never shown
 * again) and the "Log in to Kite" button when the session waits for a login.
 */
export function KiteLoginPanel({ session, bridge, store: given }: KiteLoginPanelProps) {
  const [store] = useState(() => given ?? createKiteLoginStore(bridge));
  const busy = useStore(store, (s) => s.busy);
  const notice = useStore(store, (s) => s.notice);
  useEffect(() => {
    void store.getState().load();
  }, [store]);
  const loginUrl = session?.loginUrl ?? '';
  return (
    <section className="kite-login" aria-label="Kite login">
      <header className="kite-login__head">
        <span className="kite-login__title">Kite Connect</span>
        <span className="kite-login__state" data-state={session?.state ?? 'unknown'}>
          {session?.message ?? ''}
        </span>
      </header>
      <div className="kite-login__body">
        {showLoginButton(session) ? (
          <div className="kite-login__actions">
            <button
              type="button"
              className="kite-login__primary"
              disabled={busy !== 'idle'}
              onClick={() => {
                void store.getState().openLogin(loginUrl);
              }}
            >
              Log in to Kite
            </button>
          </div>
        ) : null}
        {bridge.kind === 'electron' ? (
          <CredentialsForm store={store} />
        ) : (
          <WebCredentials callbackUrl={bridge.callbackUrl} />
        )}
        {notice === null ? null : (
          <p className="kite-login__line" data-tone={notice.tone} data-field="notice" role="status">
            {notice.text}
          </p>
        )}
      </div>
    </section>
  );
}
