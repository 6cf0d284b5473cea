// Which of the rules engine's partitions this node holds (cluster mode). Every third of a lease's time it says it is
// alive (lease `node:<id>`), renews the partitions it holds (`rules:<p>`), takes free ones up to its fair share and
// gives back those beyond it when another node is short (partitions.ts decides). A partition taken is loaded with
// the state its previous holder saved; one given back is saved first; one whose lease could not be renewed in time
// is dropped unsaved, since another node may hold it by then.
import type { Logger } from 'pino';
import type { LeaseStore } from '../store/leases.js';
import { rebalance } from './partitions.js';

export interface PartitionHolder {
  readonly partitions: number;
  /** Takes partitions up, each with the state its last holder saved. */
  hold(partitions: readonly number[]): Promise<void>;
  release(partition: number, save: boolean): Promise<void>;
  held(): number[];
}

export interface PartitionKeeper {
  /** The node holding a partition, as last read (null: none, or not read yet). */
  ownerOf(partition: number): string | null;
  /** Reads the leases again now (an input found its partition's holder gone). */
  refresh(): Promise<void>;
  /** Runs a round now: another node gave partitions back, which this node may take at once rather than at its next round. */
  nudge(): void;
  stop(): Promise<void>;
}

const RULES = 'rules:';
const NODE = 'node:';

export function keepPartitions(deps: {
  leases: LeaseStore; runner: PartitionHolder; node: string; ttlMs: number; logger: Logger; now?: () => number;
  /** Partitions were given back here: the other nodes are nudged to take them at once. */
  gaveBack?: () => void;
}): PartitionKeeper {
  const { leases, runner, node, ttlMs, logger } = deps;
  const now = deps.now ?? Date.now;
  let owners = new Map<number, string>();
  /** Until when the partitions held here are surely this node's: the last good round's start plus most of a lease. */
  let until = 0;
  let stopped = false;

  const read = async () => {
    const live = await leases.live(RULES);
    owners = new Map(live.map((l) => [Number(l.name.slice(RULES.length)), l.node]));
    return live;
  };

  const round = async () => {
    const started = now();
    try {
      // this node's own lease and its partitions' in one statement: a round under load stays short
      const renewed = await leases.claimAll([`${NODE}${node}`, ...runner.held().map((p) => `${RULES}${p}`)], node, ttlMs);
      for (const p of runner.held()) {
        if (renewed.has(`${RULES}${p}`)) continue;
        logger.warn({ partition: p }, 'rules partition lost to another node');
        await runner.release(p, false);
      }
      await read();
      const nodes = (await leases.live(NODE)).length;
      const held = new Set(runner.held());
      const taken = new Set([...owners].filter(([, holder]) => holder !== node).map(([p]) => p));
      const { take, give } = rebalance(runner.partitions, nodes, held, taken);
      for (const p of give) {
        await runner.release(p, true);
        await leases.release(`${RULES}${p}`, node);
      }
      if (give.length) deps.gaveBack?.();
      const claimed = stopped ? new Set<string>() : await leases.claimAll(take.map((p) => `${RULES}${p}`), node, ttlMs);
      const won = take.filter((p) => claimed.has(`${RULES}${p}`));
      const holding = now();
      await runner.hold(won);
      for (const p of won) owners.set(p, node);
      until = started + ttlMs * 0.8;
      if (won.length || give.length) {
        logger.info({ node, took: won, gave: give, holds: runner.held().length, nodes, roundMs: now() - started, loadMs: now() - holding }, 'rules partitions rebalanced');
      }
      // another node took some first: the rest may still be free, so look again soon rather than a round later
      if (won.length < take.length) setTimeout(next, 250).unref();
    } catch (err) {
      logger.warn({ err }, 'rules partitions could not be renewed');
      // past the margin, another node may hold them: drop them unsaved rather than decide twice
      if (now() >= until) for (const p of runner.held()) await runner.release(p, false);
    }
  };

  let running = round();
  // at most one round waits behind the one running: a round that overran its interval is not followed by a queue
  let queued = false;
  const next = () => {
    if (queued) return;
    queued = true;
    running = running.then(() => {
      queued = false;
      return stopped ? undefined : round();
    });
  };
  const timer = setInterval(next, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();

  return {
    ownerOf: (p) => owners.get(p) ?? null,
    refresh: async () => { await read(); },
    nudge: next,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      // handed over: saved, then given up, so the next holder starts from here at once
      for (const p of runner.held()) {
        await runner.release(p, true);
        await leases.release(`${RULES}${p}`, node).catch(() => undefined);
      }
      await leases.release(`${NODE}${node}`, node).catch(() => undefined);
      deps.gaveBack?.();
    },
  };
}
