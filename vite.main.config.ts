// Vite config for the Node bundles Electron runs: main (this file's default), and the engine and the
// local exchange utility processes (vite.engine.config.ts, vite.sim.config.ts). Forge's Vite plugin
// merges these over its own defaults (outDir .vite/build, electron and Node built-ins external, the
// MAIN_WINDOW_VITE_* defines) and supplies the entry; the settings repeated here let the same file
// build without Forge too.
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import type { ConfigEnv, LibraryOptions, UserConfig, UserConfigFnObject } from 'vite';

/**
 * Left as `require()`: Electron, Node's built-ins, and native addons (they cannot be bundled; the
 * packaged app carries them in node_modules, see forge.config.ts). bufferutil and utf-8-validate are
 * ws's optional natives, required inside try/catch.
 */
export const NODE_EXTERNALS: (string | RegExp)[] = [
  'electron',
  /^electron\//,
  ...builtinModules,
  /^node:/,
  'better-sqlite3',
  'bufferutil',
  'utf-8-validate',
];

/** The entry Forge's plugin passes in `forgeConfigSelf`, if Forge is the one building. */
export function forgeEntry(env: ConfigEnv): LibraryOptions['entry'] | undefined {
  return (env as { forgeConfigSelf?: { entry?: LibraryOptions['entry'] } }).forgeConfigSelf?.entry;
}

/**
 * One CommonJS file for Electron's Node (v24 in Electron 45) at `.vite/build/<fileName>`.
 * `.js` is CommonJS because package.json has no `"type": "module"`; main finds its siblings with
 * `path.join(__dirname, fileName)`.
 */
export function nodeBundleConfig(fileName: string, entry: string): UserConfigFnObject {
  return defineConfig((env) => {
    const config: UserConfig = {
      build: {
        outDir: '.vite/build',
        emptyOutDir: false,
        target: 'node22',
        sourcemap: true,
        minify: env.command === 'build',
        lib: { entry: forgeEntry(env) ?? entry, formats: ['cjs'], fileName: () => fileName },
        rolldownOptions: { external: NODE_EXTERNALS },
      },
      resolve: {
        // Node builds of dependencies (ws, axios), never their browser builds.
        conditions: ['node'],
        mainFields: ['module', 'jsnext:main', 'jsnext'],
      },
      clearScreen: false,
    };
    return config;
  });
}

export default nodeBundleConfig('main.js', 'electron/main/index.ts');
