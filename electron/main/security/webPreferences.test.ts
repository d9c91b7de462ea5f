import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from './webPreferences';

describe('secureWebPreferences', () => {
  it('isolates, sandboxes and keeps Node out of every renderer', () => {
    expect(secureWebPreferences('/app/.vite/build/preload.js')).toEqual({
      preload: '/app/.vite/build/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
      additionalArguments: [],
    });
  });

  it('never sets blink features or a custom partition', () => {
    const prefs: Record<string, unknown> = { ...secureWebPreferences('/p.js') };
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('partition');
    expect(prefs).not.toHaveProperty('session');
  });

  it('turns on dev tools only when asked and copies the preload arguments', () => {
    const args = ['--shrivenq-app-version=1.2.3'];
    const prefs = secureWebPreferences('/p.js', { devTools: true, additionalArguments: args });
    expect(prefs.devTools).toBe(true);
    expect(prefs.additionalArguments).toEqual(args);
    expect(prefs.additionalArguments).not.toBe(args);
    expect(prefs.sandbox).toBe(true);
  });
});
