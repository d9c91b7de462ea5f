import { describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, takeToken } from './token';
import type { TokenStorage } from './token';

function memoryStorage(initial: Record<string, string> = {}): TokenStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
  };
}

const throwingStorage: TokenStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
};

describe('takeToken', () => {
  it('takes the token from the URL, remembers it and gives the address without it', () => {
    const storage = memoryStorage();
    const taken = takeToken('http://127.0.0.1:5780/?token=abc-_123', storage);
    expect(taken).toEqual({ token: 'abc-_123', cleanUrl: '/' });
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe('abc-_123');
  });

  it('keeps other query parameters and the hash when cleaning the address', () => {
    const taken = takeToken('http://127.0.0.1:5780/index.html?layout=2&token=t0k&x=y#panel', memoryStorage());
    expect(taken).toEqual({ token: 't0k', cleanUrl: '/index.html?layout=2&x=y#panel' });
  });

  it('prefers the URL over an older stored token (the server was restarted)', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' });
    expect(takeToken('http://h/?token=new', storage).token).toBe('new');
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('falls back to the stored token after a reload without one in the URL', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'kept' });
    expect(takeToken('http://h/', storage)).toEqual({ token: 'kept', cleanUrl: undefined });
  });

  it('has no token when neither the URL nor storage has one', () => {
    expect(takeToken('http://h/', memoryStorage())).toEqual({ token: undefined, cleanUrl: undefined });
    expect(takeToken('http://h/?token=', memoryStorage())).toEqual({ token: undefined, cleanUrl: undefined });
    expect(takeToken('http://h/', undefined)).toEqual({ token: undefined, cleanUrl: undefined });
  });

  it('survives storage that throws', () => {
    expect(takeToken('http://h/?token=abc', throwingStorage)).toEqual({ token: 'abc', cleanUrl: '/' });
    expect(takeToken('http://h/', throwingStorage)).toEqual({ token: undefined, cleanUrl: undefined });
  });

  it('decodes an escaped token', () => {
    expect(takeToken('http://h/?token=a%2Bb%3D', memoryStorage()).token).toBe('a+b=');
  });
});
