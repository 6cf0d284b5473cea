// A throwaway VictoriaMetrics from Debian's `victoria-metrics` package, standing in for InfluxDB:
// it takes InfluxDB line protocol on /api/v2/write (on its HTTP port, no flag needed) and shows
// every stored sample, duplicates included, on /api/v1/export.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

const BINARY = '/usr/bin/victoria-metrics';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** One series as /api/v1/export gives it: `${measurement}_${field}` and the tags as labels. */
export interface ExportedSeries {
  metric: Record<string, string> & { __name__: string };
  values: number[];
  timestamps: number[];
}

export interface VictoriaServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (InfluxDB clients write to `${url}/api/v2/write`). */
  url: string;
  /** Stops it (SIGINT, SIGKILL after 10 s) and removes its data. */
  stop(): Promise<void>;
  /**
   * Stops it and keeps its data for restart(). SIGKILL (the default) is a crash: VictoriaMetrics
   * then loses what it accepted in about the last second. SIGINT is a clean shutdown: requests in
   * flight are answered and everything accepted is saved.
   */
  kill(signal?: 'SIGKILL' | 'SIGINT'): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Every sample of the series matching `match` (a series selector), after a flush to storage. */
  exportSeries(match: string): Promise<ExportedSeries[]>;
}

export async function startVictoria(): Promise<VictoriaServer> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: apt-get install victoria-metrics`);
  const dir = await mkdtemp(join(tmpdir(), 'firenet-vm-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'victoria-metrics.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  let running: { child: ChildProcess; exited: Promise<void> } | null = null;
  // If the test process ends without stop(), do not leave a server behind.
  const killOnExit = () => {
    running?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  const launch = async () => {
    const log = openSync(logFile, 'a');
    const child = spawn(BINARY, [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      '-retentionPeriod=100y',
      '-loggerLevel=WARN',
    ], { cwd: dir, stdio: ['ignore', log, log] });
    closeSync(log);
    let spawnError: Error | null = null;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (err) => { spawnError = err; resolve(); });
    });
    running = { child, exited };
    try {
      await waitUntilHealthy(url, child, () => spawnError);
    } catch (err) {
      await halt('SIGKILL');
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`${(err as Error).message}\n--- victoria-metrics.log (tail) ---\n${tail}`);
    }
  };

  const halt = async (signal: 'SIGKILL' | 'SIGINT') => {
    const current = running;
    running = null;
    if (!current) return;
    const { child, exited } = current;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  let stopped: Promise<void> | null = null;
  const server: VictoriaServer = {
    url,
    stop: () => (stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      await halt('SIGINT');
      await rm(dir, { recursive: true, force: true });
    })()),
    kill: (signal = 'SIGKILL') => halt(signal),
    restart: async () => {
      if (running) throw new Error('victoria-metrics is still running: kill() it first');
      await launch();
    },
    exportSeries: async (match) => {
      const flushed = await fetch(`${url}/internal/force_flush`);
      if (!flushed.ok) throw new Error(`force_flush: HTTP ${flushed.status}`);
      const res = await fetch(`${url}/api/v1/export`, {
        method: 'POST',
        body: new URLSearchParams({ 'match[]': match, start: '0' }),
      });
      if (!res.ok) throw new Error(`export: HTTP ${res.status} ${await res.text()}`);
      const text = await res.text();
      return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as ExportedSeries);
    },
  };

  try {
    await launch();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

async function waitUntilHealthy(url: string, child: ChildProcess, spawnError: () => Error | null): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    const failed = spawnError();
    if (failed) throw new Error(`could not start victoria-metrics: ${failed.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`victoria-metrics exited during start-up (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = new Error(`HTTP ${res.status}`);
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`victoria-metrics did not answer /health within ${READY_TIMEOUT_MS / 1000} s: ${(last as Error | undefined)?.message}`);
}
