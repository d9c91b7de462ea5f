import { describe, expect, it } from 'vitest';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { fuseConfig } from './fuses';

describe('fuseConfig', () => {
  const config = fuseConfig();

  it.each([
    [FuseV1Options.RunAsNode, false],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
    [FuseV1Options.EnableNodeCliInspectArguments, false],
    [FuseV1Options.GrantFileProtocolExtraPrivileges, false],
    [FuseV1Options.OnlyLoadAppFromAsar, true],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
    [FuseV1Options.EnableCookieEncryption, true],
  ])('sets fuse %s to %s', (fuse, value) => {
    expect(config[fuse]).toBe(value);
  });

  it('is fuse wire V1 and sets nothing else', () => {
    expect(config.version).toBe(FuseVersion.V1);
    expect(Object.keys(config).sort()).toEqual(
      [
        'version',
        ...[
          FuseV1Options.RunAsNode,
          FuseV1Options.EnableNodeOptionsEnvironmentVariable,
          FuseV1Options.EnableNodeCliInspectArguments,
          FuseV1Options.GrantFileProtocolExtraPrivileges,
          FuseV1Options.OnlyLoadAppFromAsar,
          FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
          FuseV1Options.EnableCookieEncryption,
        ].map(String),
      ].sort(),
    );
  });
});
