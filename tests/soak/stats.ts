// The soak's arithmetic: percentiles, the RSS trend, the longest life of one FireNet process. Pure.

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Spread { n: number; p50: number | null; p95: number | null; p99: number | null; max: number | null }

export function spread(values: readonly number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : null };
}

/** Least-squares slope of y over x (y per unit of x); null with fewer than 3 points. */
export function slope(points: readonly { x: number; y: number }[]): number | null {
  const n = points.length;
  if (n < 3) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) { num += (p.x - mx) * (p.y - my); den += (p.x - mx) ** 2; }
  return den === 0 ? null : num / den;
}

export interface RssSample { t: number; pid: number | null; rssMb: number | null }

export interface MemoryTrend {
  /** The process (pid) that lived longest, its span in seconds, and its samples' count. */
  pid: number | null;
  lifeSec: number;
  samples: number;
  /** Seconds covered by the second half of its samples, the part the slope is fitted to. */
  judgedSec: number;
  mbPer10Min: number | null;
  /** The fitted line's rise over the judged span, in MB. */
  riseMb: number | null;
  verdict: 'ok' | 'growing' | 'too short to judge';
}

/**
 * RSS trend of the FireNet process that ran longest without a restart, fitted over the second half of
 * its samples (the first half is warm-up: caches, JIT, the heap growing to its working size). A Node
 * process's RSS moves in steps of 30-40 MB as V8 takes pages and hands them back (146-193 MB within one
 * FireNet at steady load in a 10-minute soak), so a line through a few minutes of it is mostly those
 * steps. Growing means both: a slope over `limitMbPer10Min`, and a fitted rise over the judged half of
 * more than `stepMb`, one such step; and only when that half covers at least `minJudgedSec`.
 */
export function memoryTrend(samples: readonly RssSample[], limitMbPer10Min: number, minJudgedSec: number, stepMb: number): MemoryTrend {
  const runs = new Map<number, { t: number; y: number }[]>();
  for (const s of samples) {
    if (s.pid === null || s.rssMb === null) continue;
    const run = runs.get(s.pid) ?? [];
    run.push({ t: s.t, y: s.rssMb });
    runs.set(s.pid, run);
  }
  let best: [number, { t: number; y: number }[]] | null = null;
  for (const entry of runs) {
    const span = (r: { t: number }[]) => r[r.length - 1]!.t - r[0]!.t;
    if (!best || span(entry[1]) > span(best[1])) best = entry;
  }
  if (!best) return { pid: null, lifeSec: 0, samples: 0, judgedSec: 0, mbPer10Min: null, riseMb: null, verdict: 'too short to judge' };
  const [pid, run] = best;
  const half = run.slice(Math.floor(run.length / 2));
  const judgedSec = half.length ? half[half.length - 1]!.t - half[0]!.t : 0;
  const perSec = slope(half.map((p) => ({ x: p.t, y: p.y })));
  const mbPer10Min = perSec === null ? null : perSec * 600;
  const riseMb = perSec === null ? null : perSec * judgedSec;
  const verdict = judgedSec < minJudgedSec || mbPer10Min === null || riseMb === null ? 'too short to judge'
    : mbPer10Min > limitMbPer10Min && riseMb > stepMb ? 'growing' : 'ok';
  return { pid, lifeSec: run[run.length - 1]!.t - run[0]!.t, samples: run.length, judgedSec, mbPer10Min, riseMb, verdict };
}

/** Seeded PRNG (mulberry32): a run's fault schedule can be replayed with --seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
