// The harness's end of the load generator: starts load.ts as a child process and turns its IPC
// messages into promises.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FinalReport, FromLoad, FuzzResult, LoadJob, LoadStats, ToLoad } from './protocol.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export class LoadLink {
  private readonly child: ChildProcess;
  private readonly waiting: { kind: FromLoad['kind']; resolve: (m: FromLoad) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;

  constructor(job: LoadJob, logPath: string, onAlarmSent: (deviceId: string, eventId: string, at: number) => void) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'tests/soak/load.ts', JSON.stringify(job)], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const log = createWriteStream(logPath, { flags: 'a' });
    this.child.stdout!.pipe(log);
    this.child.stderr!.pipe(log);
    this.child.on('message', (m: FromLoad) => {
      if (m.kind === 'alarm-sent') { onAlarmSent(m.deviceId, m.eventId, m.at); return; }
      if (m.kind === 'fatal') this.fail(new Error(`load generator: ${m.message}`));
      const i = this.waiting.findIndex((w) => w.kind === m.kind);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(m);
    });
    this.child.once('exit', (code, signal) => this.fail(new Error(`load generator exited (${signal ?? code}); see ${logPath}`)));
  }

  ready(ms = 180_000): Promise<string[]> {
    return this.ask(null, 'ready', ms).then((m) => (m as Extract<FromLoad, { kind: 'ready' }>).devices);
  }

  stats(ms = 5000): Promise<LoadStats> {
    return this.ask({ kind: 'stats' }, 'stats', ms).then((m) => (m as Extract<FromLoad, { kind: 'stats' }>).stats);
  }

  fuzz(burst: number, ms = 120_000): Promise<FuzzResult> {
    return this.ask({ kind: 'fuzz', burst }, 'fuzz-result', ms).then((m) => (m as Extract<FromLoad, { kind: 'fuzz-result' }>).result);
  }

  /** Stops publishing, waits up to `settleMs` for outstanding PUBACKs, and returns what was acknowledged. */
  stop(settleMs: number): Promise<FinalReport> {
    return this.ask({ kind: 'stop', settleMs }, 'final', settleMs + 30_000).then((m) => (m as Extract<FromLoad, { kind: 'final' }>).report);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private ask(message: ToLoad | null, kind: FromLoad['kind'], ms: number): Promise<FromLoad> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const entry = {
        kind,
        resolve: (m: FromLoad) => { clearTimeout(timer); resolve(m); },
        reject: (e: Error) => { clearTimeout(timer); reject(e); },
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new Error(`load generator did not answer ${kind} within ${ms / 1000} s`));
      }, ms);
      this.waiting.push(entry);
      if (message) this.child.send(message);
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
