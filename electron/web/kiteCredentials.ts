/**
 * Web mode's Kite credentials: from `KITE_API_KEY` and `KITE_API_SECRET`, or a JSON file given with
 * `--kite-credentials FILE` (`{"apiKey": "..", "apiSecret": ".."}`) that only its owner may read.
 * There is no safeStorage here: the file's permissions are the protection, so a file others can
 * read is refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { isKiteKey } from '../../shared/venue';
import type { KiteCredentials } from '../../shared/venue';

export type KiteCredentialsResult =
  | { readonly ok: true; readonly credentials: KiteCredentials | null; readonly source: string }
  | { readonly ok: false; readonly reason: string };

/** Why a credentials file with these permission bits must not be used; null when it may. */
export function fileModeProblem(file: string, mode: number, platform: NodeJS.Platform): string | null {
  // Windows has no such bits (Node reports 0o666 for any writable file): its ACLs decide.
  if (platform === 'win32') return null;
  const readableByOthers = mode & 0o044;
  if (readableByOthers === 0) return null;
  const who = [mode & 0o040 ? 'its group' : '', mode & 0o004 ? 'every user' : ''].filter((w) => w !== '');
  return (
    `${file} can be read by ${who.join(' and ')} (mode ${(mode & 0o777).toString(8).padStart(3, '0')}): ` +
    'it holds the Kite API secret, which lets anyone who reads it trade on your account. ' +
    `Run \`chmod 600 ${file}\` and start again.`
  );
}

/** The credentials in a file's JSON text, or why not. */
export function parseCredentialsJson(text: string, file: string): KiteCredentialsResult {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${file} is not JSON (expected {"apiKey": "..", "apiSecret": ".."})` };
  }
  const o = typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
  if (!isKiteKey(o['apiKey']) || !isKiteKey(o['apiSecret']))
    return { ok: false, reason: `${file}: apiKey and apiSecret must each be 6-64 letters and digits` };
  return { ok: true, credentials: { apiKey: o['apiKey'], apiSecret: o['apiSecret'] }, source: file };
}

/** The credentials in the environment: both variables or neither. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): KiteCredentialsResult {
  const apiKey = env['KITE_API_KEY'];
  const apiSecret = env['KITE_API_SECRET'];
  if (apiKey === undefined && apiSecret === undefined) return { ok: true, credentials: null, source: 'none' };
  if (apiKey === undefined || apiSecret === undefined)
    return { ok: false, reason: 'Set both KITE_API_KEY and KITE_API_SECRET, or neither' };
  if (!isKiteKey(apiKey) || !isKiteKey(apiSecret))
    return { ok: false, reason: 'KITE_API_KEY and KITE_API_SECRET must each be 6-64 letters and digits' };
  return { ok: true, credentials: { apiKey, apiSecret }, source: 'environment' };
}

/** The file if one is given (it wins over the environment), else the environment. */
export async function loadKiteCredentials(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Promise<KiteCredentialsResult> {
  if (file === undefined) return credentialsFromEnv(env);
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (e) {
    return { ok: false, reason: `${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const problem = fileModeProblem(file, mode, platform);
  if (problem !== null) return { ok: false, reason: problem };
  return parseCredentialsJson(await readFile(file, 'utf8'), file);
}
