// CPU time of the processes the bench started (web mode's host, engine and exchange; Chromium's
// browser, renderers and GPU process) over the measured window, and of the whole machine, from
// /proc (Linux). On a 2-core box shared with other work, a page that misses its frames may be
// starved rather than slow: this says which.
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks a second in /proc's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** One process: its parent, name and CPU time so far (user + system), in clock ticks. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly ticks: number;
}

/** Reads `/proc/PID/stat`'s text (the name in parentheses may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the name: state(3) ppid(4) ... utime(14) stime(15), numbered from 1 with pid and comm.
  const ppid = Number(fields[1]);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const pid = Number(text.slice(0, open).trim());
  if (![pid, ppid, utime, stime].every(Number.isFinite)) return undefined;
  return { pid, ppid, comm: text.slice(open + 1, close), ticks: utime + stime };
}

/** Busy and total clock ticks of every CPU, from `/proc/stat`'s first line. */
export function parseMachineStat(
  text: string,
): { readonly busy: number; readonly total: number } | undefined {
  const line = text.split('\n')[0] ?? '';
  if (!line.startsWith('cpu ')) return undefined;
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  const total = n.reduce((s, x) => s + (Number.isFinite(x) ? x : 0), 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return { busy: total - idle, total };
}

/** What a process of ours is, from its command line. */
export function roleOf(cmdline: string): string {
  if (cmdline.includes('electron/sim/host/main.ts')) return 'local exchange';
  if (cmdline.includes('electron/engine/host/main.ts')) return 'engine';
  if (cmdline.includes('electron/web/serve.ts')) return 'web host';
  const type = /--type=([a-z-]+)/.exec(cmdline)?.[1];
  if (type !== undefined) return `chromium ${type}`;
  if (/chrom/i.test(cmdline)) return 'chromium browser';
  return 'other';
}

/** Every descendant of `root` now, with its role (Linux /proc; empty elsewhere). Allocates. */
export function descendants(root: number): { readonly stat: ProcStat; readonly role: string }[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const stats: ProcStat[] = [];
  for (const pid of pids) {
    try {
      const s = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (s !== undefined) stats.push(s);
    } catch {
      // Gone meanwhile.
    }
  }
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: { stat: ProcStat; role: string }[] = [];
  const walk = (pid: number): void => {
    for (const c of children.get(pid) ?? []) {
      let cmdline = c.comm;
      try {
        cmdline = readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        // Gone meanwhile: its name will do.
      }
      out.push({ stat: c, role: roleOf(cmdline) });
      walk(c.pid);
    }
  };
  walk(root);
  return out;
}

/** A snapshot to diff: our processes' ticks by pid (with roles) and the machine's. */
export interface CpuSnapshot {
  readonly at: number;
  readonly processes: ReadonlyMap<number, { readonly role: string; readonly ticks: number }>;
  readonly machine: { readonly busy: number; readonly total: number } | undefined;
}

export function cpuSnapshot(root: number = process.pid): CpuSnapshot {
  const processes = new Map<number, { role: string; ticks: number }>();
  for (const d of descendants(root)) processes.set(d.stat.pid, { role: d.role, ticks: d.stat.ticks });
  let machine: CpuSnapshot['machine'];
  try {
    machine = parseMachineStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    machine = undefined;
  }
  return { at: Date.now(), processes, machine };
}

/** CPU use between two snapshots, in cores (1 = one core busy all the time), per role, biggest first. */
export interface CpuUse {
  readonly seconds: number;
  readonly byRole: readonly { readonly role: string; readonly cores: number }[];
  /** Everything ours together, and the whole machine (ours plus whatever else ran). */
  readonly ours: number;
  readonly machine: number | undefined;
  readonly machineCores: number | undefined;
}

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot, cores: number): CpuUse {
  const seconds = (after.at - before.at) / 1000;
  const byRole = new Map<string, number>();
  let ours = 0;
  for (const [pid, p] of after.processes) {
    // A process started inside the window counts from zero.
    const ticks = p.ticks - (before.processes.get(pid)?.ticks ?? 0);
    const c = seconds > 0 ? ticks / TICKS_PER_SECOND / seconds : 0;
    byRole.set(p.role, (byRole.get(p.role) ?? 0) + c);
    ours += c;
  }
  const m =
    before.machine === undefined || after.machine === undefined
      ? undefined
      : after.machine.total > before.machine.total
        ? ((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * cores
        : undefined;
  return {
    seconds,
    byRole: [...byRole]
      .map(([role, c]) => ({ role, cores: c }))
      .filter((r) => r.cores > 0.005)
      .sort((a, b) => b.cores - a.cores),
    ours,
    machine: m,
    machineCores: cores,
  };
}
