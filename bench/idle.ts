// Idle memory: FireNet with demo off and no device connected, against the bare brokers doing nothing.
// FireNet's resident memory is read twice: 20 s after start, while V8 may still hold the start-up's garbage, and
// after a longer idle. V8's memory reducer gives that heap back only once the process has idled for a while (it
// waits 8 s after the last major collection and retries while timers keep calling into JavaScript): traced alone,
// a first start gave back 35 MB of heap at 52 s, a restart at 26 s. The target is judged on the second reading,
// what an idle FireNet holds; the first stays in the table beside it.
import { rm } from 'node:fs/promises';
import { sleep } from './lib/clock.js';
import { env, fmt, rss, wasmRss } from './lib/measure.js';
import type { Row } from './lib/table.js';
import { startBareAedes } from './servers/aedes.js';
import { startFireNet, type FireNetServer } from './servers/firenet.js';
import { startMosquitto } from './servers/mosquitto.js';

const EARLY_MS = env.number('BENCH_IDLE_EARLY_SEC', 20, 5) * 1000;
const IDLE_MS = env.number('BENCH_IDLE_SEC', 90, 10) * 1000;
const TARGET = 200 * 1024 * 1024;

interface Idle { rss: number; wasm: number; heap: number }
interface Readings { early: number; idle: Idle }

async function measured(fn: FireNetServer): Promise<Readings> {
  await sleep(EARLY_MS);
  const early = await rss(fn.pid);
  await sleep(Math.max(0, IDLE_MS - EARLY_MS));
  return { early, idle: { rss: await rss(fn.pid), wasm: await wasmRss(fn.pid), heap: await fn.metric('firenet_nodejs_heap_size_used_bytes') } };
}

export async function idle(): Promise<Row[]> {
  // First start on an empty data directory (the embedded database is created), then a restart on it.
  const first = await startFireNet();
  const fresh = await measured(first);
  await first.stop(false);
  const again = await startFireNet({ dataDir: first.dataDir });
  const restarted = await measured(again);
  await again.stop(false);
  await rm(first.dataDir, { recursive: true, force: true });

  const aedes = await startBareAedes();
  await sleep(3000);
  const aedesRss = await rss(aedes.pid);
  await aedes.stop();
  const mosquitto = await startMosquitto();
  await sleep(1000);
  const mosquittoRss = await rss(mosquitto.pid);
  await mosquitto.stop();

  const row = (figure: string, v: Readings): Row => ({
    figure: `${figure} (${EARLY_MS / 1000} s after start: ${fmt.mb(v.early)}; after ${IDLE_MS / 1000} s, of it: JS heap in use ${fmt.mb(v.idle.heap)}, PGlite's WebAssembly memory ${fmt.mb(v.idle.wasm)})`,
    firenet: fmt.mb(v.idle.rss), aedes: fmt.mb(aedesRss), mosquitto: fmt.mb(mosquittoRss),
    vsAedes: fmt.ratio(v.idle.rss, aedesRss), vsMosquitto: fmt.ratio(v.idle.rss, mosquittoRss), target: '< 200 MB', met: v.idle.rss < TARGET,
  });
  return [
    row(`idle RSS, demo off, no device connected, ${IDLE_MS / 1000} s after start: first start on an empty data dir`, fresh),
    row('same, restarted on that data dir', restarted),
  ];
}
