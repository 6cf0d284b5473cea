// The overview map's pin spreading (dashboard/src/components/overview/spread.ts): pure, so tested here directly.
import { describe, expect, it } from 'vitest';
import { spreadPoints, type Point } from '../../dashboard/src/components/overview/spread.js';

const minDistance = (ps: Point[]) => {
  let min = Infinity;
  for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++) min = Math.min(min, Math.hypot(ps[i]!.x - ps[j]!.x, ps[i]!.y - ps[j]!.y));
  return min;
};

describe('spreading map pins', () => {
  it('leaves points that are far enough apart where they are', () => {
    const points = [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 0, y: 40 }];
    expect(spreadPoints(points, 30)).toEqual(points);
  });

  it('puts close and coincident points at least the gap apart, around where they were', () => {
    for (const n of [2, 3, 6, 12]) {
      const points = Array.from({ length: n }, (_, i) => ({ x: 200 + (i % 2), y: 100 + (i % 3) }));
      const spread = spreadPoints(points, 28);
      expect(minDistance(spread), `n=${n}`).toBeGreaterThanOrEqual(28 - 1e-9);
      const cx = spread.reduce((s, p) => s + p.x, 0) / n;
      const cy = spread.reduce((s, p) => s + p.y, 0) / n;
      expect(Math.hypot(cx - 200.5, cy - 101)).toBeLessThan(2);
    }
  });

  it('chains a group through near neighbours and leaves a distant point alone', () => {
    const points = [{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 40, y: 0 }, { x: 300, y: 300 }];
    const spread = spreadPoints(points, 28);
    expect(minDistance(spread.slice(0, 3))).toBeGreaterThanOrEqual(28 - 1e-9);
    expect(spread[3]).toEqual({ x: 300, y: 300 });
  });

  it('keeps each point on its own side of the group', () => {
    const spread = spreadPoints([{ x: 0, y: 0 }, { x: 10, y: 0 }], 28);
    expect(spread[0]!.x).toBeLessThan(spread[1]!.x);
  });
});
