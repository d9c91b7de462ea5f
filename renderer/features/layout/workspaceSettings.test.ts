import { describe, expect, it } from 'vitest';
import { SettingsPatchSchema, SettingsSchema } from '../../../shared/services/settings';
import type { Settings, SettingsPatch } from '../../../shared/services/settings';
import { fakeLink, settle } from '../market/fakeMarket';
import { resizeSplit, sameLayout } from './layoutModel';
import { createLayoutStore } from './layoutStore';
import { PANEL_IDS, presetNamed } from './presets';
import { createThemeStore } from './themeStore';
import { LAYOUT_CACHE_KEY, cachedLayout, startWorkspaceSettings } from './workspaceSettings';
import { steppedTimers } from '../../../shared/rpc/steppedTimers';
import type { WorkspaceSettingsService } from './workspaceSettings';

// The theme and layout against an in-memory settings service that behaves like the engine's: `set`
// applies a patch, fires onChanged (before it answers, as over the wire), and answers the result.

function fakeSettings(initial: Partial<Settings> = {}) {
  let current = SettingsSchema.parse(initial);
  const listeners = new Set<(s: Settings) => void>();
  const sets: SettingsPatch[] = [];
  let gate: Promise<void> | undefined;
  const service: WorkspaceSettingsService = {
    get: () => Promise.resolve(current),
    set: async (patch) => {
      // The channel validates every patch before the service sees it.
      sets.push(SettingsPatchSchema.parse(patch));
      if (gate !== undefined) await gate;
      current = SettingsSchema.parse({ ...current, ...patch });
      for (const l of [...listeners]) l(current);
      return current;
    },
    onChanged: (l) => {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
  };
  return {
    service,
    sets,
    /** Another window changes settings. */
    external(patch: SettingsPatch) {
      current = SettingsSchema.parse({ ...current, ...patch });
      for (const l of [...listeners]) l(current);
    },
    hold() {
      let release: () => void = () => undefined;
      gate = new Promise<void>((r) => {
        release = r;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

const known = new Set<string>(PANEL_IDS);
const scalper = presetNamed('scalper')?.tree;
if (scalper === undefined) throw new Error('no scalper');

function setup(initial: Partial<Settings> = {}) {
  const settings = fakeSettings(initial);
  const link = fakeLink();
  const time = steppedTimers();
  const layout = createLayoutStore(known);
  const theme = createThemeStore();
  const storage = new Map<string, string>();
  const workspace = startWorkspaceSettings({
    settings: settings.service,
    link,
    theme,
    layout,
    timers: time,
    saveDelayMs: 500,
    storage: { setItem: (k, v) => storage.set(k, v) },
  });
  return { settings, link, time, layout, theme, storage, workspace };
}

describe('workspace settings', () => {
  it('restores the layout and theme at start', async () => {
    const { layout, theme } = setup({
      theme: 'light',
      layouts: { active: 'scalper', saved: { scalper: resizeSplit(scalper, [], 0, 0.05) } },
    });
    await settle();
    expect(theme.getState().theme).toBe('light');
    expect(layout.getState().name).toBe('scalper');
    expect(sameLayout(layout.getState().tree, resizeSplit(scalper, [], 0, 0.05))).toBe(true);
    expect(layout.getState().revision).toBe(0);
  });

  it('saves a layout once it stays still (a drag is many changes), and its echo changes nothing', async () => {
    const { layout, settings, time, storage } = setup();
    await settle();
    let tree = layout.getState().tree;
    for (let i = 0; i < 20; i++) {
      tree = resizeSplit(tree, [], 0, 0.005);
      layout.getState().change(tree);
      time.advance(16);
    }
    expect(settings.sets).toEqual([]);
    time.advance(500);
    await settle();
    expect(settings.sets).toHaveLength(1);
    expect(settings.sets[0]?.layouts?.active).toBe('default');
    expect(sameLayout(settings.sets[0]?.layouts?.saved['default'], tree)).toBe(true);
    expect(layout.getState().tree).toBe(tree); // the echo did not replace the tree
    expect(cachedLayout({ getItem: (k) => storage.get(k) ?? null })?.name).toBe('default');
    expect(storage.has(LAYOUT_CACHE_KEY)).toBe(true);
  });

  it('follows a change made elsewhere, but not while its own change waits or is on its way', async () => {
    const { layout, settings, time } = setup();
    await settle();
    settings.external({ layouts: { active: 'charts', saved: {} } });
    expect(layout.getState().name).toBe('charts');

    // A local change waits to be saved: what settings say meanwhile is older than the screen.
    const mine = resizeSplit(layout.getState().tree, [], 0, 0.05);
    layout.getState().change(mine);
    settings.external({ layouts: { active: 'scalper', saved: {} } });
    expect(layout.getState().tree).toBe(mine);
    const release = settings.hold();
    time.advance(500);
    settings.external({ layouts: { active: 'scalper', saved: {} } });
    expect(layout.getState().tree).toBe(mine);
    release();
    await settle();
    expect(settings.sets.at(-1)?.layouts?.active).toBe('charts');
    expect(layout.getState().tree).toBe(mine);
  });

  it('saves a change made before settings answered over them, not instead of them', async () => {
    const settings = fakeSettings({
      layouts: { active: 'default', saved: { scalper: resizeSplit(scalper, [], 0, 0.05) } },
    });
    const link = fakeLink(false);
    const layout = createLayoutStore(known);
    const time = steppedTimers();
    startWorkspaceSettings({
      settings: settings.service,
      link,
      theme: createThemeStore(),
      layout,
      timers: time,
    });
    const mine = resizeSplit(layout.getState().tree, [], 0, 0.05);
    layout.getState().change(mine);
    time.advance(1000);
    expect(settings.sets).toEqual([]); // not connected, nothing known of settings yet
    link.connect();
    await settle();
    expect(settings.sets).toHaveLength(1);
    const saved = settings.sets[0]?.layouts?.saved ?? {};
    expect(Object.keys(saved).sort()).toEqual(['default', 'scalper']);
    expect(layout.getState().tree).toBe(mine);
  });

  it('switches the theme at once and asks settings to keep it', async () => {
    const { workspace, theme, settings } = setup();
    await settle();
    workspace.setTheme('light');
    expect(theme.getState().theme).toBe('light');
    await settle();
    expect(settings.sets).toEqual([{ theme: 'light' }]);
  });

  it('keeps a theme chosen while the link is down, and sends it on connecting', async () => {
    const settings = fakeSettings({ theme: 'light' });
    const link = fakeLink(false);
    const theme = createThemeStore('light');
    const workspace = startWorkspaceSettings({ settings: settings.service, link, theme });
    workspace.setTheme('dark');
    link.connect();
    await settle();
    expect(theme.getState().theme).toBe('dark');
    expect(settings.sets).toEqual([{ theme: 'dark' }]);
    // Later changes from elsewhere are followed again.
    settings.external({ theme: 'light' });
    expect(theme.getState().theme).toBe('light');
  });

  it('flushes a waiting change at once (the window is going away)', async () => {
    const { workspace, layout, settings } = setup();
    await settle();
    layout.getState().choose('scalper');
    workspace.flush();
    expect(settings.sets.map((s) => s.layouts?.active)).toEqual(['scalper']);
  });
});
