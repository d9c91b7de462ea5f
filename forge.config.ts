// Electron Forge: how `npm start` runs the app and how `npm run package` / `npm run make` build it.
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerDMG } from '@electron-forge/maker-dmg';
import type { MakerRpmConfig } from '@electron-forge/maker-rpm';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { fuseConfig } from './electron/main/security/fuses';

/**
 * Native addons stay outside the Vite bundles (see vite.main.config.ts), so the package must carry
 * them and what they require at run time (not their install-time tools such as prebuild-install).
 * Forge rebuilds them for Electron's ABI after copying.
 */
const NATIVE_RUNTIME_MODULES = ['better-sqlite3', 'bindings', 'file-uri-to-path'];

const PACKAGED = ['/.vite', '/package.json', ...NATIVE_RUNTIME_MODULES.map((m) => `/node_modules/${m}`)];

/**
 * Electron Packager's copy filter (paths start with "/"): keep the Vite output, package.json and the
 * native modules; drop sources, tests and every other dependency (bundled already). Setting this
 * replaces the Vite plugin's default filter, which keeps only /.vite.
 */
function ignore(file: string): boolean {
  if (file === '') return false;
  return !PACKAGED.some(
    (keep) => file === keep || file.startsWith(`${keep}/`) || keep.startsWith(`${file}/`),
  );
}

const ICON = 'assets/icons/icon';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'ShrivenQ',
    executableName: 'shrivenq',
    appBundleId: 'in.shrivenq.terminal',
    appCategoryType: 'public.app-category.finance',
    // The packager adds .icns (macOS) or .ico (Windows).
    icon: ICON,
    // One archive (OnlyLoadAppFromAsar and its integrity check rely on it); native addons are
    // unpacked next to it because the OS loader cannot read inside an archive.
    asar: { unpack: '**/*.node' },
    ignore,
  },
  rebuildConfig: {},
  makers: [
    new MakerZIP({}, ['darwin', 'linux', 'win32']),
    new MakerSquirrel({ name: 'shrivenq', setupIcon: `${ICON}.ico` }),
    new MakerDMG({ icon: `${ICON}.icns`, format: 'ULFO' }),
    new MakerDeb({
      options: {
        name: 'shrivenq',
        productName: 'ShrivenQ',
        genericName: 'Trading Terminal',
        bin: 'shrivenq',
        icon: `${ICON}.png`,
        categories: ['Office'],
        section: 'misc',
      },
    }),
    // maker-rpm is still on Forge 7 (its instance type differs from Forge 8's): let Forge resolve it
    // by name instead.
    {
      name: '@electron-forge/maker-rpm',
      platforms: ['linux'],
      config: {
        options: {
          name: 'shrivenq',
          productName: 'ShrivenQ',
          genericName: 'Trading Terminal',
          bin: 'shrivenq',
          icon: `${ICON}.png`,
          categories: ['Office'],
        },
      } satisfies MakerRpmConfig,
    },
  ],
  plugins: [
    new VitePlugin({
      // Node bundles next to each other in .vite/build: main.js, preload.js, engine.js, sim.js.
      build: [
        { entry: 'electron/main/index.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload/index.ts', config: 'vite.preload.config.ts', target: 'preload' },
        { entry: 'electron/engine/host/main.ts', config: 'vite.engine.config.ts', target: 'main' },
        { entry: 'electron/sim/host/main.ts', config: 'vite.sim.config.ts', target: 'main' },
      ],
      // Output .vite/renderer/main_window; main reads MAIN_WINDOW_VITE_DEV_SERVER_URL / _NAME.
      renderer: [{ name: 'main_window', config: 'vite.config.ts' }],
    }),
    // Flipped in the packaged binary only; `npm start` runs the stock Electron.
    new FusesPlugin(fuseConfig()),
  ],
};

export default config;
