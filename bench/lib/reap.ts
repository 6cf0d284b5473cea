// Servers the bench started are killed when it ends, however it ends (an exception included): a FireNet or a
// mosquitto left behind would hold its ports and memory and colour the next run.
import type { ChildProcess } from 'node:child_process';

const alive = new Set<ChildProcess>();
process.once('exit', () => { for (const child of alive) child.kill('SIGKILL'); });
// a signal ends node without 'exit' unless handled
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export function reapOnExit(child: ChildProcess): void {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
}
