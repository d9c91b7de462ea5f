import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { Settings, SettingsPatch, settingsService } from '../../../shared/services/settings';
import type { HotkeyBindings } from '../../../shared/services/workspace';
import type { EngineLink } from '../market';
import { createHotkeyRegistry } from './registry';
import type { HotkeyRegistry } from './registry';

/** The parts of the engine's settings service the hotkeys read and write. */
export type HotkeySettingsService = Pick<ServiceOf<typeof settingsService>, 'get' | 'set' | 'onChanged'>;

/** The window's hotkey state beside the registry: the order-confirmation setting and the overlay. */
export interface HotkeysState {
  /**
   * settings.confirmOrders: an order hotkey opens the ticket's confirm step first. True until the
   * settings have loaded (the safe side).
   */
  readonly confirmOrders: boolean;
  /** The settings have been read from the engine at least once. */
  readonly loaded: boolean;
  /** The help overlay is open (hotkeys other than its own do not fire meanwhile). */
  readonly helpOpen: boolean;
}

/** A window's hotkeys: the registry, the settings it persists to, and the overlay's state. */
export interface HotkeysHandle extends Disposable {
  readonly registry: HotkeyRegistry;
  readonly store: StoreApi<HotkeysState>;
  /** Turns settings.confirmOrders on or off (every window follows). */
  setConfirmOrders(on: boolean): void;
  /** Opens or closes the help overlay. */
  setHelpOpen(open: boolean): void;
}

export interface StartHotkeysOptions {
  /** Where bindings and confirmOrders live; without it they last for this page only. */
  readonly settings?: HotkeySettingsService;
  /** Re-reads the settings on every new engine connection. */
  readonly link?: EngineLink;
}

/** The patch that stores the user's bindings: overrides only, by command id. */
export function hotkeysPatch(overrides: HotkeyBindings): SettingsPatch {
  return { hotkeys: overrides };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Starts a window's hotkeys: a registry whose overrides are settings.hotkeys (read at start and on
 * each connection, followed live through settings.onChanged, written by every rebind and reset),
 * and settings.confirmOrders. Lives outside React, like the other bridges; dispose on pagehide.
 */
export function startHotkeys(options: StartHotkeysOptions = {}): HotkeysHandle {
  const { settings, link } = options;
  const owned = new DisposableStore();
  const store = createStore<HotkeysState>()(() => ({ confirmOrders: true, loaded: false, helpOpen: false }));

  const apply = (s: Settings): void => {
    registry.setOverrides(s.hotkeys);
    store.setState({ confirmOrders: s.confirmOrders, loaded: true });
  };
  const save = (patch: SettingsPatch): void => {
    if (settings === undefined) return;
    settings.set(patch).then(apply, (e: unknown) => {
      registry.notify('refused', `Could not save the setting: ${message(e)}`);
      fetch();
    });
  };
  const registry = createHotkeyRegistry({
    onOverridesChanged: (overrides) => {
      save(hotkeysPatch(overrides));
    },
  });
  const fetch = (): void => {
    if (settings === undefined || (link !== undefined && !link.isConnected())) return;
    settings.get().then(apply, () => undefined);
  };

  if (settings !== undefined) {
    owned.add(settings.onChanged(apply));
    if (link !== undefined) owned.add(link.onConnected(fetch));
    fetch();
  }

  return {
    registry,
    store,
    setConfirmOrders: (on) => {
      store.setState({ confirmOrders: on });
      save({ confirmOrders: on });
    },
    setHelpOpen: (open) => {
      store.setState({ helpOpen: open });
    },
    dispose: () => {
      owned.dispose();
    },
  };
}
