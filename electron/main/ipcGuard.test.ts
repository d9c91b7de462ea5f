import { describe, expect, it, vi } from 'vitest';
import { GuardedIpc, refuseSender } from './ipcGuard';
import { APP_ORIGIN } from './security/origins';
import { createFakeElectron, FakeSession, FakeWebContents, ipcEvent } from './testing/fakeElectron';

const origins = [APP_ORIGIN];
const top = { url: 'app://terminal/', parent: null };

describe('refuseSender', () => {
  it('accepts a top-level frame of our origin', () => {
    expect(refuseSender(top, origins)).toBeNull();
  });

  it.each([
    [null, 'no-frame'],
    [{ url: 'app://terminal/frame.html', parent: top }, 'subframe'],
    [{ url: 'https://evil.com/', parent: null }, 'foreign-origin'],
    [{ url: 'app://terminal.evil/', parent: null }, 'foreign-origin'],
    [{ url: 'about:blank', parent: null }, 'foreign-origin'],
  ] as const)('refuses %o: %s', (frame, why) => {
    expect(refuseSender(frame, origins)).toBe(why);
  });
});

describe('GuardedIpc', () => {
  const setup = () => {
    const fake = createFakeElectron();
    const refused = vi.fn();
    const ipc = new GuardedIpc(fake.electron.ipcMain, origins, refused);
    const sender = new FakeWebContents(new FakeSession());
    return { fake, ipc, refused, sender };
  };

  it('runs an `on` listener only for our own top-level frame', () => {
    const { fake, ipc, refused, sender } = setup();
    const listener = vi.fn();
    ipc.on('x', listener);
    const registered = fake.ipcMain.listeners.get('x');
    expect(registered).toBeDefined();

    registered?.(ipcEvent(sender, null));
    registered?.(ipcEvent(sender, { url: 'https://evil.com/' }));
    registered?.(ipcEvent(sender, { url: 'app://terminal/', parent: top }));
    expect(listener).not.toHaveBeenCalled();
    expect(refused.mock.calls).toEqual([
      ['x', 'no-frame'],
      ['x', 'foreign-origin'],
      ['x', 'subframe'],
    ]);

    registered?.(ipcEvent(sender, top), 42);
    expect(listener).toHaveBeenCalledWith(expect.objectContaining({ sender }), 42);
  });

  it('rejects a `handle` call from a foreign or vanished frame, and answers ours', async () => {
    const { fake, ipc, sender } = setup();
    ipc.handle('y', (_event, n) => Number(n) * 2);
    const handler = fake.ipcMain.handlers.get('y');
    expect(handler).toBeDefined();
    expect(() => handler?.(ipcEvent(sender, null))).toThrow(/refused: no-frame/);
    expect(() => handler?.(ipcEvent(sender, { url: 'file:///x' }))).toThrow(/refused: foreign-origin/);
    expect(await handler?.(ipcEvent(sender, top), 21)).toBe(42);
    expect(ipc.channels).toEqual(['y']);
  });

  it('reads senderFrame once, before the listener runs', () => {
    const { fake, ipc, sender } = setup();
    let reads = 0;
    const event = {
      sender,
      get senderFrame() {
        reads += 1;
        return top;
      },
    };
    const seen: number[] = [];
    ipc.on('z', () => seen.push(reads));
    fake.ipcMain.listeners.get('z')?.(event);
    expect(seen).toEqual([1]);
  });
});
