import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TextFile } from './credentialsStore';

/**
 * A text file written atomically (a temporary file beside it, then a rename) and readable by its
 * owner only (0600: it holds the encrypted secret).
 */
export function privateTextFile(file: string): TextFile {
  return {
    async read() {
      try {
        return await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async write(text) {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, file);
    },
  };
}
