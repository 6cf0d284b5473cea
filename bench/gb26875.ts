// GB/T 26875.3: frames decoded per second beside the MQTT edge's JSON events (same fire alarm, same run), and
// 5,000 transmission devices connected at once with heartbeats: FireNet's resident memory per connection and the
// heartbeat confirm time. Decoding and the devices run in their own processes.
import { now, sleep, until } from './lib/clock.js';
import { startChild } from './lib/child.js';
import { env, fmt, rss, spread } from './lib/measure.js';
import type { Row } from './lib/table.js';
import type { GbDevicesJob } from './load/gb-devices.js';
import { createSite, startFireNet } from './servers/firenet.js';
import { freePort } from '../tests/helpers/process.js';

const DEVICES = env.number('BENCH_GB_DEVICES', 5000, 1000);
const GENERATORS = env.number('BENCH_GB_GENERATORS', 4, 2);
const HEARTBEAT_SEC = env.number('BENCH_GB_HEARTBEAT_SEC', 30, 10);
/** How long the fleet keeps beating after the last device signed in, before the memory is read. */
const HOLD_MS = env.number('BENCH_GB_HOLD_MS', 30_000, 10_000);
const DECODE_MS = env.number('BENCH_GB_DECODE_MS', 3000, 1000);

const address = (i: number) => (0x100000 + i).toString(16).toUpperCase().padStart(12, '0');

async function decoding(): Promise<Row[]> {
  const child = startChild('load/gb-decode.mjs', { ms: DECODE_MS });
  try {
    const r = await child.next<{ type: 'done'; gb: number; mqtt: number; frameBytes: number; jsonBytes: number }>('done', 60_000);
    return [{
      figure: `GB/T 26875.3 frames decoded per second (one component fire alarm each, ${r.frameBytes} bytes: reader, unit, events, validation) vs MQTT JSON events (${r.jsonBytes} bytes: decodeJson, parseEvent), one core, compiled server code`,
      firenet: `${fmt.n(r.gb)} /s vs ${fmt.n(r.mqtt)} /s JSON`, vsAedes: `GB ÷ JSON ${fmt.ratio(r.gb, r.mqtt)}`,
    }];
  } finally {
    await child.stop();
  }
}

async function fleet(): Promise<Row[]> {
  const gbPort = await freePort();
  const env = { GB26875_PORT: String(gbPort), MQTT_PENDING_PER_ADDRESS: String(Math.max(20_000, DEVICES)) };
  let fn = await startFireNet({ env });
  const generators: ReturnType<typeof startChild>[] = [];
  try {
    await createSite(fn, 'bench-hospital', '蛟河市人民医院');
    const csv = ['id,family,model,institution,zone,heartbeat_sec,gb_address',
      ...Array.from({ length: DEVICES }, (_, i) => [`td-${String(i + 1).padStart(5, '0')}`, 'transmission_device', 'UITD', 'bench-hospital', '消防控制室', String(HEARTBEAT_SEC), address(i)].join(','))].join('\n');
    const imported = await fn.api('/api/devices/import', { csv });
    if (imported.status !== 201) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body).slice(0, 300)}`);
    // restarted on its data, as after a power cut: the memory before is a settled process's, not the import's garbage
    await fn.stop(false);
    fn = await startFireNet({ env, dataDir: fn.dataDir });
    const share = Math.ceil(DEVICES / GENERATORS);
    for (let g = 0; g < GENERATORS; g++) {
      generators.push(startChild('load/gb-devices.ts', {
        host: '127.0.0.1', port: gbPort, heartbeatSec: HEARTBEAT_SEC, window: 50,
        addresses: Array.from({ length: Math.min(share, DEVICES - g * share) }, (_, i) => address(g * share + i)),
      } satisfies GbDevicesJob));
    }
    await Promise.all(generators.map((g) => g.next('ready')));
    await sleep(2000);
    const rssBefore = await rss(fn.pid);
    const goAt = now();
    for (const g of generators) g.send({ type: 'go' });
    const connected = await Promise.all(generators.map((g) => g.next<{ type: 'connected'; ms: number; connected: number; failed: number; failures: string[] }>('connected', 300_000)));
    const signInMs = now() - goAt;
    const total = connected.reduce((n, c) => n + c.connected, 0);
    // drop the sign-in latencies; keep what the steady heartbeats take
    await Promise.all(generators.map((g) => g.ask({ type: 'stats' })));
    await sleep(HOLD_MS);
    await until(async () => ((await fn.health()).gb26875?.connected ?? 0) >= total, 'every device signed in', 30_000);
    const rssAfter = await rss(fn.pid);
    const stats = await Promise.all(generators.map((g) => g.ask<{ type: 'stats'; confirms: number; heartbeats: number; connected: number; latencies: number[] }>({ type: 'stats' })));
    const beats = spread(stats.flatMap((s) => s.latencies));
    const health = (await fn.health()).gb26875;
    await Promise.all(generators.map((g) => g.ask({ type: 'close' }, 'closed')));
    const perConn = (rssAfter - rssBefore) / Math.max(1, total);
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    return [
      {
        figure: `${fmt.n(DEVICES)} transmission devices over GB/T 26875.3 from ${GENERATORS} processes (50 signing in at a time each): all signed in (first heartbeat confirmed)${failed ? ` (${failed} failed, e.g. ${connected.flatMap((c) => c.failures).slice(0, 2).join('; ')})` : ''}`,
        firenet: `${fmt.n(total)} in ${fmt.s(signInMs)}`,
      },
      {
        figure: `same, resident memory per connection (RSS after ${HOLD_MS / 1000} s of heartbeats every ${HEARTBEAT_SEC} s minus before, FireNet restarted on its data first; FireNet ${fmt.mb(rssBefore)} -> ${fmt.mb(rssAfter)})`,
        firenet: fmt.kb(perConn),
      },
      {
        figure: `same, heartbeat -> confirm (p50 / p99 / max of ${fmt.n(beats.count)}; frames in ${fmt.n(health?.framesIn ?? 0)}, bad ${Object.values(health?.badFrames ?? {}).reduce((a: number, b) => a + Number(b), 0)})`,
        firenet: `${fmt.ms(beats.p50)} / ${fmt.ms(beats.p99)} / ${fmt.ms(beats.max)}`,
      },
    ];
  } finally {
    await Promise.all(generators.map((g) => g.stop()));
    await fn.stop();
  }
}

export async function gb26875(): Promise<Row[]> {
  return [...(await decoding()), ...(await fleet())];
}
