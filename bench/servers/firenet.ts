// FireNet as a user runs it: `npm run build:server`, then `node dist/main.js` with the Node options of
// `npm start`, in its own process, demo off, on free loopback ports, with a data directory of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCommand } from '../../platform/cluster/local/start-command.js';
import { freePort } from '../../tests/helpers/process.js';
import { sleep } from '../lib/clock.js';
import { reapOnExit } from '../lib/reap.js';
import type { Credentials, Target } from '../load/mqtt-raw.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_PASSWORD = 'bench-admin-password';
/** The environment and Node options `npm start` runs FireNet with. */
export const START = startCommand(root);

/** Compiles the server once per bench run, as `npm start` would. */
export async function buildServer(): Promise<void> {
  const child = spawn('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run build:server exited ${code}`);
}

export interface FireNetServer {
  pid: number;
  httpUrl: string;
  target: Target;
  dataDir: string;
  token: string;
  api<T = any>(path: string, init?: { method?: string; body?: unknown; csv?: string }): Promise<{ status: number; body: T }>;
  /** GET /api/health */
  health(): Promise<any>;
  /** One value of GET /metrics (Prometheus text), by its full name with labels. */
  metric(name: string): Promise<number>;
  /** Stops it with SIGTERM (as an orchestrator would); the data directory stays unless `removeData`. */
  stop(removeData?: boolean): Promise<void>;
}

export type Api = FireNetServer['api'];

/** FireNet's HTTP API at `baseUrl` (one node, or a cluster's HAProxy), signed in as the admin. */
export async function adminApi(baseUrl: string, password: string): Promise<{ api: Api; token: string }> {
  let token = '';
  const api: Api = async (path, init = {}) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.csv !== undefined) { headers['content-type'] = 'text/csv'; body = init.csv; }
    else if (init.body !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(init.body); }
    const res = await fetch(baseUrl + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: (json && text ? JSON.parse(text) : text) as any };
  };
  const login = await api<{ token: string }>('/api/auth/login', { body: { username: 'admin', password } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  token = login.body.token;
  return { api, token };
}

export interface DeviceRow { id: string; family: string; site: string; building?: string; floor?: string; zone?: string }

/** Starts FireNet and resolves once its gateway answers and the admin is signed in. */
export async function startFireNet(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<FireNetServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'firenet-bench-')));
  // A free port can be taken before FireNet binds it (thousands of generator connections use the same range): try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(dataDir, opts);
    } catch (err) {
      if (attempt === 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

async function launch(dataDir: string, opts: { dataDir?: string; env?: Record<string, string> }): Promise<FireNetServer> {
  const [httpPort, mqttPort, wsPort] = [await freePort(), await freePort(), await freePort()];
  // e.g. BENCH_FIRENET_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where FireNet's time goes
  const nodeArgs = [...START.nodeArgs, ...(process.env.BENCH_FIRENET_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: root,
    env: {
      ...process.env, ...START.env,
      FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: ADMIN_PASSWORD, DATA_DIR: dataDir,
      HTTP_HOST: '127.0.0.1', MQTT_HOST: '127.0.0.1', HTTP_PORT: String(httpPort), MQTT_PORT: String(mqttPort), MQTT_WS_PORT: String(wsPort), GB26875_PORT: '0',
      MQTT_DEVICE_RATE: '0', LOG_LEVEL: 'warn', ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapOnExit(child);
  let output = '';
  const keep = (d: Buffer) => { output = (output + String(d)).slice(-20_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const httpUrl = `http://127.0.0.1:${httpPort}`;

  // Up when the health answers with the gateway started (HTTP listens first).
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`FireNet exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`FireNet did not start within 120 s:\n${output}`); }
    const up = await fetch(`${httpUrl}/api/health`).then(async (r) => (await r.json() as { gateway?: unknown }).gateway, () => null);
    if (up) break;
    await sleep(100);
  }
  const { api, token } = await adminApi(httpUrl, ADMIN_PASSWORD);

  return {
    pid: child.pid!,
    httpUrl,
    target: { host: '127.0.0.1', port: mqttPort },
    dataDir,
    token,
    api,
    async health() {
      const res = await api('/api/health');
      return res.body;
    },
    async metric(name) {
      const text = (await api<string>('/metrics')).body;
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line ? Number(line.slice(name.length + 1)) : NaN;
    },
    async stop(removeData = true) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (removeData && !opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates the institution (a county-level site under 蛟河市). */
export async function createSite(fn: { api: Api }, id: string, name: string): Promise<void> {
  const res = await fn.api('/api/sites', { body: { id, name, regionCode: '220281' } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`site ${id}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Provisions devices through the CSV import (at most 20,000 a file); resolves with their secrets and the time it took. */
export async function importDevices(fn: { api: Api }, rows: DeviceRow[]): Promise<{ devices: Credentials[]; ms: number }> {
  const csv = ['id,family,model,institution,building,floor,zone,heartbeat_sec',
    ...rows.map((r) => [r.id, r.family, 'bench', r.site, r.building ?? '', r.floor ?? '', r.zone ?? '', '300'].join(','))].join('\n');
  const started = performance.now();
  const res = await fn.api<string>('/api/devices/import', { csv });
  const ms = performance.now() - started;
  if (res.status !== 201) throw new Error(`import: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  const devices = res.body.trim().split(/\r?\n/).slice(1).map((line) => {
    const [id, secret] = line.split(',');
    return { id: id!, secret: secret! };
  });
  if (devices.length !== rows.length) throw new Error(`import: ${devices.length} secrets for ${rows.length} rows`);
  return { devices, ms };
}
