// A PostgreSQL cluster the soak can stop and start again on the same port and data directory.
// tests/helpers/postgres.ts removes its cluster on stop(), so this keeps its own, started the same
// way: Debian's server binaries, a temp dir, a loopback port, and as root the `postgres` user.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../helpers/process.js';

const run = promisify(execFile);

/** fast: clients are disconnected, a clean shutdown. immediate: no checkpoint, crash recovery on start. */
export type StopMode = 'fast' | 'immediate';

export class SoakPostgres {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly killOnExit = () => this.child?.kill('SIGQUIT');

  private constructor(
    private readonly dir: string,
    private readonly port: number,
    private readonly logFile: string,
    private readonly owner: { uid: number; gid: number } | null,
  ) {}

  /** initdb in `dir/data`, then start; `logFile` gets the server's log. */
  static async create(dir: string, logFile: string): Promise<SoakPostgres> {
    const owner = process.getuid?.() === 0 ? await postgresUser() : null;
    await mkdir(dir, { recursive: true });
    if (owner) await chown(dir, owner.uid, owner.gid);
    try {
      await run(serverBinary('initdb'), ['-D', join(dir, 'data'), '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C'], { cwd: dir, ...(owner ?? {}) });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`initdb failed: ${e.stderr?.trim() || e.message}`);
    }
    const server = new SoakPostgres(dir, await freePort(), logFile, owner);
    await server.start();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const log = openSync(this.logFile, 'a');
    // fsync stays on: an immediate stop is a crash to PostgreSQL, and what it acknowledged must survive it
    const child = spawn(serverBinary('postgres'), [
      '-D', join(this.dir, 'data'), '-p', String(this.port), '-h', '127.0.0.1', '-k', this.dir, '-c', 'max_connections=200',
    ], { cwd: this.dir, ...(this.owner ?? {}), stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => { child.once('exit', () => resolve()); child.once('error', () => resolve()); });
    process.once('exit', this.killOnExit);
    await this.waitUntilReady();
  }

  async stop(mode: StopMode = 'fast'): Promise<void> {
    const child = this.child;
    process.removeListener('exit', this.killOnExit);
    if (!child || !this.running) return;
    child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 60_000; // crash recovery after an immediate stop takes a moment
    let last: unknown;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`postgres exited during start-up (see ${this.logFile})`);
      const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 1000 });
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
    throw new Error(`postgres did not accept connections within 60 s: ${(last as Error | undefined)?.message}`);
  }
}

/** The highest installed server version's binary (/usr/lib/postgresql/<v>/bin), else the one on PATH. */
function serverBinary(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', name))) return join(root, v, 'bin', name);
  return name;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error('running as root and there is no `postgres` system user to run PostgreSQL as: apt-get install postgresql');
  }
}
