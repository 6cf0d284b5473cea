// FireNet as the soak's child process: started, killed with SIGKILL and started again on the same
// ports and data. Like tests/helpers/process.ts's spawnFireNet, but its output goes to a log file
// and only a short tail stays in memory, since a soak may run for hours.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const READY = /FireNet running/;
const TAIL_CHARS = 64 * 1024;

export class SoakFireNet {
  private child: ChildProcess | null = null;
  private tail = '';
  private expectingExit = false;
  private readonly log: WriteStream;
  /** When each process that came up was started (ms since epoch), for the summary. */
  readonly starts: number[] = [];

  constructor(
    private readonly env: Record<string, string>,
    logPath: string,
    private readonly onUnexpectedExit: (how: string, tail: string) => void,
  ) {
    this.log = createWriteStream(logPath, { flags: 'a' });
  }

  get pid(): number | null {
    return this.running ? this.child!.pid ?? null : null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts FireNet and resolves once it logs that it runs; rejects with its output if it exits or hangs first. */
  start(timeoutMs = 120_000): Promise<void> {
    // tsx as a loader in this very process (its CLI would fork a child that a SIGKILL leaves behind)
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: root,
      env: { ...process.env, HTTP_HOST: '127.0.0.1', MQTT_HOST: '127.0.0.1', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.expectingExit = false;
    const startedAt = Date.now();
    this.log.write(`\n===== soak: FireNet started, pid ${child.pid}, ${new Date().toISOString()} =====\n`);
    let sinceStart = '';
    const onData = (d: Buffer) => {
      const s = String(d);
      this.log.write(s);
      this.tail = (this.tail + s).slice(-TAIL_CHARS);
      sinceStart = (sinceStart + s).slice(-TAIL_CHARS);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`FireNet did not start within ${timeoutMs / 1000} s:\n${sinceStart}`)); }, timeoutMs);
      child.stdout!.on('data', () => {
        if (!ready && READY.test(sinceStart)) { ready = true; this.starts.push(startedAt); clearTimeout(timer); resolve(); }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const how = signal ?? `exit code ${code}`;
        this.log.write(`\n===== soak: FireNet pid ${child.pid} ended (${how}), ${new Date().toISOString()} =====\n`);
        if (!ready) reject(new Error(`FireNet exited (${how}) before it was ready:\n${sinceStart.slice(-4000)}`));
        else if (!this.expectingExit) this.onUnexpectedExit(how, this.tail.slice(-4000));
      });
    });
  }

  /** kill -9: no shutdown, no flush; only what was committed before a PUBACK may survive. */
  async kill9(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** A clean stop (SIGTERM), then SIGKILL if it hangs. */
  async stop(): Promise<void> {
    await this.end('SIGTERM', 20_000);
  }

  /** Resident memory of the running process, in MB (VmRSS from /proc). */
  rssMb(): number | null {
    const pid = this.pid;
    if (pid === null) return null;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : null;
    } catch {
      return null;
    }
  }

  closeLog(): Promise<void> {
    return new Promise((resolve) => this.log.end(resolve));
  }

  private async end(signal: NodeJS.Signals, graceMs = 0): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = graceMs ? setTimeout(() => child.kill('SIGKILL'), graceMs) : null;
    await exited;
    if (timer) clearTimeout(timer);
  }
}
