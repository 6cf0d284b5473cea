// HAProxy (Debian's `haproxy`) in front of a cluster's nodes on one machine: HTTP and the dashboard's WebSocket,
// MQTT over TCP and WebSocket, and GB/T 26875.3, each spread over the nodes that answer /api/health with 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NodePorts { name: string; http: number; mqtt: number; mqttWs: number; gb26875: number }
export interface FrontPorts { http: number; mqtt: number; mqttWs: number; gb26875: number }

/** The configuration: `docs/deploy.md` shows the same for nodes on several machines. */
export function haproxyConfig(front: FrontPorts, nodes: readonly NodePorts[], host = '127.0.0.1'): string {
  // every backend asks the node's health, so a node whose database is down takes no new devices or viewers
  // MQTT over TCP and GB/T 26875.3 get a PROXY v2 header naming the device's address (the nodes trust HAProxy's:
  // TRUST_PROXY), so the per-address limits count devices, not HAProxy; MQTT over WebSocket goes without, since its
  // HTTP server does not read one
  const servers = (port: (n: NodePorts) => number, proxyHeader = false) => nodes
    .map((n) => `  server ${n.name} 127.0.0.1:${port(n)} check port ${n.http} inter 1s fall 2 rise 1${proxyHeader ? ' send-proxy-v2' : ''}`).join('\n');
  const tcp = (name: string, bind: number, port: (n: NodePorts) => number, proxyHeader: boolean) => `
frontend ${name}
  mode tcp
  bind ${host}:${bind}
  default_backend ${name}_nodes
backend ${name}_nodes
  mode tcp
  balance leastconn
  option httpchk GET /api/health
${servers(port, proxyHeader)}
`;
  return `# FireNet cluster: ${nodes.length} nodes
# global maxconn: from the open-files limit (ulimit -n); a province's node wants it at 200000 or more
defaults
  timeout connect 5s
  # a connection sent to a node that has just died (before its checks fail) is tried again on another
  retries 3
  option redispatch 1
  # devices and viewers keep their connections open for hours; their keep-alives are far shorter
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
frontend http
  mode http
  bind ${host}:${front.http}
  option forwardfor
  default_backend http_nodes
backend http_nodes
  mode http
  balance roundrobin
  option httpchk GET /api/health
${servers((n) => n.http)}
${tcp('mqtt', front.mqtt, (n) => n.mqtt, true)}${tcp('mqtt_ws', front.mqttWs, (n) => n.mqttWs, false)}${tcp('gb26875', front.gb26875, (n) => n.gb26875, true)}`;
}

export interface HaproxyServer { stop(): Promise<void> }

export async function startHaproxy(front: FrontPorts, nodes: readonly NodePorts[]): Promise<HaproxyServer> {
  const dir = await mkdtemp(join(tmpdir(), 'firenet-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig(front, nodes));
  const child: ChildProcess = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => { errors = (errors + String(d)).slice(-4000); });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`haproxy could not start (apt-get install haproxy): ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`haproxy exited (${code}): ${errors}`)));
    setTimeout(resolve, 500); // it binds at once or exits
  });
  child.removeAllListeners('exit');
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
