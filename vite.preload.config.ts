// The preload bundle: .vite/build/preload.js. A sandboxed preload is one CommonJS script that may
// require only `electron` (and a few polyfilled modules), so everything else is bundled in and
// nothing is split into chunks.
import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';
import { forgeEntry } from './vite.main.config';

export default defineConfig((env) => {
  const config: UserConfig = {
    build: {
      outDir: '.vite/build',
      emptyOutDir: false,
      // It runs in the renderer: Chromium 142 in Electron 45.
      target: 'chrome130',
      sourcemap: true,
      minify: env.command === 'build',
      rolldownOptions: {
        external: ['electron'],
        // Under Forge the plugin sets `input` from the build entry.
        ...(forgeEntry(env) === undefined ? { input: 'electron/preload/index.ts' } : {}),
        output: {
          format: 'cjs',
          entryFileNames: 'preload.js',
          codeSplitting: false,
        },
      },
    },
    clearScreen: false,
  };
  return config;
});
