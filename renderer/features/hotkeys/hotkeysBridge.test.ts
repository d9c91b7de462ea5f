import { describe, expect, it, vi } from 'vitest';
import { toDisposable } from '../../../shared/disposable';
import { SettingsSchema } from '../../../shared/services/settings';
import type { Settings, SettingsPatch } from '../../../shared/services/settings';
import { hotkeysPatch, startHotkeys } from './hotkeysBridge';
import type { HotkeySettingsService } from './hotkeysBridge';

/** An in-memory settings service that validates patches as the engine does and streams changes. */
function fakeSettings(initial: Partial<Pick<Settings, 'hotkeys' | 'confirmOrders'>> = {}) {
  let settings: Settings = SettingsSchema.parse(initial);
  const listeners = new Set<(s: Settings) => void>();
  const patches: Parameters<HotkeySettingsService['set']>[0][] = [];
  let failNext = false;
  const service: HotkeySettingsService = {
    get: () => Promise.resolve(settings),
    set: (patch) => {
      patches.push(patch);
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('invalid patch'));
      }
      settings = SettingsSchema.parse({ ...settings, ...patch });
      for (const l of listeners) l(settings);
      return Promise.resolve(settings);
    },
    onChanged: (listener) => {
      listeners.add(listener);
      return toDisposable(() => listeners.delete(listener));
    },
  };
  return {
    service,
    patches,
    failNextSet: () => {
      failNext = true;
    },
    /** Another window changed the settings. */
    changeElsewhere: (patch: SettingsPatch) => {
      settings = SettingsSchema.parse({ ...settings, ...patch });
      for (const l of listeners) l(settings);
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const buy = { id: 'orders.buy', label: 'Buy', category: 'Orders', keys: ['B'], run: vi.fn() } as const;

describe('hotkeys and settings', () => {
  it('loads the user’s bindings and confirmOrders at start (confirm stays on until then)', async () => {
    const s = fakeSettings({ hotkeys: { 'orders.buy': ['Ctrl+B'] }, confirmOrders: false });
    const h = startHotkeys({ settings: s.service });
    h.registry.register([buy]);
    expect(h.store.getState()).toMatchObject({ confirmOrders: true, loaded: false });
    await flush();
    expect(h.store.getState()).toMatchObject({ confirmOrders: false, loaded: true });
    expect(h.registry.bindingsOf('orders.buy')).toEqual(['Ctrl+B']);
    h.dispose();
  });

  it('a rebind is stored as settings.set({ hotkeys }) with overrides only', async () => {
    const s = fakeSettings();
    const h = startHotkeys({ settings: s.service });
    h.registry.register([buy, { ...buy, id: 'orders.sell', keys: ['S'] }]);
    await flush();
    h.registry.rebind('orders.buy', ['F9']);
    h.registry.rebind('orders.sell', ['S']); // the default: no override
    expect(s.patches).toEqual([{ hotkeys: { 'orders.buy': ['F9'] } }, { hotkeys: { 'orders.buy': ['F9'] } }]);
    expect(hotkeysPatch({ a: ['X'] })).toEqual({ hotkeys: { a: ['X'] } });
    h.registry.reset('orders.buy');
    expect(s.patches.at(-1)).toEqual({ hotkeys: {} });
    h.dispose();
  });

  it('follows a change made in another window, live', async () => {
    const s = fakeSettings();
    const h = startHotkeys({ settings: s.service });
    h.registry.register([buy]);
    await flush();
    s.changeElsewhere({ hotkeys: { 'orders.buy': ['Alt+B'] }, confirmOrders: false });
    expect(h.registry.bindingsOf('orders.buy')).toEqual(['Alt+B']);
    expect(h.store.getState().confirmOrders).toBe(false);
    h.dispose();
    s.changeElsewhere({ hotkeys: {} });
    expect(h.registry.bindingsOf('orders.buy')).toEqual(['Alt+B']); // disposed: no longer listening
  });

  it('toggles confirmOrders through settings; a failed save says so and re-reads', async () => {
    const s = fakeSettings();
    const h = startHotkeys({ settings: s.service });
    h.registry.register([buy]);
    await flush();
    h.setConfirmOrders(false);
    expect(s.patches).toEqual([{ confirmOrders: false }]);
    await flush();
    s.failNextSet();
    h.registry.rebind('orders.buy', ['F9']);
    await flush();
    await flush();
    expect(h.registry.store.getState().notice?.text).toContain('Could not save');
    expect(h.registry.bindingsOf('orders.buy')).toEqual(['B']); // re-read: the engine kept the old
    h.dispose();
  });

  it('re-reads on every new connection', () => {
    const s = fakeSettings();
    const get = vi.spyOn(s.service, 'get');
    let onConnected: () => void = () => undefined;
    let connected = false;
    const h = startHotkeys({
      settings: s.service,
      link: {
        isConnected: () => connected,
        onConnected: (l) => {
          onConnected = l;
          return toDisposable(() => undefined);
        },
      },
    });
    expect(get).not.toHaveBeenCalled(); // not connected yet
    connected = true;
    onConnected();
    expect(get).toHaveBeenCalledTimes(1);
    h.dispose();
  });
});
