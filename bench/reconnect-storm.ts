// Reconnect storm: 10,000 provisioned devices connect at once (say, after FireNet restarted), from several
// generator processes. Timed from the first connection attempt to the last CONNACK; FireNet's resident
// memory is read before and after. The same storm against the bare aedes and mosquitto.
import { readFile, rm } from 'node:fs/promises';
import { now, sleep } from './lib/clock.js';
import { startChild } from './lib/child.js';
import { cpuMs, env, fmt, rss, spread } from './lib/measure.js';
import type { Row } from './lib/table.js';
import type { ConnectsJob } from './load/connects.js';
import type { Credentials, Target } from './load/mqtt-raw.js';
import { startBareAedes } from './servers/aedes.js';
import { createSite, importDevices, startFireNet, type DeviceRow } from './servers/firenet.js';
import { startMosquitto } from './servers/mosquitto.js';

const DEVICES = env.number('BENCH_RECONNECT_DEVICES', 10_000, 2000);
const GENERATORS = env.number('BENCH_RECONNECT_GENERATORS', 4, 4);
/**
 * The storm again, paced: each generator keeps at most this many connections unanswered (0: not run). With
 * everything at once the listen queues overflow and the kernel's SYN retries (1 s, 3 s, ...) weigh in; paced,
 * no connection is dropped and the figure is the broker's own sign-in rate.
 */
const PACED_WINDOW = env.number('BENCH_RECONNECT_PACED_WINDOW', 25, 0);
/** FireNet's cap on unsigned connections per address, raised: every generator connects from 127.0.0.1. */
const PENDING_PER_ADDRESS = String(Math.max(20_000, DEVICES));
const SETTLE_MS = 3000;

interface Storm { refused?: string; cpu: number; ms: number; p50: number; p90: number; overflows: number; connected: number; failed: number; failures: string[]; rssBefore: number; rssAfter: number }

/** Connections the kernel dropped because a listen queue was full (system-wide: anything else running counts too). */
async function listenOverflows(): Promise<number> {
  const snmp = await readFile('/proc/net/netstat', 'utf8');
  const [names, values] = snmp.split('\n').filter((l) => l.startsWith('TcpExt:'));
  const i = names!.split(' ').indexOf('ListenOverflows');
  return Number(values!.split(' ')[i]);
}

const ids = Array.from({ length: DEVICES }, (_, i) => `rc-${String(i + 1).padStart(5, '0')}`);

async function storm(target: Target, devices: Credentials[], pid: number, window: number): Promise<Storm> {
  const share = Math.ceil(devices.length / GENERATORS);
  const generators = Array.from({ length: GENERATORS }, (_, g) => startChild('load/connects.ts', {
    target, devices: devices.slice(g * share, (g + 1) * share), window: window || undefined,
  } satisfies ConnectsJob));
  try {
    await Promise.all(generators.map((g) => g.next('ready')));
    await sleep(SETTLE_MS);
    const rssBefore = await rss(pid);
    const overflowsBefore = await listenOverflows();
    const [cpuBefore, goAt] = [await cpuMs(pid), now()];
    for (const g of generators) g.send({ type: 'go' });
    const done = await Promise.all(generators.map((g) => g.next<{ type: 'done'; startedAt: number; lastAt: number; times: number[]; connected: number; failed: number; failures: string[] }>('done', 180_000)));
    const cpu = (await cpuMs(pid) - cpuBefore) / (now() - goAt);
    const overflows = (await listenOverflows()) - overflowsBefore;
    await sleep(SETTLE_MS);
    const rssAfter = await rss(pid);
    await Promise.all(generators.map((g) => g.ask({ type: 'close' }, 'closed')));
    const startedAt = Math.min(...done.map((d) => d.startedAt));
    const times = spread(done.flatMap((d) => d.times.map((t) => t - startedAt)));
    return {
      ms: Math.max(...done.map((d) => d.lastAt)) - startedAt, p50: times.p50, p90: times.p90, overflows, cpu,
      connected: done.reduce((n, d) => n + d.connected, 0),
      failed: done.reduce((n, d) => n + d.failed, 0),
      failures: done.flatMap((d) => d.failures).slice(0, 2),
      rssBefore, rssAfter,
    };
  } finally {
    await Promise.all(generators.map((g) => g.stop()));
  }
}

async function fireNetStorms(): Promise<{ importMs: number; storms: Storm[] }> {
  const env = { MQTT_PENDING_PER_ADDRESS: PENDING_PER_ADDRESS };
  const first = await startFireNet({ env });
  let devices: Credentials[];
  let importMs: number;
  try {
    await createSite(first, 'bench-hospital', '蛟河市人民医院');
    const rows: DeviceRow[] = ids.map((id, i) => ({ id, family: 'smoke_detector', site: 'bench-hospital', building: '住院楼', floor: String((i % 20) + 1), zone: `Z${i % 200}` }));
    ({ devices, ms: importMs } = await importDevices(first, rows));
  } finally {
    await first.stop(false);
  }
  // the storm a restart brings: FireNet comes back on its data and every device reconnects
  const storms: Storm[] = [];
  try {
    for (const window of windows()) {
      const fn = await startFireNet({ dataDir: first.dataDir, env });
      try {
        const result = await storm(fn.target, devices, fn.pid, window);
        const refused = Object.entries((await fn.health()).gateway.connectsRefused as Record<string, number>);
        storms.push({ ...result, refused: refused.map(([why, n]) => `${n} ${why}`).join(', ') });
      } finally {
        await fn.stop(false);
      }
    }
  } finally {
    await rm(first.dataDir, { recursive: true, force: true });
  }
  return { importMs, storms };
}

const windows = () => (PACED_WINDOW ? [0, PACED_WINDOW] : [0]);

const anonymous = ids.map((id) => ({ id, secret: 'x' }));

async function aedesStorms(): Promise<Storm[]> {
  const storms: Storm[] = [];
  for (const window of windows()) {
    const aedes = await startBareAedes();
    try { storms.push(await storm(aedes.target, anonymous, aedes.pid, window)); } finally { await aedes.stop(); }
  }
  return storms;
}

async function mosquittoStorms(): Promise<Storm[]> {
  const storms: Storm[] = [];
  for (const window of windows()) {
    const mosquitto = await startMosquitto();
    try { storms.push(await storm({ host: '127.0.0.1', port: mosquitto.port }, anonymous, mosquitto.pid, window)); } finally { await mosquitto.stop(); }
  }
  return storms;
}

export async function reconnectStorm(): Promise<Row[]> {
  const refs = await aedesStorms();
  const mqs = await mosquittoStorms();
  const { importMs, storms } = await fireNetStorms();
  const perConn = (s: Storm) => (s.rssAfter - s.rssBefore) / Math.max(1, s.connected);
  const rate = (s: Storm) => s.connected / (s.ms / 1000);
  const short = (s: Storm) => (s.connected < DEVICES ? ` (${fmt.n(s.connected)} connected; ${s.failed} failed, e.g. ${s.failures.join('; ')})` : '')
    + (s.refused ? ` (refused by FireNet: ${s.refused})` : '');
  const rows: Row[] = [{
    figure: `import ${fmt.n(DEVICES)} devices (POST /api/devices/import, CSV)`, firenet: fmt.s(importMs), target: '< 5 s', met: importMs < 5000,
  }];
  windows().forEach((window, i) => {
    const [fn, ref, mq] = [storms[i]!, refs[i]!, mqs[i]!];
    const how = window
      ? `paced: at most ${window} unanswered per process`
      : `${fmt.n(DEVICES)} devices from ${GENERATORS} processes all at once; FireNet restarted on its data first, MQTT_PENDING_PER_ADDRESS=${PENDING_PER_ADDRESS}`;
    rows.push(
      {
        figure: `reconnect storm (${how}): first connect -> last CONNACK${short(fn)}`,
        firenet: fmt.s(fn.ms), aedes: fmt.s(ref.ms) + short(ref), mosquitto: fmt.s(mq.ms) + short(mq),
        vsAedes: fmt.ratio(fn.ms, ref.ms), vsMosquitto: fmt.ratio(fn.ms, mq.ms),
        ...(window ? {} : { target: '< 5 s', met: fn.ms < 5000 && fn.connected === DEVICES }),
      },
      {
        figure: 'same, half / 90 % of the CONNACKs back after (kernel listen-queue overflows meanwhile, system-wide)',
        firenet: `${fmt.s(fn.p50)} / ${fmt.s(fn.p90)} (${fmt.n(fn.overflows)})`,
        aedes: `${fmt.s(ref.p50)} / ${fmt.s(ref.p90)} (${fmt.n(ref.overflows)})`, mosquitto: `${fmt.s(mq.p50)} / ${fmt.s(mq.p90)} (${fmt.n(mq.overflows)})`,
      },
      {
        figure: 'same, the broker\'s CPU until the last CONNACK (1.00 = one core throughout)',
        firenet: fn.cpu.toFixed(2), aedes: ref.cpu.toFixed(2), mosquitto: mq.cpu.toFixed(2),
      },
      {
        figure: 'same, connections/s', firenet: fmt.n(rate(fn)), aedes: fmt.n(rate(ref)), mosquitto: fmt.n(rate(mq)),
        vsAedes: fmt.ratio(rate(fn), rate(ref)), vsMosquitto: fmt.ratio(rate(fn), rate(mq)),
        ...(window ? {} : { target: '≥ 2,000/s', met: rate(fn) >= 2000 }),
      },
    );
    if (!window) {
      rows.push({
        figure: `same, resident memory per connection (RSS ${SETTLE_MS / 1000} s after the last CONNACK minus before; FireNet ${fmt.mb(fn.rssBefore)} -> ${fmt.mb(fn.rssAfter)})`,
        firenet: fmt.kb(perConn(fn)), aedes: fmt.kb(perConn(ref)), mosquitto: fmt.kb(perConn(mq)),
        vsAedes: fmt.ratio(perConn(fn), perConn(ref)), vsMosquitto: fmt.ratio(perConn(fn), perConn(mq)), target: '< 40 KB', met: perConn(fn) < 40 * 1024,
      });
    }
  });
  return rows;
}
