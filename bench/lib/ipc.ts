// The child side of a bench process: the job arrives as the first IPC message (too large for argv),
// then commands; answers go back the same way.
export interface Command { type: string; [k: string]: unknown }

export function send(message: object): void {
  process.send!(message);
}

/** Resolves with the job, then calls `on` for every later command. */
export function serve<Job>(on: (command: Command) => void | Promise<void>): Promise<Job> {
  return new Promise((resolve) => {
    let job: Job | undefined;
    process.on('message', (message: Command) => {
      if (job === undefined) {
        job = message as unknown as Job;
        return resolve(job);
      }
      Promise.resolve(on(message)).catch((err: unknown) => {
        process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
        process.exit(1);
      });
    });
    // the parent gone (Ctrl-C, a crash): nothing left to serve
    process.on('disconnect', () => process.exit(0));
    send({ type: 'hello' });
  });
}
