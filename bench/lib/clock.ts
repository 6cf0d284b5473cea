// One clock for every process of the bench: CLOCK_MONOTONIC (process.hrtime) is system-wide on Linux,
// so a publish stamped in a generator and its arrival stamped in a viewer can be subtracted.
export function now(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000; // ms, µs resolution
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `done` every `everyMs` until it is true; throws naming `what` after `ms`. */
export async function until(done: () => boolean | Promise<boolean>, what: string, ms = 120_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await sleep(everyMs);
  }
}
