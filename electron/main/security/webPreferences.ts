/**
 * The webPreferences of every window. Written out in full (even where it repeats Electron's default)
 * so a reviewer, Electronegativity and the test all see each setting in one literal.
 * Electron's `WebPreferences` accepts this shape; startMain.ts checks that at compile time.
 */
export interface SecureWebPreferences {
  readonly preload: string;
  readonly contextIsolation: true;
  readonly sandbox: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly experimentalFeatures: false;
  readonly webviewTag: false;
  readonly navigateOnDragDrop: false;
  readonly safeDialogs: true;
  readonly spellcheck: false;
  readonly devTools: boolean;
  readonly additionalArguments: string[];
}

export interface SecureWebPreferencesOptions {
  /** Dev tools only in unpackaged builds. */
  readonly devTools?: boolean;
  /** Extra `process.argv` entries for the preload (it has no other way to learn app name/version). */
  readonly additionalArguments?: readonly string[];
}

export function secureWebPreferences(
  preloadPath: string,
  options: SecureWebPreferencesOptions = {},
): SecureWebPreferences {
  return {
    preload: preloadPath,
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
    devTools: options.devTools ?? false,
    additionalArguments: [...(options.additionalArguments ?? [])],
  };
}

/**
 * The login window's webPreferences: the same lock-down, no preload (Kite's page gets no bridge to
 * main), no dev tools, and its own in-memory session so Kite's cookies never share the app's.
 */
export interface LoginWebPreferences extends Omit<SecureWebPreferences, 'preload'> {
  readonly partition: string;
  readonly devTools: false;
}

/** The in-memory session partition of the login window (no `persist:` prefix: nothing on disk). */
export const LOGIN_PARTITION = 'kite-login';

export function loginWebPreferences(): LoginWebPreferences {
  return {
    partition: LOGIN_PARTITION,
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
  };
}
