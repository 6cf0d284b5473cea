// One lease held by this node while it can renew it (cluster mode): the scheduled jobs that must run once in the
// whole cluster run on its holder. It is renewed every third of its time; a node that cannot reach the database
// stops counting itself the holder before the lease runs out, so two nodes never both believe they hold it.
import type { Logger } from 'pino';
import type { LeaseStore } from '../store/leases.js';

export interface Lease {
  /** Whether this node holds the lease now. */
  held(): boolean;
  /** Stops renewing and gives the lease up. */
  stop(): Promise<void>;
}

/** A lone node holds every lease: there is no one to share the work with. */
export const soleHolder: Lease = { held: () => true, stop: async () => undefined };

export function keepLease(deps: { leases: LeaseStore; name: string; node: string; ttlMs: number; logger: Logger; now?: () => number }): Lease {
  const { leases, name, node, ttlMs, logger } = deps;
  const now = deps.now ?? Date.now;
  /** Until when this node counts itself the holder: its last good claim plus the lease's time, less a margin for clock drift. */
  let until = 0;
  let stopped = false;
  const renew = async () => {
    const asked = now();
    try {
      const holds = await leases.claim(name, node, ttlMs);
      const was = held();
      until = holds ? asked + ttlMs * 0.8 : 0;
      if (holds !== was) logger.info({ lease: name, node }, holds ? 'lease taken: this node runs its work' : 'lease held by another node');
    } catch (err) {
      logger.warn({ err, lease: name }, 'lease could not be renewed');
    }
  };
  const held = () => !stopped && now() < until;
  let renewing = renew();
  const timer = setInterval(() => { renewing = renew(); }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    held,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await renewing; // a claim still on its way would take the lease again after it was given up
      await leases.release(name, node).catch((err: unknown) => logger.warn({ err, lease: name }, 'lease could not be given up; it runs out by itself'));
    },
  };
}
