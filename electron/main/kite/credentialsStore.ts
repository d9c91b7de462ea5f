import { DEFAULT_KITE_REDIRECT_URL } from '../../../shared/electronBridge';
import type { BridgeResult, KiteCredentialsState } from '../../../shared/electronBridge';
import type { KiteCredentials } from '../../../shared/venue';
import type { SafeStorageLike } from '../electronLike';
import {
  checkCredentialsInput,
  nextPlainTextAllowed,
  parseStoredCredentials,
  refused,
  storageBackendName,
  storageDecision,
} from './credentialsPolicy';
import type { StoredCredentials } from './credentialsPolicy';

/** One text file (the credentials file in userData); see textFile.ts for the real one. */
export interface TextFile {
  /** The file's text, or null when there is none. */
  read(): Promise<string | null>;
  /** Replaces the file (atomically, readable by the user only). */
  write(text: string): Promise<void>;
}

export interface KiteCredentialsStoreOptions {
  readonly safeStorage: SafeStorageLike;
  readonly platform: NodeJS.Platform;
  readonly file: TextFile;
  /** After a load or save changed what the engine should have. */
  readonly onChange: (credentials: KiteCredentials | null) => void;
  readonly log: (line: string) => void;
}

/**
 * The Kite app's key and secret, entered once in settings: a file in userData with the secret
 * encrypted by safeStorage. Main only; the decrypted secret goes to the engine, never to a window.
 * Loads and saves run one at a time, in call order.
 */
export class KiteCredentialsStore {
  private stored: StoredCredentials | null = null;
  private current: KiteCredentials | null = null;
  private problem: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: KiteCredentialsStoreOptions) {}

  /** The decrypted credentials, or null. */
  get credentials(): KiteCredentials | null {
    return this.current;
  }

  get redirectUrl(): string {
    return this.stored?.redirectUrl ?? DEFAULT_KITE_REDIRECT_URL;
  }

  /** What a window may know: no secret. */
  state(): KiteCredentialsState {
    const backend = this.backend();
    const plainTextAllowed = this.stored?.plainTextAllowed ?? false;
    const decision = storageDecision(this.options.platform, backend, plainTextAllowed);
    return {
      apiKey: this.stored?.apiKey ?? null,
      backend,
      plainTextAllowed,
      redirectUrl: this.redirectUrl,
      problem: decision.ok ? this.problem : decision.reason,
    };
  }

  /** Reads and decrypts the file (after app ready: safeStorage needs it). Never throws. */
  load(): Promise<void> {
    return this.serially(async () => {
      const text = await this.options.file.read().catch((e: unknown) => {
        this.problem = `The credentials file could not be read: ${String(e)}`;
        return null;
      });
      if (text === null) {
        this.publish(null);
        return;
      }
      const stored = parseStoredCredentials(text);
      if (stored === null) {
        this.problem = 'The credentials file is damaged; enter the API key and secret again';
        this.publish(null);
        return;
      }
      this.stored = stored;
      const ready = await this.prepare(stored.plainTextAllowed);
      if (!ready.ok) {
        this.problem = ready.reason;
        this.publish(null);
        return;
      }
      try {
        const { result, shouldReEncrypt } = await this.options.safeStorage.decryptStringAsync(
          Buffer.from(stored.encryptedSecret, 'base64'),
        );
        this.problem = null;
        this.publish({ apiKey: stored.apiKey, apiSecret: result });
        if (shouldReEncrypt) await this.write({ ...stored }, result).catch(() => undefined);
      } catch (e) {
        this.problem = `The stored API secret could not be decrypted (${String(e)}); enter it again`;
        this.publish(null);
      }
    });
  }

  /** Checks, encrypts and stores what the settings form sent, then tells the engine. */
  save(input: unknown): Promise<BridgeResult> {
    return this.serially(async () => {
      const checked = checkCredentialsInput(input);
      if (!checked.ok) return checked;
      const { apiKey, apiSecret, redirectUrl, allowPlainText } = checked.value;
      const plainTextAllowed = nextPlainTextAllowed(allowPlainText, this.stored?.plainTextAllowed ?? false);
      const ready = await this.prepare(plainTextAllowed);
      if (!ready.ok) return ready;
      const next: StoredCredentials = {
        version: 1,
        apiKey,
        encryptedSecret: '',
        redirectUrl,
        plainTextAllowed,
      };
      try {
        await this.write(next, apiSecret);
      } catch (e) {
        return refused(`The credentials could not be saved: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.problem = null;
      this.publish({ apiKey, apiSecret });
      return { ok: true };
    });
  }

  private backend(): string {
    return storageBackendName(this.options.platform, () =>
      this.options.safeStorage.getSelectedStorageBackend(),
    );
  }

  /** Whether safeStorage may and can encrypt now; switches it to its plain-text key if agreed. */
  private async prepare(plainTextAllowed: boolean): Promise<BridgeResult> {
    const decision = storageDecision(this.options.platform, this.backend(), plainTextAllowed);
    if (!decision.ok) return decision;
    if (decision.usePlainText) this.options.safeStorage.setUsePlainTextEncryption(true);
    const available = await this.options.safeStorage.isAsyncEncryptionAvailable().catch(() => false);
    return available
      ? { ok: true }
      : refused('safeStorage cannot encrypt on this system, so the API secret is not stored');
  }

  private async write(next: StoredCredentials, apiSecret: string): Promise<void> {
    const encrypted = await this.options.safeStorage.encryptStringAsync(apiSecret);
    const stored: StoredCredentials = { ...next, encryptedSecret: Buffer.from(encrypted).toString('base64') };
    await this.options.file.write(`${JSON.stringify(stored, null, 2)}\n`);
    this.stored = stored;
  }

  private publish(credentials: KiteCredentials | null): void {
    this.current = credentials;
    this.options.onChange(credentials);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch((e: unknown) => {
      this.options.log(`credentials: ${String(e)}`);
    });
    return run;
  }
}
