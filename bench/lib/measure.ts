// Small measurement helpers shared by the scenarios.
import { readFile } from 'node:fs/promises';

export interface Spread { p50: number; p90: number; p99: number; max: number; count: number }

/** Nearest-rank percentiles. */
export function spread(samples: number[]): Spread {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  return { p50: at(50), p90: at(90), p99: at(99), max: s[s.length - 1] ?? NaN, count: s.length };
}

/** The median of the rounds' figure `f` (nearest rank, as `spread` takes every percentile). */
export const median = <T>(rounds: readonly T[], f: (r: T) => number): number => spread(rounds.map(f)).p50;

/** Resident memory of a process in bytes (VmRSS of /proc/PID/status). */
export async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) * 1024;
}

/** Total CPU time (user + system) a process has used so far, in ms (/proc/PID/stat). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

export const env = {
  number(name: string, full: number, quick: number): number {
    const raw = process.env[name];
    if (raw !== undefined && raw !== '') {
      const v = Number(raw);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${name}=${raw}: expected a number`);
      return v;
    }
    return process.env.BENCH_QUICK === '1' ? quick : full;
  },
};

export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? (v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`) : 'n/a'),
  s: (v: number) => `${(v / 1000).toFixed(2)} s`,
  n: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a'),
  mb: (v: number) => `${(v / 1024 / 1024).toFixed(0)} MB`,
  kb: (v: number) => `${(v / 1024).toFixed(1)} KB`,
  ratio: (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : a / b >= 1 ? 1 : 2)}x` : 'n/a'),
};

/**
 * Resident bytes of the process's WebAssembly memories (PGlite's, in FireNet): V8 maps each as a read-write
 * region followed by its reservation (several GB, no access), which nothing else in a node process does.
 */
export async function wasmRss(pid: number): Promise<number> {
  const lines = (await readFile(`/proc/${pid}/smaps`, 'utf8')).split('\n');
  const maps: { start: number; end: number; perm: string; anonymous: boolean; rss: number }[] = [];
  for (const line of lines) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) maps.push({ start: parseInt(m[1]!, 16), end: parseInt(m[2]!, 16), perm: m[3]!, anonymous: m[4] === '', rss: 0 });
    else if (line.startsWith('Rss:')) maps[maps.length - 1]!.rss = Number(line.split(/\s+/)[1]) * 1024;
  }
  let total = 0;
  for (let i = 0; i + 1 < maps.length; i++) {
    const [m, next] = [maps[i]!, maps[i + 1]!];
    if (m.perm === 'rw-p' && m.anonymous && next.start === m.end && next.perm === '---p' && next.end - m.start >= 4 * 2 ** 30) total += m.rss;
  }
  return total;
}
