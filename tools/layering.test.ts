// Proves the layering of ARCHITECTURE.md is enforced by tools: ESLint's import rules and the
// per-layer tsconfigs each reject a file that imports `electron` outside electron/main and preload.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

const violations = [
  "import { app } from 'electron';\nexport const a = app;\n",
  "import 'electron';\nexport const a = 1;\n",
  "import type { BrowserWindow } from 'electron';\nexport type W = BrowserWindow;\n",
  "import { ipcMain } from 'electron/main';\nexport const a = ipcMain;\n",
];

const forbiddenLayers = [
  'shared/probe.ts',
  'native/probe.ts',
  'electron/engine/probe.ts',
  'electron/engine/oms/probe.ts',
  'electron/sim/probe.ts',
  'electron/web/probe.ts',
  'renderer/probe.tsx',
];

// Lint the text as if it lived at `file`, without type information (the probe is not on disk).
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ['**/*.ts', '**/*.tsx'] }],
});

async function importErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('ESLint import rules', () => {
  it.each(forbiddenLayers.flatMap((file) => violations.map((code) => [file, code] as const)))(
    'reject electron in %s: %j',
    async (file, code) => {
      const errors = await importErrors(code, file);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join('\n')).toMatch(/electron\/main and electron\/preload/);
    },
  );

  it.each(['electron/main/probe.ts', 'electron/preload/probe.ts'])('allow electron in %s', async (file) => {
    expect(await importErrors(violations[0] ?? '', file)).toEqual([]);
  });

  it('keep shared/ pure and nothing importing renderer/', async () => {
    expect(
      await importErrors("import fs from 'node:fs';\nexport const a = fs;\n", 'shared/probe.ts'),
    ).not.toEqual([]);
    expect(
      await importErrors(
        "import { x } from '../../renderer/x';\nexport const a = x;\n",
        'electron/engine/probe.ts',
      ),
    ).not.toEqual([]);
    expect(
      await importErrors(
        "import { x } from '../electron/engine/engine';\nexport const a = x;\n",
        'renderer/probe.ts',
      ),
    ).not.toEqual([]);
    expect(
      await importErrors(
        "import { x } from '../engine/engine';\nexport const a = x;\n",
        'electron/main/probe.ts',
      ),
    ).not.toEqual([]);
    expect(await importErrors("import { z } from 'zod';\nexport const a = z;\n", 'shared/probe.ts')).toEqual(
      [],
    );
  });
});

describe('per-layer tsconfigs', () => {
  // Inside the repo (ignored by git), so the probes find node_modules/@types like real sources do.
  mkdirSync(path.join(root, '.vite'), { recursive: true });
  const tmp = mkdtempSync(path.join(root, '.vite', 'layering-'));
  const tsc = createRequire(__filename).resolve('typescript/bin/tsc');
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Type-checks one probe file under a layer's tsconfig; returns tsc's output, '' when clean. */
  function typecheck(layer: string, code: string, ext = '.ts'): string {
    const file = path.join(tmp, `probe-${layer.replace(/\W/g, '_')}${ext}`);
    writeFileSync(file, code);
    const config = path.join(tmp, `tsconfig-${layer.replace(/\W/g, '_')}.json`);
    writeFileSync(
      config,
      JSON.stringify({ extends: path.join(root, layer, 'tsconfig.json'), include: [], files: [file] }),
    );
    try {
      execFileSync(process.execPath, [tsc, '-p', config], { encoding: 'utf8' });
      return '';
    } catch (e) {
      return String((e as { stdout?: string }).stdout);
    }
  }

  it.each(['shared', 'native', 'electron/engine', 'electron/sim', 'electron/web', 'renderer'])(
    'fail to compile an electron import in %s',
    (layer) => {
      const out = typecheck(layer, "import 'electron';\nexport const a = 1;\n");
      expect(out).toMatch(/only electron\/main and electron\/preload may import electron/);
    },
  );

  it('compile the same file in electron/main', () => {
    expect(typecheck('electron/main', "import { app } from 'electron';\nexport const a = app;\n")).toBe('');
  });

  it('give shared/ no Node and no DOM', () => {
    expect(typecheck('shared', "import fs from 'node:fs';\nexport const a = fs;\n")).toMatch(/node:fs/);
    expect(typecheck('shared', 'export const a = document.title;\n')).toMatch(/document/);
  });
});
