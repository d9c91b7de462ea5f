// The renderer build. Electron Forge's Vite plugin and web mode (`npm run serve`) both load the
// output from .vite/renderer/main_window: over the custom protocol app://terminal/ in the app, over
// http://127.0.0.1 in web mode. Both serve it with a strict CSP (script-src 'self'; style-src 'self'),
// so the build must emit no inline script or style.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** Cross-origin isolation, as web mode and the app serve it (SharedArrayBuffer needs it). */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('renderer', import.meta.url)),
  // Relative asset URLs, so the page loads from app://terminal/ as well as from http://host/.
  base: './',
  publicDir: false,
  clearScreen: false,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('.vite/renderer/main_window', import.meta.url)),
    // The output is outside `root`; Vite only empties it when told to.
    emptyOutDir: true,
    // Electron 45 ships Chromium 142; web mode targets a current Chromium too.
    target: 'chrome130',
    cssTarget: 'chrome130',
    // Chromium supports modulepreload natively; no polyfill.
    modulePreload: { polyfill: false },
    // No data: URLs for assets (font-src 'self' would refuse an inlined font).
    assetsInlineLimit: 0,
    sourcemap: true,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  server: {
    headers: isolationHeaders,
    fs: { allow: [repoRoot] },
  },
  preview: { headers: isolationHeaders },
});
