// `npm run soak -- --minutes N`: FireNet on PostgreSQL under steady device load for N minutes while
// it is killed, its database stopped and its devices fuzzed; then the events table is checked for
// every acknowledged event. Exit 0 on a clean run, 1 with the reasons otherwise. Not part of npm test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/process.js';
import { AdminApi } from './api.js';
import { injectFault, planFaults, type FaultRecord } from './faults.js';
import { SoakFireNet } from './firenet.js';
import { LoadLink } from './load-link.js';
import { readOptions } from './options.js';
import { createDatabase, startPostgres } from '../helpers/postgres.js';
import { now, type FinalReport, type FuzzResult } from './protocol.js';
import { SOAK_MIN_JUDGED_SEC, SOAK_RSS_STEP_MB, failuresOf, summaryLines, type UnexpectedExit } from './report.js';
import { clock, formatSample, SampleLog, scrapeMetrics, type Sample } from './sampler.js';
import { memoryTrend, random, spread } from './stats.js';
import { countStored, verify, type Verification } from './verify.js';
import { AlarmViewer } from './viewer.js';

const ADMIN_PASSWORD = 'soak-admin-password';
const SAMPLE_EVERY_MS = 10_000;
/** How long devices get after the load stops to see their last PUBACKs. */
const SETTLE_MS = 60_000;
/** A smoke.alarm published this soon after a fault ended still counts as "during a fault". */
const FAULT_SHADOW_MS = 5000;

const opts = readOptions(process.argv.slice(2));
const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = join(root, 'test-artifacts', 'soak', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(artifacts, { recursive: true });
const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Everything started is stopped again, in reverse order, on every way out (Ctrl-C included).
const cleanups: (() => Promise<unknown> | unknown)[] = [];
let cleaning: Promise<void> | null = null;
const cleanUp = () => (cleaning ??= (async () => {
  for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch((err: Error) => say(`cleanup: ${err.message}`));
})());
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    say(`\n${signal}: stopping everything the soak started…`);
    void cleanUp().then(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const setupStart = Date.now();
  const rand = random(opts.seed);
  const loadSec = opts.minutes * 60;
  const everySec = opts.faultEvery ?? Math.min(120, Math.max(20, loadSec / 5));
  const plan = planFaults(loadSec, everySec, opts.faults, rand);
  say(`FireNet soak: ${clock(loadSec)} of load, ${opts.devices} devices × ${opts.rate} events/min, seed ${opts.seed}`);
  say(`faults planned: ${plan.map((p) => `${p.kind}@${clock(p.atSec)}`).join(' ') || 'none'}`);
  say(`logs: ${artifacts}`);

  const dataDir = await mkdtemp(join(tmpdir(), 'firenet-soak-data-'));
  // fsync on: an immediate stop of PostgreSQL is a crash to it, and what it acknowledged must survive it
  const postgres = await startPostgres({ durable: true, logFile: join(artifacts, 'postgres.log'), keep: opts.keep });
  cleanups.push(() => postgres.stop());
  if (!opts.keep) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  else say(`kept: ${postgres.dir} ${dataDir}`);
  const databaseUrl = await createDatabase(postgres.url, 'firenet');

  const [httpPort, mqttPort, wsPort] = [await freePort(), await freePort(), await freePort()];
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const exits: UnexpectedExit[] = [];
  let t0 = 0;
  const elapsedSec = () => (t0 ? (now() - t0) / 1000 : 0);
  let restarting: Promise<void> | null = null;
  const firenet = new SoakFireNet({
    DATABASE_URL: databaseUrl, DATA_DIR: dataDir, FIRENET_DEMO: '1', FIRENET_DEMO_DEVICES: String(opts.demoDevices),
    FIRENET_ADMIN_PASSWORD: ADMIN_PASSWORD, HTTP_PORT: String(httpPort), MQTT_PORT: String(mqttPort), MQTT_WS_PORT: String(wsPort), GB26875_PORT: '0',
    LOG_LEVEL: 'info',
  }, join(artifacts, 'firenet.log'), (how, tail) => {
    exits.push({ atSec: elapsedSec(), how });
    say(`  ✗ ${clock(elapsedSec())} FireNet exited by itself (${how}); last output:\n${tail.split('\n').slice(-8).join('\n')}`);
    restarting ??= restartUntilUp().finally(() => { restarting = null; });
  });
  // after a crash, start again until it runs (the database may be the reason, and be down for a while)
  const restartUntilUp = async () => {
    const deadline = Date.now() + 180_000;
    while (!interrupted && !firenet.running && Date.now() < deadline) {
      try { await firenet.start(); say(`  … ${clock(elapsedSec())} FireNet restarted after its crash`); } catch { await sleep(5000); }
    }
  };
  cleanups.push(() => firenet.closeLog(), () => firenet.stop());
  say('starting PostgreSQL and FireNet (demo province, first start seeds it)…');
  await firenet.start();

  const api = new AdminApi(httpUrl, ADMIN_PASSWORD);
  const viewer = new AlarmViewer(httpUrl, api, (deviceId) => deviceId.startsWith('soak-'));
  cleanups.push(() => viewer.close());
  await Promise.race([viewer.connected(), sleep(30_000).then(() => { throw new Error('the socket.io viewer could not connect within 30 s'); })]);

  const load = new LoadLink({ httpUrl, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, adminPassword: ADMIN_PASSWORD, devices: opts.devices, eventsPerDeviceMin: opts.rate },
    join(artifacts, 'load.log'), (deviceId, eventId, at) => viewer.onSent(deviceId, eventId, at));
  cleanups.push(() => load.kill());
  const devices = await load.ready();
  const setupSec = (Date.now() - setupStart) / 1000;
  say(`${devices.length} devices provisioned and connected; load runs for ${clock(loadSec)}`);
  say('');

  t0 = now();
  const faults: FaultRecord[] = [];
  let currentFault = '';
  const samples: Sample[] = [];
  const log = new SampleLog(join(artifacts, 'samples.csv'), join(artifacts, 'samples.jsonl'));
  let sampling = false;
  const takeSample = async () => {
    if (sampling) return;
    sampling = true;
    try {
      const window = spread(viewer.takeWindow().map((s) => s.ms));
      const [metrics, stats, stored] = await Promise.all([scrapeMetrics(httpUrl), load.stats().catch(() => null), countStored(databaseUrl)]);
      const s: Sample = {
        t: elapsedSec(), pid: firenet.pid, rssMb: firenet.rssMb(), ...metrics,
        alarms: window.n, alarmP50Ms: window.p50, alarmP95Ms: window.p95,
        published: stats?.published ?? null, acked: stats?.acked ?? null, pending: stats?.pending ?? null, stored,
        devicesConnected: stats?.connected ?? null, reconnects: stats?.reconnects ?? null,
        faults: faults.length, fault: currentFault,
      };
      samples.push(s);
      log.write(s);
      say(formatSample(s));
      const stuck = stats?.oldest.filter((p) => p.ageMs > 60_000 && !currentFault) ?? [];
      for (const p of stuck) say(`        ⚠ ${p.deviceId} waits ${(p.ageMs / 1000).toFixed(0)} s for the PUBACK of ${p.type} ${p.eventId}`);
      void viewer.sweep();
    } finally {
      sampling = false;
    }
  };
  const sampler = setInterval(() => void takeSample(), SAMPLE_EVERY_MS);
  cleanups.push(() => clearInterval(sampler));

  let aborted: string | null = null;
  const perKind = new Map<string, number>();
  for (const planned of plan) {
    await sleep(Math.max(0, t0 + planned.atSec * 1000 - now()));
    if (interrupted) break;
    if (restarting) await restarting;
    const ofKind = (perKind.get(planned.kind) ?? 0) + 1;
    perKind.set(planned.kind, ofKind);
    currentFault = planned.kind;
    say(`  ! ${clock(elapsedSec())} fault ${faults.length + 1}: ${planned.kind}`);
    const record = await injectFault({ firenet, postgres, load, rand, elapsedSec }, planned.kind, faults.length + 1, ofKind);
    faults.push(record);
    currentFault = '';
    const recovery = record.recoverySec === null ? '' : `, events again after ${record.recoverySec.toFixed(1)} s`;
    say(`  ${record.problem ? '✗' : '✓'} ${clock(elapsedSec())} fault ${record.n} ${record.kind}: ${record.detail}${recovery}${record.problem ? `\n      ${record.problem}` : ''}`);
    if (!firenet.running && !restarting) {
      try { await firenet.start(); } catch (err) { aborted = `FireNet does not start any more: ${(err as Error).message.split('\n')[0]}`; break; }
    }
  }
  if (!aborted) await sleep(Math.max(0, t0 + loadSec * 1000 - now()));
  clearInterval(sampler);
  const loadRan = elapsedSec();
  if (interrupted) return 130;

  say('');
  say(`load stopped at ${clock(loadRan)}; waiting for the last PUBACKs (up to ${SETTLE_MS / 1000} s)…`);
  if (restarting) await restarting;
  if (!firenet.running) aborted ??= 'FireNet is not running at the end of the load and could not be started again';
  const emptyFinal: FinalReport = { published: 0, acked: {}, unacked: [] };
  const final = await load.stop(SETTLE_MS).catch((err: Error) => { aborted ??= err.message; return emptyFinal; });
  await sleep(2000); // FireNet settles: last alarm pushes, batched writes
  await takeSample();
  const bursts = faults.map((f) => f.fuzz).filter((b): b is FuzzResult => b !== undefined);
  const verification: Verification = await verify(databaseUrl, final, bursts);

  const inFault = (at: number) => faults.some((f) => at >= t0 + f.startSec * 1000 && at <= t0 + f.endSec * 1000 + FAULT_SHADOW_MS);
  const outcome = {
    options: opts, loadSec: loadRan, setupSec, samples, faults, exits, fireNetStarts: firenet.starts.length, final, verification,
    latencyAll: viewer.all.map((s) => s.ms), latencyQuiet: viewer.all.filter((s) => !inFault(s.sentAt)).map((s) => s.ms),
    alarmPushes: viewer.pushes, alarmsClosed: viewer.closed,
    memory: memoryTrend(samples.map((s) => ({ t: s.t, pid: s.pid, rssMb: s.rssMb })), opts.rssLimit, SOAK_MIN_JUDGED_SEC, SOAK_RSS_STEP_MB),
    aborted,
  };
  const lines = summaryLines(outcome);
  for (const line of lines) say(line);
  const failures = failuresOf(outcome);
  writeFileSync(join(artifacts, 'summary.txt'), `${lines.join('\n')}\n`);
  writeFileSync(join(artifacts, 'summary.json'), JSON.stringify({
    ...outcome, samples: undefined, latencyAll: spread(outcome.latencyAll), latencyQuiet: spread(outcome.latencyQuiet),
    final: { unacked: final.unacked, acked: Object.values(final.acked).reduce((s, ids) => s + ids.length, 0) }, failures,
  }, null, 2));
  say(`logs and samples: ${artifacts}`);
  return failures.length ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  say(`soak failed to run: ${(err as Error).stack ?? err}`);
  code = 1;
}
if (!interrupted) {
  await cleanUp();
  process.exit(code);
}
