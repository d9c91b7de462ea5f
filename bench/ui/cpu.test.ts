import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuUse, descendants, parseMachineStat, parseProcStat, roleOf } from './cpu';
import type { CpuSnapshot } from './cpu';

describe('/proc parsing', () => {
  it('reads pid, parent, a name with spaces and parentheses, and user + system ticks', () => {
    const text =
      '4242 (Chrome (Child) x) S 4200 4242 4518 0 -1 4194304 99 0 0 0 150 25 0 0 20 0 1 0 345246 3133440 407';
    expect(parseProcStat(text)).toEqual({ pid: 4242, ppid: 4200, comm: 'Chrome (Child) x', ticks: 175 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads the machine line: busy is all but idle and iowait', () => {
    expect(parseMachineStat('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3')).toEqual({
      busy: 150,
      total: 1000,
    });
    expect(parseMachineStat('intr 1 2')).toBeUndefined();
  });

  it('names our processes by their command line', () => {
    expect(roleOf('/usr/bin/node --import tsx /w/electron/sim/host/main.ts --always-open')).toBe(
      'local exchange',
    );
    expect(roleOf('node --import tsx /w/electron/engine/host/main.ts --mode sim')).toBe('engine');
    expect(roleOf('node --import tsx electron/web/serve.ts --port 0')).toBe('web host');
    expect(roleOf('/usr/lib/chromium/chromium --type=renderer --enable-x')).toBe('chromium renderer');
    expect(roleOf('/usr/lib/chromium/chromium --type=gpu-process')).toBe('chromium gpu-process');
    expect(roleOf('/usr/lib/chromium/chromium --headless --no-sandbox')).toBe('chromium browser');
  });

  it('finds a child process of ours', async () => {
    const child = spawn('sleep', ['5']);
    await new Promise((r) => setTimeout(r, 100));
    try {
      expect(descendants(process.pid).map((d) => d.stat.pid)).toContain(child.pid);
    } finally {
      child.kill();
    }
  });
});

describe('cpuUse', () => {
  it('gives cores per role over the window, a new process counted from zero', () => {
    const snap = (
      at: number,
      procs: [number, string, number][],
      busy: number,
      total: number,
    ): CpuSnapshot => ({
      at,
      processes: new Map(procs.map(([pid, role, ticks]) => [pid, { role, ticks }])),
      machine: { busy, total },
    });
    const before = snap(
      0,
      [
        [1, 'engine', 1_000],
        [2, 'chromium renderer', 500],
      ],
      0,
      0,
    );
    const after = snap(
      10_000,
      [
        [1, 'engine', 1_500],
        [2, 'chromium renderer', 1_300],
        [3, 'chromium renderer', 200],
      ],
      3_000,
      4_000,
    );
    const use = cpuUse(before, after, 2);
    expect(use.seconds).toBe(10);
    expect(use.byRole).toEqual([
      { role: 'chromium renderer', cores: 1 },
      { role: 'engine', cores: 0.5 },
    ]);
    expect(use.ours).toBe(1.5);
    expect(use.machine).toBe(1.5);
  });
});
