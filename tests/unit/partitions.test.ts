// How a cluster shares the rules engine's sites (platform/cluster/partitions.ts).
import { describe, expect, it } from 'vitest';
import { CLUSTER_PARTITIONS, fairShare, partitionOf, rebalance } from '../../platform/cluster/partitions.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('partitions of a cluster', () => {
  it('put a site in the same partition on every node, and spread many sites over all of them', () => {
    expect(partitionOf('jh-hospital', 1)).toBe(0);
    expect(partitionOf('jh-hospital', CLUSTER_PARTITIONS)).toBe(partitionOf('jh-hospital', CLUSTER_PARTITIONS));
    const counts = new Array<number>(CLUSTER_PARTITIONS).fill(0);
    for (let i = 0; i < 3200; i++) counts[partitionOf(`site-${i}`, CLUSTER_PARTITIONS)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(150);
  });

  it('give each node its fair share: a lone node all, three nodes 11 of 32', () => {
    expect(fairShare(32, 1)).toBe(32);
    expect(fairShare(32, 3)).toBe(11);
    expect(fairShare(32, 0)).toBe(32);
  });

  it('take free partitions up to the share, and give some back only when another node is short', () => {
    // alone at first: everything
    expect(rebalance(32, 1, new Set(), new Set())).toEqual({ take: range(32), give: [] });
    // a second node joins: the first holds all, nothing free: it gives back the highest beyond its share
    const first = rebalance(32, 2, new Set(range(32)), new Set());
    expect(first).toEqual({ take: [], give: range(16).map((i) => 31 - i) });
    // the newcomer takes what is free, up to its share
    expect(rebalance(32, 2, new Set(), new Set(range(16)))).toEqual({ take: range(16).map((i) => 16 + i), give: [] });
    // a node died: its partitions run out and are free; the others take them, each up to its share
    const taken = new Set(range(11).map((i) => 11 + i));
    expect(rebalance(32, 2, new Set(range(11)), taken).take).toEqual([22, 23, 24, 25, 26]);
    // enough held and some still free: nobody gives any back
    expect(rebalance(32, 3, new Set(range(12)), new Set([20])).give).toEqual([]);
  });
});
