// Small numeric helpers for the device models: randomness, rounding, first-order lag.

export const rand = (min: number, max: number): number => min + Math.random() * (max - min);
export const randInt = (min: number, max: number): number => Math.floor(rand(min, max + 1));
export const round = (n: number, digits: number): number => Number(n.toFixed(digits));
export const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));
export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}
/** Moves `value` towards `target` as a first-order lag with time constant `tauSec`. */
export const relax = (value: number, target: number, dtSec: number, tauSec: number): number =>
  target + (value - target) * Math.exp(-dtSec / tauSec);
/** Stable small hash, so a device keeps its port count across restarts. */
export function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
export function weighted<T>(entries: ReadonlyArray<readonly [number, T]>): T {
  const total = entries.reduce((s, [w]) => s + w, 0);
  let r = Math.random() * total;
  for (const [w, v] of entries) {
    r -= w;
    if (r < 0) return v;
  }
  return (entries[entries.length - 1] as readonly [number, T])[1];
}
