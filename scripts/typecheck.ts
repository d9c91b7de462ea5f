// Type-checks every layer with its own tsconfig (ARCHITECTURE.md: the layering is enforced by
// per-layer `types`/`lib`/`paths`), then tests and tools with the root tsconfig. Two at a time.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const projects = [
  'shared',
  'native',
  'electron/engine',
  'electron/sim',
  'electron/web',
  'electron/main',
  'electron/preload',
  'renderer',
  '.',
];

const tsc = createRequire(__filename).resolve('typescript/bin/tsc');

function check(project: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty'], { stdio: 'inherit' });
    child.on('exit', (code) => {
      if (code !== 0) console.error(`typecheck failed: ${project}`);
      resolve(code === 0);
    });
  });
}

async function main(): Promise<void> {
  const queue = [...projects];
  const failed: string[] = [];
  const lane = async (): Promise<void> => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) if (!(await check(p))) failed.push(p);
  };
  await Promise.all([lane(), lane()]);
  if (failed.length > 0) process.exit(1);
  console.log(`typecheck: ${projects.length} projects clean`);
}

void main();
