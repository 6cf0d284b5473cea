// A throwaway PostgreSQL server from Debian's packages, for the tests, the soak and `npm run cluster`:
// its own cluster in a temp dir, on a free loopback port, removed again on stop(); down() and up() stop
// and start it with its data kept (a database outage, or with 'immediate' a crash of it).
import { freePort } from './ports.js';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
/** Crash recovery after an immediate stop takes a moment. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** fast: clients are disconnected, a clean shutdown. immediate: no checkpoint, crash recovery on the next start. */
export type StopMode = 'fast' | 'immediate';

export interface PostgresOptions {
  /** fsync on, for a server stopped 'immediate' on purpose: what it acknowledged must survive that crash. */
  durable?: boolean;
  /** The server's log (default: postgres.log beside its data). */
  logFile?: string;
  /** stop() leaves the cluster's files behind, to be looked at. */
  keep?: boolean;
}

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** The directory of the cluster (its data in data/). */
  dir: string;
  /** Stops the server and removes its files (unless `keep`). */
  stop(): Promise<void>;
  /** Stops the server but keeps its files: a database outage, until up(). */
  down(mode?: StopMode): Promise<void>;
  /** Starts the server again after down(), on the same port with the same data. */
  up(): Promise<void>;
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresServer> {
  const initdb = findServerBinary('initdb');
  const postgres = findServerBinary('postgres');
  // PostgreSQL refuses to run as root; as root the cluster belongs to Debian's `postgres` user.
  const owner = process.getuid?.() === 0 ? await postgresUser() : null;

  const dir = await mkdtemp(join(tmpdir(), 'firenet-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = opts.logFile ?? join(dir, 'postgres.log');
  if (owner) await chown(dir, owner.uid, owner.gid);
  const asOwner = { cwd: dir, ...(owner ?? {}) };

  try {
    await run(initdb, ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], asOwner);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`initdb failed: ${e.stderr?.trim() || e.message}`);
  }

  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // Spawned with uid/gid rather than through runuser: runuser turns our SIGINT (fast shutdown)
  // into SIGTERM (smart shutdown, waits for clients) and SIGKILLs two seconds later.
  const launch = async (): Promise<Running> => {
    const log = openSync(logFile, 'a');
    const child = spawn(postgres, [
      '-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
      ...(opts.durable ? [] : ['-c', 'fsync=off']), '-c', 'max_connections=200',
    ], { ...asOwner, stdio: ['ignore', log, log] });
    closeSync(log);
    let spawnError: Error | null = null;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (err) => { spawnError = err; resolve(); });
    });
    const running = { child, exited };
    try {
      await waitUntilReady(url, child, () => spawnError);
    } catch (err) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      await shutdown(running);
      throw new Error(`${(err as Error).message}\n--- postgres.log (tail) ---\n${tail}`);
    }
    return running;
  };

  let running: Running | null = null;
  // If the test process ends without calling stop(), do not leave a server behind: SIGQUIT is an
  // immediate shutdown that still releases postgres' shared memory, which SIGKILL would leak.
  const removeFiles = () => (opts.keep ? Promise.resolve() : rm(dir, { recursive: true, force: true }));
  const killOnExit = () => {
    running?.child.kill('SIGQUIT');
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let stopped: Promise<void> | null = null;
  const stop = () => (stopped ??= (async () => {
    process.removeListener('exit', killOnExit);
    if (running) await shutdown(running);
    running = null;
    await removeFiles();
  })());
  const down = async (mode: StopMode = 'fast') => {
    if (running) await shutdown(running, mode);
    running = null;
  };
  const up = async () => {
    if (!running) running = await launch();
  };

  try {
    running = await launch();
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dir, stop, down, up };
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Creates an empty database on the server and returns its URL: one per test file keeps them apart. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The highest installed server version's binary (/usr/lib/postgresql/<v>/bin), else the one on PATH. */
function findServerBinary(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const path = join(root, v, 'bin', name);
    if (existsSync(path)) return path;
  }
  return name;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error('running as root and there is no `postgres` system user to run the test database as: apt-get install postgresql');
  }
}


async function waitUntilReady(url: string, child: ChildProcess, spawnError: () => Error | null): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    const failed = spawnError();
    if (failed) throw new Error(`could not start postgres: ${failed.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres exited during start-up (${child.exitCode ?? child.signalCode})`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      last = err;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${(last as Error | undefined)?.message}`);
}

/** SIGINT is postgres' fast shutdown (clients are disconnected, nothing is waited for), SIGQUIT its immediate one. */
async function shutdown({ child, exited }: Running, mode: StopMode = 'fast'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
