// The platform's clockwork: periodic jobs, each started here by app.ts. A job never overlaps
// itself (a slow run skips the beats it misses), starts only once the device events in hand are stored (`yieldTo`:
// a job's statements would otherwise hold a fire alarm up), and a failure is logged, never thrown.
import type { Logger } from 'pino';

export interface Schedule {
  /**
   * Runs `job` every `ms`. `once`: the job is the cluster's, not this node's (a deadline flagged, a report found
   * late): it runs only while this node holds the jobs' lease, so it runs on one node of the cluster at a time.
   */
  every(ms: number, name: string, job: () => Promise<unknown>, opts?: { once?: boolean }): void;
  /** Runs of each job so far on this node (for /api/health: a cluster's runs of a `once` job add up to one node's). */
  readonly runs: Readonly<Record<string, number>>;
  stop(): void;
}

/**
 * `leader`: whether this node runs the cluster's jobs now (a lone node always does). `yieldTo`: resolves once no
 * device event waits to be stored.
 */
export function createSchedule(logger: Logger, leader: () => boolean = () => true, yieldTo: () => Promise<void> = async () => undefined): Schedule {
  const timers: NodeJS.Timeout[] = [];
  const runs: Record<string, number> = {};
  let stopped = false;
  return {
    runs,
    every(ms, name, job, opts = {}) {
      let running = false;
      runs[name] = 0;
      const timer = setInterval(() => {
        if (running || (opts.once && !leader())) return;
        runs[name] = (runs[name] ?? 0) + 1;
        running = true;
        // a job that waited past stop() does not start: what it would use may be closed by then
        yieldTo().then(() => (stopped ? undefined : job())).catch((err: unknown) => logger.error({ err, job: name }, 'scheduled job failed')).finally(() => { running = false; });
      }, ms);
      timer.unref();
      timers.push(timer);
    },
    stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      timers.length = 0;
    },
  };
}
