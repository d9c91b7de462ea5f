import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, KITE_DOCS_URL } from './menu';
import { windowOpenDecision } from './security/navigation';

function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role === undefined ? [] : [item.role]),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

const base = { appName: 'ShrivenQ', openExternal: () => undefined };

describe('appMenuTemplate', () => {
  it.each(['linux', 'win32'] as const)('has File, Edit, View, Window, Help on %s', (platform) => {
    const labels = appMenuTemplate({ ...base, platform, isPackaged: true }).map((m) => m.label);
    expect(labels).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
  });

  it('puts the app menu first on macOS', () => {
    const labels = appMenuTemplate({ ...base, platform: 'darwin', isPackaged: true }).map((m) => m.label);
    expect(labels).toEqual(['ShrivenQ', 'File', 'Edit', 'View', 'Window', 'Help']);
  });

  it.each(['linux', 'win32', 'darwin'] as const)(
    'offers no dev tools or reload when packaged (%s)',
    (platform) => {
      const all = roles(appMenuTemplate({ ...base, platform, isPackaged: true }));
      expect(all).not.toContain('toggleDevTools');
      expect(all).not.toContain('reload');
      expect(all).not.toContain('forceReload');
      expect(all).toEqual(expect.arrayContaining(['copy', 'paste', 'selectAll', 'undo', 'zoomIn']));
    },
  );

  it('offers dev tools in dev builds', () => {
    expect(roles(appMenuTemplate({ ...base, platform: 'linux', isPackaged: false }))).toContain(
      'toggleDevTools',
    );
  });

  it('opens the Kite docs, which are on the external-link allowlist', () => {
    const openExternal = vi.fn();
    const help = appMenuTemplate({ ...base, openExternal, platform: 'linux', isPackaged: true }).at(-1);
    const item = Array.isArray(help?.submenu) ? help.submenu[0] : undefined;
    item?.click?.(undefined as never, undefined, undefined as never);
    expect(openExternal).toHaveBeenCalledWith(KITE_DOCS_URL);
    expect(windowOpenDecision(KITE_DOCS_URL).openExternally).toBe(KITE_DOCS_URL);
  });
});
