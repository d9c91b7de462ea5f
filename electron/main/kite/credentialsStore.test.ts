import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KiteCredentials } from '../../../shared/venue';
import { FakeSafeStorage } from '../testing/fakeElectron';
import { PLAIN_TEXT_REFUSED } from './credentialsPolicy';
import { KiteCredentialsStore } from './credentialsStore';
import type { TextFile } from './credentialsStore';
import { privateTextFile } from './textFile';

function memoryFile(text: string | null = null): TextFile & { text: string | null; writes: number } {
  return {
    text,
    writes: 0,
    read() {
      return Promise.resolve(this.text);
    },
    write(next: string) {
      this.text = next;
      this.writes += 1;
      return Promise.resolve();
    },
  };
}

function store(file: TextFile, safeStorage = new FakeSafeStorage(), platform: NodeJS.Platform = 'linux') {
  const changes: (KiteCredentials | null)[] = [];
  const s = new KiteCredentialsStore({
    safeStorage,
    platform,
    file,
    onChange: (c) => changes.push(c),
    log: () => undefined,
  });
  return { s, changes, safeStorage };
}

const INPUT = { apiKey: 'abcdef12', apiSecret: 'TopSecret999' };

describe('KiteCredentialsStore', () => {
  it('keeps the secret encrypted on disk, reads it back in a new store, and tells the engine', async () => {
    const file = memoryFile();
    const first = store(file);
    await first.s.load();
    expect(first.changes).toEqual([null]);
    expect(await first.s.save(INPUT)).toEqual({ ok: true });
    expect(first.changes.at(-1)).toEqual(INPUT);
    expect(file.text).not.toContain('TopSecret999');

    const second = store(file);
    await second.s.load();
    expect(second.s.credentials).toEqual(INPUT);
    expect(second.changes).toEqual([INPUT]);
    expect(second.s.state()).toEqual({
      apiKey: 'abcdef12',
      backend: 'gnome_libsecret',
      plainTextAllowed: false,
      redirectUrl: 'http://127.0.0.1/shrivenq/kite',
      problem: null,
    });
    expect(JSON.stringify(second.s.state())).not.toContain('TopSecret999');
  });

  it('refuses Linux basic_text without the agreement: nothing written, the engine not told, the reason given', async () => {
    const file = memoryFile();
    const { s, changes, safeStorage } = store(file, new FakeSafeStorage('basic_text'));
    await s.load();
    expect(s.state().problem).toBe(PLAIN_TEXT_REFUSED);
    expect(await s.save(INPUT)).toEqual({ ok: false, reason: PLAIN_TEXT_REFUSED });
    expect(file.writes).toBe(0);
    expect(changes).toEqual([null]);
    expect(safeStorage.plainTextKey).toBe(false);
  });

  it('stores under basic_text once agreed, keeps the agreement on later saves, and drops it on false', async () => {
    const file = memoryFile();
    const { s, changes, safeStorage } = store(file, new FakeSafeStorage('basic_text'));
    await s.load();
    expect(await s.save({ ...INPUT, allowPlainText: true })).toEqual({ ok: true });
    expect(safeStorage.plainTextKey).toBe(true);
    expect(s.state()).toMatchObject({ backend: 'basic_text', plainTextAllowed: true, problem: null });
    expect(JSON.parse(file.text ?? '{}')).toMatchObject({ plainTextAllowed: true });
    expect(await s.save({ ...INPUT, apiSecret: 'OtherSecret1' })).toEqual({ ok: true });
    expect(changes.at(-1)).toEqual({ ...INPUT, apiSecret: 'OtherSecret1' });
    expect(await s.save({ ...INPUT, allowPlainText: false })).toEqual({
      ok: false,
      reason: PLAIN_TEXT_REFUSED,
    });
    expect(changes.at(-1)).toEqual({ ...INPUT, apiSecret: 'OtherSecret1' });
  });

  it('does not use a file saved under a secret store once the session has only basic_text', async () => {
    const file = memoryFile();
    const before = store(file);
    await before.s.save(INPUT);
    const after = store(file, new FakeSafeStorage('basic_text'));
    await after.s.load();
    expect(after.s.credentials).toBeNull();
    expect(after.changes).toEqual([null]);
    expect(after.safeStorage.decryptCalls).toBe(0);
    expect(after.s.state()).toMatchObject({ apiKey: 'abcdef12', problem: PLAIN_TEXT_REFUSED });
  });

  it('reports a damaged file or a secret that no longer decrypts, and gives the engine nothing', async () => {
    const damaged = store(memoryFile('{"version":1'));
    await damaged.s.load();
    expect(damaged.changes).toEqual([null]);
    expect(damaged.s.state().problem).toMatch(/damaged/);

    const text = JSON.stringify({
      version: 1,
      apiKey: 'abcdef12',
      encryptedSecret: Buffer.from('other machine').toString('base64'),
      redirectUrl: 'http://127.0.0.1/shrivenq/kite',
      plainTextAllowed: false,
    });
    const foreign = store(memoryFile(text));
    await foreign.s.load();
    expect(foreign.s.credentials).toBeNull();
    expect(foreign.s.state().problem).toMatch(/could not be decrypted/);
  });

  it('refuses to store when safeStorage cannot encrypt', async () => {
    const file = memoryFile();
    const { s } = store(file, new FakeSafeStorage('kwallet5', false));
    expect(await s.save(INPUT)).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot encrypt/) });
    expect(file.writes).toBe(0);
  });

  it('refuses malformed input without touching the file', async () => {
    const file = memoryFile();
    const { s, changes } = store(file, new FakeSafeStorage(), 'darwin');
    expect(await s.save({ apiKey: 'short', apiSecret: 'TopSecret999' })).toMatchObject({ ok: false });
    expect(file.writes).toBe(0);
    expect(changes).toEqual([]);
    expect(s.state().backend).toBe('keychain');
  });

  it('keeps the redirect URL with the credentials', async () => {
    const file = memoryFile();
    const { s } = store(file);
    await s.save({ ...INPUT, redirectUrl: 'https://example.com/kite/cb' });
    const again = store(file);
    await again.s.load();
    expect(again.s.redirectUrl).toBe('https://example.com/kite/cb');
  });
});

describe('privateTextFile', () => {
  it('reads null when absent, writes a file only its owner can read, and replaces it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shrivenq-cred-'));
    try {
      const file = privateTextFile(path.join(dir, 'nested', 'kite-credentials.json'));
      expect(await file.read()).toBeNull();
      await file.write('one');
      await file.write('two');
      expect(await file.read()).toBe('two');
      const mode = (await stat(path.join(dir, 'nested', 'kite-credentials.json'))).mode & 0o777;
      if (process.platform !== 'win32') expect(mode).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
