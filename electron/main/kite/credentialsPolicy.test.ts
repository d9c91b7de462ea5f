import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KITE_REDIRECT_URL } from '../../../shared/electronBridge';
import {
  checkCredentialsInput,
  checkRedirectUrl,
  nextPlainTextAllowed,
  parseStoredCredentials,
  PLAIN_TEXT_REFUSED,
  storageBackendName,
  storageDecision,
} from './credentialsPolicy';

describe('storageDecision', () => {
  it('refuses Linux basic_text unless the user agreed, and says why', () => {
    expect(storageDecision('linux', 'basic_text', false)).toEqual({ ok: false, reason: PLAIN_TEXT_REFUSED });
    expect(PLAIN_TEXT_REFUSED).toMatch(/basic_text/);
    expect(PLAIN_TEXT_REFUSED).toMatch(/no secret store/);
    expect(storageDecision('linux', 'basic_text', true)).toEqual({ ok: true, usePlainText: true });
  });
  it('accepts a real Linux secret store without the plain-text key', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])
      expect(storageDecision('linux', backend, false)).toEqual({ ok: true, usePlainText: false });
  });
  it('refuses a backend not known yet (asked before ready), even with the agreement', () => {
    expect(storageDecision('linux', 'unknown', true).ok).toBe(false);
  });
  it('always accepts macOS and Windows (their stores are always there) and never switches to plain text', () => {
    expect(storageDecision('darwin', 'basic_text', false)).toEqual({ ok: true, usePlainText: false });
    expect(storageDecision('win32', 'unknown', false)).toEqual({ ok: true, usePlainText: false });
  });
  it('names the backend: Linux asks safeStorage, the others are fixed', () => {
    expect(storageBackendName('linux', () => 'kwallet6')).toBe('kwallet6');
    expect(storageBackendName('darwin', () => 'x')).toBe('keychain');
    expect(storageBackendName('win32', () => 'x')).toBe('dpapi');
  });
});

describe('checkCredentialsInput', () => {
  const good = { apiKey: 'abcdef12', apiSecret: 'S3cretSecret' };
  it('accepts 6-64 alphanumerics and defaults the redirect URL', () => {
    expect(checkCredentialsInput(good)).toEqual({
      ok: true,
      value: { ...good, redirectUrl: DEFAULT_KITE_REDIRECT_URL, allowPlainText: undefined },
    });
    expect(checkCredentialsInput({ ...good, redirectUrl: '  ' })).toMatchObject({
      value: { redirectUrl: DEFAULT_KITE_REDIRECT_URL },
    });
    expect(checkCredentialsInput({ ...good, apiKey: 'a'.repeat(64), allowPlainText: true })).toMatchObject({
      ok: true,
      value: { allowPlainText: true },
    });
  });
  it.each([
    ['a key too short', { ...good, apiKey: 'abc12' }, /API key/],
    ['a key too long', { ...good, apiKey: 'a'.repeat(65) }, /API key/],
    ['a key with punctuation', { ...good, apiKey: 'abc-def' }, /API key/],
    ['a secret with a space', { ...good, apiSecret: 'abc def12' }, /API secret/],
    ['a missing secret', { apiKey: 'abcdef12' }, /API secret/],
    ['a non-boolean agreement', { ...good, allowPlainText: 'yes' }, /allowPlainText/],
    ['an unknown field', { ...good, accessToken: 'x' }, /Unknown field accessToken/],
    ['a javascript: redirect', { ...good, redirectUrl: 'javascript:alert(1)' }, /http or https/],
    ['a redirect with a password', { ...good, redirectUrl: 'http://u:p@127.0.0.1/' }, /password/],
    ['not an object', 'abcdef12', /Expected/],
    ['null', null, /Expected/],
  ])('refuses %s', (_what, input, why) => {
    const result = checkCredentialsInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(why);
  });
  it('accepts exactly the 6-64 alphanumeric keys (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (key) => {
        const ok = checkCredentialsInput({ ...good, apiKey: key }).ok;
        return ok === /^[A-Za-z0-9]{6,64}$/.test(key);
      }),
    );
  });
  it('normalises the redirect URL', () => {
    expect(checkRedirectUrl('HTTP://127.0.0.1:80/shrivenq/kite')).toEqual({
      ok: true,
      url: 'http://127.0.0.1/shrivenq/kite',
    });
    expect(checkRedirectUrl('https://example.com/cb#x').ok).toBe(false);
  });
});

describe('the stored file', () => {
  const stored = {
    version: 1,
    apiKey: 'abcdef12',
    encryptedSecret: 'ZW5jOnNlY3JldA==',
    redirectUrl: 'http://127.0.0.1/shrivenq/kite',
    plainTextAllowed: false,
  };
  it('reads our own file back', () => {
    expect(parseStoredCredentials(JSON.stringify(stored))).toEqual(stored);
  });
  it.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ ...stored, version: 2 })],
    ['a plain-text secret field', JSON.stringify({ ...stored, encryptedSecret: 'not base64!' })],
    ['a bad key', JSON.stringify({ ...stored, apiKey: 'x' })],
    ['no agreement flag', JSON.stringify({ ...stored, plainTextAllowed: 'true' })],
  ])('refuses %s', (_what, text) => {
    expect(parseStoredCredentials(text)).toBeNull();
  });
  it('keeps the plain-text agreement unless the form says otherwise', () => {
    expect(nextPlainTextAllowed(undefined, true)).toBe(true);
    expect(nextPlainTextAllowed(undefined, false)).toBe(false);
    expect(nextPlainTextAllowed(false, true)).toBe(false);
    expect(nextPlainTextAllowed(true, false)).toBe(true);
  });
});
