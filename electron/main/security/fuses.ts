// Imported by forge.config.ts (the fuses plugin) and by its test; never by the main bundle.
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { FuseV1Config } from '@electron/fuses';

/**
 * The fuses flipped in the packaged Electron binary. Off: running the binary as plain Node
 * (ELECTRON_RUN_AS_NODE), NODE_OPTIONS, `--inspect`, extra file:// privileges. On: load the app only
 * from app.asar, validate its integrity (macOS and Windows; Linux has no such check), encrypt cookies.
 * A fused build cannot be driven by Playwright (it needs `--inspect`): e2e runs the unfused dev build.
 */
export function fuseConfig(): FuseV1Config {
  return {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.EnableCookieEncryption]: true,
  };
}
