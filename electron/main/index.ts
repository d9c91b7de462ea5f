// Electron main's entry: hands the real `electron` module to startMain(). Everything else lives in
// files that Vitest can load without an Electron binary.
import { readFile } from 'node:fs/promises';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { startMain } from './startMain';

// Defined by @electron-forge/plugin-vite at build time. `typeof` guards keep a build without the
// define (or with it set to undefined) from throwing a ReferenceError.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string | undefined;

const { ready } = startMain(
  {
    app,
    BrowserWindow,
    ipcMain,
    Menu,
    MessageChannelMain,
    protocol,
    safeStorage,
    session,
    shell,
    utilityProcess,
  },
  {
    buildDir: __dirname,
    devServerUrl:
      typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined,
    rendererName: typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : 'main_window',
    argv: process.argv,
    platform: process.platform,
    readFile,
  },
);
ready.catch((e: unknown) => {
  process.stderr.write(
    `[main] start-up failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  app.exit(1);
});
