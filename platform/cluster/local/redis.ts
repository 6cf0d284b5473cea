// A throwaway Redis server from Debian's `redis-server`, for the cluster tests and `npm run cluster`: on a free loopback port, its files in
// a temp dir removed on stop(); down() and up() stop and start it on the same port (a bus outage).
import { freePort } from './ports.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_TIMEOUT_MS = 15_000;

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  down(): Promise<void>;
  up(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'firenet-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async () => {
    // Nothing kept on disk: Redis is FireNet's bus, never its store.
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
    child = started;
    await waitForPort(port, started);
  };
  const halt = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  const killOnExit = () => { child?.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); };
  process.once('exit', killOnExit);
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => { process.removeListener('exit', killOnExit); await halt(); await rm(dir, { recursive: true, force: true }); },
    down: halt,
    up: launch,
  };
}


async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited during start-up (${child.exitCode}): apt-get install redis-server`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on ${port} within ${READY_TIMEOUT_MS / 1000} s`);
}
