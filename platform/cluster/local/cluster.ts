// A whole FireNet cluster on this machine, from Debian's packages: PostgreSQL and Redis in temporary directories on
// loopback ports (or a given database), N nodes as separate processes (each with its own ports and data directory) and
// HAProxy in front. `npm run cluster` (with the demo province) and `npm run bench -- --cluster N` run the built
// product; the failover test runs the sources; the bench and the test kill a node with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaproxy, type FrontPorts, type HaproxyServer, type NodePorts } from './haproxy.js';
import { freePort } from './ports.js';
import { createDatabase, startPostgres, type PostgresServer } from './postgres.js';
import { startRedis, type RedisServer } from './redis.js';

const START_TIMEOUT_MS = 180_000;

export interface LocalClusterOptions {
  nodes: number;
  /** node's arguments to start one FireNet node: the built product, or the sources under tsx. */
  nodeArgs: string[];
  /** The directory nodeArgs are relative to (the repository). */
  cwd?: string;
  /** HAProxy's ports; free loopback ports when not given. */
  front?: FrontPorts;
  /** An existing database; started here (and stopped with the cluster) when not given. */
  databaseUrl?: string;
  /** Each node's own settings beyond the cluster's. */
  env?: (name: string, index: number, front: FrontPorts) => Record<string, string>;
}

export interface LocalNode {
  readonly name: string;
  readonly ports: NodePorts;
  readonly log: string;
  readonly pid: number;
  readonly running: boolean;
  /** SIGKILL: the node dies as a machine losing power would. */
  kill(): Promise<void>;
  /** SIGTERM: a clean stop, which hands the node's partitions over at once (SIGKILL after 30 s). */
  stop(): Promise<void>;
}

export interface LocalCluster {
  front: FrontPorts;
  nodes: LocalNode[];
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'firenet-cluster-'));
  const front = opts.front ?? { http: await freePort(), mqtt: await freePort(), mqttWs: await freePort(), gb26875: await freePort() };
  const owned: { postgres?: PostgresServer; redis?: RedisServer; haproxy?: HaproxyServer } = {};
  const nodes: LocalNode[] = [];
  const stop = async (keepLogs = false) => {
    await Promise.all(nodes.map((n) => n.stop()));
    await owned.haproxy?.stop();
    await owned.redis?.stop();
    await owned.postgres?.stop();
    if (!keepLogs) await rm(dir, { recursive: true, force: true });
  };
  try {
    let databaseUrl = opts.databaseUrl;
    if (!databaseUrl) {
      owned.postgres = await startPostgres();
      databaseUrl = await createDatabase(owned.postgres.url, 'firenet');
    }
    owned.redis = await startRedis();
    const redisUrl = owned.redis.url;
    const ports: NodePorts[] = [];
    for (let i = 1; i <= opts.nodes; i++) {
      ports.push({ name: `node-${i}`, http: await freePort(), mqtt: await freePort(), mqttWs: await freePort(), gb26875: await freePort() });
    }
    owned.haproxy = await startHaproxy(front, ports);
    const launch = (p: NodePorts, index: number) => {
      const node = startNode(p, dir, opts.cwd, opts.nodeArgs, {
        DATABASE_URL: databaseUrl, CLUSTER_REDIS_URL: redisUrl, CLUSTER_NODE_ID: p.name, DATA_DIR: join(dir, p.name), TRUST_PROXY: 'loopback',
        HTTP_HOST: '127.0.0.1', MQTT_HOST: '127.0.0.1', HTTP_PORT: String(p.http), MQTT_PORT: String(p.mqtt), MQTT_WS_PORT: String(p.mqttWs), GB26875_PORT: String(p.gb26875),
        ...opts.env?.(p.name, index, front),
      });
      nodes.push(node);
      return waitHealthy(node);
    };
    // the first node alone (it migrates the database and seeds what the settings ask), then the others together
    await launch(ports[0]!, 0);
    await Promise.all(ports.slice(1).map((p, i) => launch(p, i + 1)));
    // HAProxy sends nothing to a node until its check has passed (a second at most)
    await waitHealthy({ name: 'HAProxy', running: true, ports: { http: front.http } });
    return { front, nodes, databaseUrl, redisUrl, stop: () => stop() };
  } catch (err) {
    // the nodes' logs stay for a person to read why
    await stop(true).catch(() => undefined);
    throw new Error(`${(err as Error).message} (logs in ${dir})`);
  }
}

function startNode(ports: NodePorts, dir: string, cwd: string | undefined, args: string[], env: Record<string, string>): LocalNode {
  const log = join(dir, `${ports.name}.log`);
  const out = createWriteStream(log);
  const child: ChildProcess = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = async (name: NodeJS.Signals) => {
    if (running()) child.kill(name);
    await exited;
  };
  return {
    name: ports.name, ports, log,
    pid: child.pid!,
    get running() { return running(); },
    kill: () => signal('SIGKILL'),
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}

async function waitHealthy(node: Pick<LocalNode, 'name' | 'running'> & { ports: { http: number } }): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!node.running) throw new Error(`${node.name} exited during start-up`);
    const ok = await fetch(`http://127.0.0.1:${node.ports.http}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${node.name} did not answer /api/health within ${START_TIMEOUT_MS / 1000} s`);
}
