// Debian's mosquitto as a second reference: a C broker, started on a loopback port with a temp config.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tests/helpers/process.js';
import { sleep } from '../lib/clock.js';
import { reapOnExit } from '../lib/reap.js';

const BINARY = '/usr/sbin/mosquitto';

export interface Mosquitto { pid: number; port: number; stop(): Promise<void> }

export async function startMosquitto(): Promise<Mosquitto> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} not found: apt-get install -y mosquitto`);
  const dir = await mkdtemp(join(tmpdir(), 'firenet-bench-mosquitto-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'user root', // started as root it would switch to the mosquitto user, who cannot read this temp dir
    'max_connections -1',
    'max_queued_messages 0', // no cap on the subscriber's queue: a reference must not drop what it is counted on
    'log_dest stderr',
    'log_type error',
    '',
  ].join('\n'));
  const child = spawn(BINARY, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  reapOnExit(child);
  let errors = '';
  child.stderr!.on('data', (d) => { errors = (errors + String(d)).slice(-5000); }); // shown if it fails (it always warns that it runs as root)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`mosquitto did not start:\n${errors}`);
    await sleep(50);
  }
  return {
    pid: child.pid!,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
