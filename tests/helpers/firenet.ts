// A real FireNet for a test: gateway, API and sockets on ephemeral loopback ports, its own data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { liveLists } from '../../contracts/realtime.js';
import { startFireNet, type FireNet } from '../../platform/app.js';
import { hashSecret } from '../../platform/auth/hash.js';
import { loadConfig } from '../../platform/config.js';
import { startFleet, type Fleet } from '../../simulators/fleet.js';
import { freePort } from './process.js';

export const ADMIN_PASSWORD = 'test-admin-password';

export interface LogLine { level: number; msg: string; [k: string]: unknown }

export interface TestFireNet extends FireNet<Fleet> {
  dataDir: string;
  logs: LogLine[];
  api<T = any>(path: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<{ status: number; body: T }>;
  login(username?: string, password?: string): Promise<string>;
  adminToken: string;
  provisionSite(id: string, regionCode: string, name?: string): Promise<void>;
  /** A transmission device given no gbAddress gets one of its own (the API requires it for that family). */
  provisionDevice(device: { id: string; family: string; siteId: string; zone?: string; heartbeatSec?: number; gbAddress?: string }): Promise<string>;
  connectDevice(id: string, secret: string, opts?: IClientOptions & { ws?: boolean }): Promise<MqttClient>;
  viewer(token: string): Promise<Socket>;
  stop(): Promise<void>;
}

/** A real FireNet on ephemeral loopback ports; `adminPassword` is what the admin signs in with (FIRENET_ADMIN_PASSWORD unless a test changes it). */
export async function startTestFireNet(env: Record<string, string> = {}, adminPassword = ADMIN_PASSWORD): Promise<TestFireNet> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'firenet-test-')));
  // No per-device rate cap unless a test asks for one: tests and benchmarks publish in bursts.
  const config = loadConfig({
    // GB/T 26875.3 (whose 0 means off, not an ephemeral port) on a free port in demo mode, as `npm start` runs the
    // demo's transmission devices; otherwise off unless a test gives it a port
    HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', MQTT_HOST: '127.0.0.1', MQTT_PORT: '0', MQTT_WS_PORT: '0', MQTT_DEVICE_RATE: '0',
    GB26875_PORT: env.FIRENET_DEMO === '1' ? String(await freePort()) : '0',
    DATA_DIR: dataDir, FIRENET_DEMO: '0', FIRENET_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'debug', ...env,
  });
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const firenet = await startFireNet(config, pino({ level: config.LOG_LEVEL }, sink), startFleet);
  const clients: { end(force?: boolean): unknown }[] = [];
  let gbAddresses = 0;
  const sockets: Socket[] = [];

  const api: TestFireNet['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = {};
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const token = init.token === undefined ? t.adminToken : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(firenet.httpUrl + path, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  const login = async (username = 'admin', password = adminPassword) => {
    const res = await api<{ token: string }>('/api/auth/login', { body: { username, password }, token: null });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  };

  const t: TestFireNet = {
    ...firenet,
    dataDir, logs, api, login, adminToken: '',
    async provisionSite(id: string, regionCode: string, name = `测试医院 ${id}`) {
      const res = await api('/api/sites', { body: { id, name, regionCode } });
      if (res.status !== 201) throw new Error(`site ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async provisionDevice(device: { id: string; family: string; siteId: string; zone?: string; heartbeatSec?: number; gbAddress?: string }) {
      const body = device.family === 'transmission_device' && !device.gbAddress
        ? { ...device, gbAddress: (0xF00000000000 + ++gbAddresses).toString(16).toUpperCase() }
        : device;
      const res = await api<{ secret: string }>('/api/devices', { body });
      if (res.status !== 201) throw new Error(`device ${device.id}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.secret;
    },
    async connectDevice(id: string, secret: string, opts: IClientOptions & { ws?: boolean } = {}) {
      const { ws, ...rest } = opts;
      const client = await mqtt.connectAsync(ws ? firenet.mqttWsUrl : firenet.mqttUrl, {
        clientId: id, username: id, password: secret, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...rest,
      });
      clients.push(client);
      return client;
    },
    async viewer(token: string) {
      const socket = io(firenet.httpUrl, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async stop() {
      for (const s of sockets) s.disconnect();
      await Promise.all(clients.map((c) => c.end(true)));
      await firenet.close();
      if (!env.DATA_DIR) await rm(dataDir, { recursive: true, force: true });
    },
  };
  t.adminToken = await login();
  return t;
}

/**
 * Calls `fn` with each `event` payload on the socket, the records of its list event too (records changed together
 * come in one push, contracts/realtime.ts `liveLists`), as the dashboard hears them; returns the function that stops.
 */
export function onEach<T>(socket: Socket, event: string, fn: (payload: T) => void): () => void {
  const list = Object.entries(liveLists).find(([, each]) => each === event)?.[0];
  const each = (records: T[]) => { for (const r of records) fn(r); };
  socket.on(event, fn);
  if (list) socket.on(list, each);
  return () => {
    socket.off(event, fn);
    if (list) socket.off(list, each);
  };
}

/** Resolves with the first `event` payload on the socket (alone or in its list event) that satisfies `match`, or rejects after `ms`. */
export function nextEvent<T>(socket: Socket, event: string, match: (payload: T) => boolean, ms = 1000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${event} within ${ms} ms`)); }, ms);
    const off = onEach<T>(socket, event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Polls `probe` until it returns a truthy value (or throws after `ms`). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function eventPayload(id: string, type: string, data: Record<string, unknown> = {}, ts = Date.now()): string {
  return JSON.stringify({ id, ts, type, data });
}

/** Creates each user (password `<username>-pw`) and signs it in: its access token by username. */
export async function signInUsers<K extends string>(fn: TestFireNet, users: Record<K, { role: string; regionCode: string | null; siteIds: readonly string[] }>): Promise<Record<K, string>> {
  const tokens = {} as Record<K, string>;
  for (const [username, u] of Object.entries(users) as [K, { role: string; regionCode: string | null; siteIds: readonly string[] }][]) {
    await fn.store.createUser({ username, passwordHash: await hashSecret(`${username}-pw`), role: u.role as never, regionCode: u.regionCode, siteIds: [...u.siteIds] });
    tokens[username] = await fn.login(username, `${username}-pw`);
  }
  return tokens;
}
