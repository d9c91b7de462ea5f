import { DisposableStore, toDisposable } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { Settings, settingsService } from '../../../shared/services/settings';
import type { EngineLink } from '../market';
import { layoutsOf } from './layoutStore';
import type { LayoutStore } from './layoutStore';
import type { Theme, ThemeStore } from './themeStore';

/** The parts of the settings service the workspace uses. */
export type WorkspaceSettingsService = Pick<ServiceOf<typeof settingsService>, 'get' | 'set' | 'onChanged'>;

/** The window's timers (tests pass fakes). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Where this browser keeps the last layout it showed (localStorage), for the first paint of the next load. */
export const LAYOUT_CACHE_KEY = 'shrivenq.layout.v1';

export function cachedLayout(
  storage: Pick<Storage, 'getItem'> | undefined,
): { readonly name: string; readonly tree: unknown } | undefined {
  try {
    const raw = storage?.getItem(LAYOUT_CACHE_KEY);
    if (raw === null || raw === undefined) return undefined;
    const parsed = JSON.parse(raw) as { name?: unknown; tree?: unknown };
    return typeof parsed.name === 'string' ? { name: parsed.name, tree: parsed.tree } : undefined;
  } catch {
    return undefined;
  }
}

export interface WorkspaceSettings extends Disposable {
  /** Asks the engine to change the theme (shown at once; settings confirm it). */
  setTheme(theme: Theme): void;
  /** Saves a pending layout change now (the window is going away). */
  flush(): void;
}

export interface WorkspaceSettingsOptions {
  readonly settings: WorkspaceSettingsService;
  readonly link: EngineLink;
  readonly theme: ThemeStore;
  /** The window's layout; absent in a popped-out panel (it has none to keep). */
  readonly layout?: LayoutStore | undefined;
  readonly storage?: Pick<Storage, 'setItem'> | undefined;
  readonly timers?: Timers;
  /** How long a layout must stay still before it is saved (a splitter drag is many changes). */
  readonly saveDelayMs?: number;
}

/**
 * Keeps the window's theme and layout in the profile's settings. Settings are read on every
 * connection and followed as they change (another window, another tab); a local layout change is
 * saved `saveDelayMs` after the last one. While a change of ours waits or is on its way, what
 * settings say about layouts is not applied (it is older than what is on screen); before settings
 * have answered once, a local change is merged over them rather than replacing saved layouts
 * unseen.
 */
export function startWorkspaceSettings(options: WorkspaceSettingsOptions): WorkspaceSettings {
  const { settings, link, theme, layout, storage } = options;
  const timers: Timers = options.timers ?? {
    setTimeout: (cb, ms) => setTimeout(cb, ms),
    clearTimeout: (h) => {
      clearTimeout(h as ReturnType<typeof setTimeout>);
    },
  };
  const delay = options.saveDelayMs ?? 500;
  const owned = new DisposableStore();
  let loaded = false;
  let dirty = false;
  let inFlight = false;
  let timer: unknown;
  // A theme the user chose that settings have not confirmed yet (chosen while the link was down, or
  // on its way): settings' older word on the theme is not applied meanwhile.
  let wantedTheme: Theme | undefined;

  const sendTheme = (): void => {
    const next = wantedTheme;
    if (next === undefined || !link.isConnected()) return;
    settings.set({ theme: next }).then(
      () => {
        if (wantedTheme === next) wantedTheme = undefined;
      },
      () => undefined, // Sent again on the next connection.
    );
  };

  const cache = (): void => {
    if (layout === undefined) return;
    const { name, tree } = layout.getState();
    try {
      storage?.setItem(LAYOUT_CACHE_KEY, JSON.stringify({ name, tree }));
    } catch {
      // The next load starts from the default until settings answer.
    }
  };

  const save = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (layout === undefined || !dirty || inFlight || !loaded || !link.isConnected()) return;
    dirty = false;
    inFlight = true;
    cache();
    settings.set({ layouts: layoutsOf(layout.getState()) }).then(
      () => {
        inFlight = false;
        if (dirty) schedule();
      },
      () => {
        // Refused or the link dropped: keep it for the next try (the next change or connection).
        inFlight = false;
        dirty = true;
      },
    );
  };
  const schedule = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = timers.setTimeout(save, delay);
  };

  const received = (s: Settings, first: boolean): void => {
    if (wantedTheme === undefined) theme.getState().themeChanged(s.theme);
    if (layout === undefined) return;
    if (first && !loaded) {
      loaded = true;
      if (dirty) {
        // Edited before settings answered: keep the edit, and the saved layouts it did not touch.
        layout.getState().merge(s.layouts);
        save();
        return;
      }
    }
    if (dirty || inFlight || timer !== undefined) return;
    layout.getState().adopt(s.layouts);
    cache();
  };

  if (layout !== undefined) {
    owned.add(
      toDisposable(
        layout.subscribe((s, prev) => {
          if (s.revision === prev.revision) return;
          dirty = true;
          schedule();
        }),
      ),
    );
  }
  const fetch = (): void => {
    if (!link.isConnected()) return;
    sendTheme();
    settings.get().then(
      (s) => {
        received(s, true);
        if (dirty) save();
      },
      () => undefined, // The next connection asks again.
    );
  };
  owned.add(
    settings.onChanged((s) => {
      received(s, false);
    }),
  );
  owned.add(link.onConnected(fetch));
  fetch();
  owned.add(
    toDisposable(() => {
      if (timer !== undefined) timers.clearTimeout(timer);
    }),
  );

  return {
    setTheme: (next) => {
      theme.getState().themeChanged(next);
      wantedTheme = next;
      sendTheme();
    },
    flush: save,
    dispose: () => {
      owned.dispose();
    },
  };
}
