// `npm run cluster -- --nodes 3`: a whole FireNet cluster on this machine from Debian's packages, with the demo
// province: PostgreSQL and Redis in temporary directories on loopback ports, N nodes (`node dist/main.js`, each with
// its own ports and data directory) and HAProxy in front on FireNet's usual ports. Ctrl-C stops it all and removes
// the files. docs/deploy.md tells how to run the same on several machines.
import { parseArgs } from 'node:util';
import { startLocalCluster } from './cluster.js';
import { startCommand } from './start-command.js';

/** What the launcher prints for a person: this is a command-line tool, not the product's log. */
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nodes: { type: 'string', default: '3' }, devices: { type: 'string' } } });
  const count = Number(values.nodes);
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error('--nodes: a whole number from 1 to 16');
  say(`starting PostgreSQL, Redis, HAProxy and ${count} node(s); node-1 seeds the demo province ...`);
  const start = startCommand(process.cwd());
  const cluster = await startLocalCluster({
    nodes: count,
    nodeArgs: [...start.nodeArgs, 'dist/main.js'],
    front: { http: 8080, mqtt: 1883, mqttWs: 8083, gb26875: 9026 },
    // the demo province is seeded by the first node, whose fleet connects through HAProxy and so spreads over the nodes
    env: (_name, index, front) => ({
      ...start.env,
      FIRENET_DEMO: '1', FIRENET_DEMO_FLEET: index === 0 ? '1' : '0',
      FIRENET_DEMO_MQTT_URL: `mqtt://127.0.0.1:${front.mqtt}`, FIRENET_DEMO_GB26875_URL: `tcp://127.0.0.1:${front.gb26875}`,
      ...(values.devices ? { FIRENET_DEMO_DEVICES: values.devices } : {}),
    }),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping ...');
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const { front } = cluster;
  say('');
  say(`FireNet cluster of ${count} nodes behind HAProxy:`);
  say(`  dashboard and API   http://127.0.0.1:${front.http}`);
  say(`  MQTT                mqtt://127.0.0.1:${front.mqtt}   WebSocket ws://127.0.0.1:${front.mqttWs}/mqtt`);
  say(`  GB/T 26875.3        127.0.0.1:${front.gb26875}`);
  say(`  PostgreSQL          ${cluster.databaseUrl}`);
  say(`  Redis               ${cluster.redisUrl}`);
  for (const n of cluster.nodes) say(`  ${n.name.padEnd(8)}            http://127.0.0.1:${n.ports.http}  mqtt://127.0.0.1:${n.ports.mqtt}  log ${n.log}`);
  say('Ctrl-C stops everything and removes its files.');
}

main().catch((err: unknown) => {
  process.stderr.write(`could not start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
