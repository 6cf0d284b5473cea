// A cluster shares the rules engine's work by institution: each site falls in one of PARTITIONS partitions, each
// partition is held by one node at a time (a lease), and that node alone runs the rules and timers of its sites.
// A lone node holds the one partition there is.

/** Partitions of a cluster: enough to spread over a few dozen nodes, few enough to hand over quickly. */
export const CLUSTER_PARTITIONS = 32;

/** The partition of a site (FNV-1a of its id): the same on every node. */
export function partitionOf(siteId: string, partitions: number): number {
  if (partitions === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < siteId.length; i++) {
    hash ^= siteId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** How many partitions a node should hold: its fair share of those there are among the nodes alive. */
export function fairShare(partitions: number, liveNodes: number): number {
  return Math.ceil(partitions / Math.max(1, liveNodes));
}

/**
 * What a node does at a renewal: which free partitions to take (up to its share, lowest first) and which of its own
 * to give up (beyond its share, highest first, so a node that joins gets some). `held`: this node's; `taken`: other
 * nodes' live ones.
 */
export function rebalance(partitions: number, liveNodes: number, held: ReadonlySet<number>, taken: ReadonlySet<number>): { take: number[]; give: number[] } {
  const share = fairShare(partitions, liveNodes);
  const take: number[] = [];
  const give: number[] = [];
  for (let p = 0; p < partitions && held.size + take.length < share; p++) {
    if (!held.has(p) && !taken.has(p)) take.push(p);
  }
  // give back only when someone is short: all partitions held, and more held here than the share
  const free = partitions - held.size - taken.size;
  if (free === 0 && held.size > share) give.push(...[...held].sort((a, b) => b - a).slice(0, held.size - share));
  return { take, give };
}
