// `npm run cluster -- --nodes 3`: a whole FireNet cluster on this machine from Debian's packages, with the demo
// province: PostgreSQL and Redis in temporary directories on loopback ports, N nodes (`node dist/main.js`, each with
// its own ports and data directory) and HAProxy in front on FireNet's usual ports. Ctrl-C stops it all and removes
// the files. docs/deploy.md tells how to run the same on several machines.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHaproxy, type FrontPorts, type NodePorts } from './haproxy.js';
import { freePort } from './ports.js';
import { createDatabase, startPostgres } from './postgres.js';
import { startRedis } from './redis.js';

const START_TIMEOUT_MS = 180_000;

/** What the launcher prints for a person: this is a command-line tool, not the product's log. */
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nodes: { type: 'string', default: '3' }, devices: { type: 'string' } } });
  const count = Number(values.nodes);
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error('--nodes: a whole number from 1 to 16');
  const front: FrontPorts = { http: 8080, mqtt: 1883, mqttWs: 8083, gb26875: 9026 };
  const dir = await mkdtemp(join(tmpdir(), 'firenet-cluster-'));

  say('starting PostgreSQL and Redis ...');
  const postgres = await startPostgres();
  const redis = await startRedis();
  const databaseUrl = await createDatabase(postgres.url, 'firenet');
  const nodes: NodePorts[] = [];
  for (let i = 1; i <= count; i++) {
    nodes.push({ name: `node-${i}`, http: await freePort(), mqtt: await freePort(), mqttWs: await freePort(), gb26875: await freePort() });
  }
  const haproxy = await startHaproxy(front, nodes);

  const children: ChildProcess[] = [];
  const launch = (n: NodePorts, first: boolean) => {
    const log = createWriteStream(join(dir, `${n.name}.log`));
    const child = spawn(process.execPath, ['--v8-pool-size=1', '--wasm-lazy-compilation', 'dist/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl, CLUSTER_REDIS_URL: redis.url, CLUSTER_NODE_ID: n.name, DATA_DIR: join(dir, n.name), TRUST_PROXY: 'loopback',
        HTTP_HOST: '127.0.0.1', MQTT_HOST: '127.0.0.1', HTTP_PORT: String(n.http), MQTT_PORT: String(n.mqtt), MQTT_WS_PORT: String(n.mqttWs), GB26875_PORT: String(n.gb26875),
        // the demo province is seeded by the first node, whose fleet connects through HAProxy and so spreads over the nodes
        FIRENET_DEMO: '1', FIRENET_DEMO_FLEET: first ? '1' : '0',
        FIRENET_DEMO_MQTT_URL: `mqtt://127.0.0.1:${front.mqtt}`, FIRENET_DEMO_GB26875_URL: `tcp://127.0.0.1:${front.gb26875}`,
        ...(values.devices ? { FIRENET_DEMO_DEVICES: values.devices } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    children.push(child);
    return waitHealthy(n, child);
  };

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping ...');
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    })));
    await haproxy.stop();
    await redis.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  try {
    say(`starting ${nodes[0]!.name} (it seeds the demo province) ...`);
    await launch(nodes[0]!, true);
    say(`starting ${nodes.slice(1).map((n) => n.name).join(', ') || 'no other node'} ...`);
    await Promise.all(nodes.slice(1).map((n) => launch(n, false)));
  } catch (err) {
    say(`could not start: ${(err as Error).message} (logs in ${dir})`);
    await stop();
    return;
  }
  say('');
  say(`FireNet cluster of ${count} nodes behind HAProxy:`);
  say(`  dashboard and API   http://127.0.0.1:${front.http}`);
  say(`  MQTT                mqtt://127.0.0.1:${front.mqtt}   WebSocket ws://127.0.0.1:${front.mqttWs}/mqtt`);
  say(`  GB/T 26875.3        127.0.0.1:${front.gb26875}`);
  say(`  PostgreSQL          ${databaseUrl}`);
  say(`  Redis               ${redis.url}`);
  for (const n of nodes) say(`  ${n.name.padEnd(8)}            http://127.0.0.1:${n.http}  mqtt://127.0.0.1:${n.mqtt}  log ${join(dir, `${n.name}.log`)}`);
  say('Ctrl-C stops everything and removes its files.');
}

async function waitHealthy(n: NodePorts, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${n.name} exited (${child.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${n.http}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${n.name} did not answer /api/health within ${START_TIMEOUT_MS / 1000} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
