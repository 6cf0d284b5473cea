// Institutions of one county often sit within a few hundred metres of each other, so their pins would
// cover one another on the map. Points closer than a gap (in screen pixels) are moved onto a ring around
// their group's centre, far enough apart to see and click each. Pure.

export interface Point {
  x: number;
  y: number;
}

/** Groups of indices whose points are chained by distances under `gap`. */
function clusters(points: readonly Point[], gap: number): number[][] {
  const parent = points.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (Math.hypot(points[i]!.x - points[j]!.x, points[i]!.y - points[j]!.y) < gap) parent[root(i)] = root(j);
    }
  }
  const groups = new Map<number, number[]>();
  points.forEach((_, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  return [...groups.values()];
}

/** The points, with every group closer than `gap` spread on a ring whose neighbours are `gap` apart. */
export function spreadPoints(points: readonly Point[], gap: number): Point[] {
  const out = points.map((p) => ({ ...p }));
  for (const group of clusters(points, gap)) {
    if (group.length < 2) continue;
    const cx = group.reduce((s, i) => s + points[i]!.x, 0) / group.length;
    const cy = group.reduce((s, i) => s + points[i]!.y, 0) / group.length;
    // neighbours on a ring of n points are 2 r sin(π/n) apart
    const radius = Math.max(gap / 2, gap / (2 * Math.sin(Math.PI / group.length)));
    // keep each point on its own side of the centre where it has one; ties keep their order
    const ordered = [...group].sort((a, b) =>
      Math.atan2(points[a]!.y - cy, points[a]!.x - cx) - Math.atan2(points[b]!.y - cy, points[b]!.x - cx) || a - b);
    const first = points[ordered[0]!]!;
    // points all on the centre have no side: start at the top
    const start = first.x === cx && first.y === cy ? -Math.PI / 2 : Math.atan2(first.y - cy, first.x - cx);
    ordered.forEach((i, k) => {
      const angle = start + (2 * Math.PI * k) / group.length;
      out[i] = { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
    });
  }
  return out;
}
