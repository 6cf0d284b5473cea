// The platform's clockwork: periodic jobs, each started here by app.ts. A job never overlaps
// itself (a slow run skips the beats it misses) and a failure is logged, never thrown.
import type { Logger } from 'pino';

export interface Schedule {
  every(ms: number, name: string, job: () => Promise<unknown>): void;
  stop(): void;
}

export function createSchedule(logger: Logger): Schedule {
  const timers: NodeJS.Timeout[] = [];
  return {
    every(ms, name, job) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        job().catch((err: unknown) => logger.error({ err, job: name }, 'scheduled job failed')).finally(() => { running = false; });
      }, ms);
      timer.unref();
      timers.push(timer);
    },
    stop() {
      for (const t of timers) clearInterval(t);
      timers.length = 0;
    },
  };
}
