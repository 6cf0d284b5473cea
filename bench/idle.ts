// Idle memory: FireNet with demo off and no device connected, against the bare brokers doing nothing.
import { rm } from 'node:fs/promises';
import { sleep } from './lib/clock.js';
import { env, fmt, rss, wasmRss } from './lib/measure.js';
import type { Row } from './lib/table.js';
import { startBareAedes } from './servers/aedes.js';
import { startFireNet, type FireNetServer } from './servers/firenet.js';
import { startMosquitto } from './servers/mosquitto.js';

/** A fresh FireNet gives back its start-up garbage within ~20 s (V8 shrinks its heap once it idles). */
const SETTLE_MS = env.number('BENCH_IDLE_SETTLE_SEC', 20, 5) * 1000;
const TARGET = 200 * 1024 * 1024;

interface Idle { rss: number; wasm: number; heap: number }

async function settled(fn: FireNetServer): Promise<Idle> {
  await sleep(SETTLE_MS);
  return { rss: await rss(fn.pid), wasm: await wasmRss(fn.pid), heap: await fn.metric('firenet_nodejs_heap_size_used_bytes') };
}

export async function idle(): Promise<Row[]> {
  // First start on an empty data directory (the embedded database is created), then a restart on it.
  const first = await startFireNet();
  const fresh = await settled(first);
  await first.stop(false);
  const again = await startFireNet({ dataDir: first.dataDir });
  const restarted = await settled(again);
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

  const row = (figure: string, v: Idle): Row => ({
    figure: `${figure} (of it: JS heap in use ${fmt.mb(v.heap)}, PGlite's WebAssembly memory ${fmt.mb(v.wasm)})`,
    firenet: fmt.mb(v.rss), aedes: fmt.mb(aedesRss), mosquitto: fmt.mb(mosquittoRss),
    vsAedes: fmt.ratio(v.rss, aedesRss), vsMosquitto: fmt.ratio(v.rss, mosquittoRss), target: '< 200 MB', met: v.rss < TARGET,
  });
  return [
    row(`idle RSS, demo off, no device connected, ${SETTLE_MS / 1000} s after start: first start on an empty data dir`, fresh),
    row('same, restarted on that data dir', restarted),
  ];
}
