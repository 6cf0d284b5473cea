// The summary at the end of a soak, and the list of what failed it. Pure: data in, lines out.
import type { FaultRecord } from './faults.js';
import type { SoakOptions } from './options.js';
import type { FinalReport } from './protocol.js';
import { clock, type Sample } from './sampler.js';
import { spread, type MemoryTrend, type Spread } from './stats.js';
import type { Verification } from './verify.js';

export interface UnexpectedExit { atSec: number; how: string }

export interface SoakOutcome {
  options: SoakOptions;
  loadSec: number;
  setupSec: number;
  samples: Sample[];
  faults: FaultRecord[];
  exits: UnexpectedExit[];
  fireNetStarts: number;
  final: FinalReport;
  verification: Verification;
  latencyAll: number[];
  latencyQuiet: number[];
  alarmPushes: number;
  alarmsClosed: number;
  memory: MemoryTrend;
  /** Why the run stopped early, if it did. */
  aborted: string | null;
}

const n = (v: number) => v.toLocaleString('en-US');
const ms = (v: number | null) => (v === null ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const latency = (s: Spread) => (s.n === 0 ? 'no samples' : `n=${s.n}  p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);

export function failuresOf(o: SoakOutcome): string[] {
  const f: string[] = [];
  if (o.aborted) f.push(`the run stopped early: ${o.aborted}`);
  for (const l of o.verification.lost.slice(0, 20)) f.push(`LOST: event ${l.eventId} of ${l.deviceId} was acknowledged but is not in device_events (${l.note})`);
  if (o.verification.lost.length > 20) f.push(`LOST: ... and ${o.verification.lost.length - 20} more acknowledged events not stored`);
  const unacked = o.final.unacked;
  for (const u of unacked.slice(0, 10)) f.push(`BLOCKED: ${u.type} ${u.eventId} of ${u.deviceId} still unacknowledged after ${(u.ageMs / 1000).toFixed(0)} s, load stopped and FireNet up`);
  if (unacked.length > 10) f.push(`BLOCKED: ... and ${unacked.length - 10} more unacknowledged events`);
  for (const e of o.exits) f.push(`CRASH: FireNet exited by itself (${e.how}) at ${clock(e.atSec)}; see firenet.log`);
  for (const r of o.faults) if (r.problem) f.push(`FAULT ${r.n} (${r.kind}) at ${clock(r.startSec)}: ${r.problem}`);
  for (const p of o.verification.fuzzProblems) f.push(`FUZZ: ${p}`);
  if (o.memory.verdict === 'growing') {
    f.push(`MEMORY: RSS of FireNet pid ${o.memory.pid} grew ${o.memory.mbPer10Min!.toFixed(1)} MB per 10 min (${o.memory.riseMb!.toFixed(0)} MB) over its last ${clock(o.memory.judgedSec)} (limit ${o.options.rssLimit} MB per 10 min and ${SOAK_RSS_STEP_MB} MB)`);
  }
  return f;
}

export function summaryLines(o: SoakOutcome): string[] {
  const byKind = (k: string) => o.faults.filter((r) => r.kind === k);
  const recovered = (rs: FaultRecord[]) => rs.map((r) => (r.recoverySec === null ? 'never' : `${r.recoverySec.toFixed(1)} s`)).join(' / ');
  const faultText = o.faults.length === 0 ? 'none' : [
    byKind('kill').length ? `kill -9 ×${byKind('kill').length} (events again after ${recovered(byKind('kill'))})` : '',
    byKind('pg').length ? `PostgreSQL stop ×${byKind('pg').length} (${byKind('pg').map((r) => r.detail).join('; ')}; events again after ${recovered(byKind('pg'))})` : '',
    byKind('fuzz').length ? `fuzz ×${byKind('fuzz').length} (${byKind('fuzz').filter((r) => !r.problem).length} clean)` : '',
  ].filter(Boolean).join(', ');
  const rss = o.samples.map((s) => s.rssMb).filter((v): v is number => v !== null);
  const lag = spread(o.samples.map((s) => s.lagP99Ms).filter((v): v is number => v !== null));
  const v = o.verification;
  const acked = v.ackedLoad + v.ackedFuzz;
  const bursts = o.faults.flatMap((r) => (r.fuzz ? [r.fuzz] : []));
  const hostile = bursts.flatMap((b) => b.cases.filter((c) => c.expect !== 'close'));
  const fuzzText = bursts.length === 0 ? 'none' : `${bursts.length}: ${hostile.filter((c) => c.acked).length} / ${hostile.length} hostile payloads acknowledged, ` +
    `${bursts.filter((b) => b.goodAcked).length} / ${bursts.length} good alarms after them acknowledged`;
  const mem = o.memory;
  const memText = mem.pid === null ? 'no samples'
    : `pid ${mem.pid} lived ${clock(mem.lifeSec)} (${mem.samples} samples); ` + (mem.mbPer10Min === null ? 'no slope'
      : `${mem.mbPer10Min >= 0 ? '+' : ''}${mem.mbPer10Min.toFixed(1)} MB/10 min over its last ${clock(mem.judgedSec)} (${mem.riseMb! >= 0 ? '+' : ''}${mem.riseMb!.toFixed(0)} MB)`) +
      `: ${mem.verdict} (fails over ${o.options.rssLimit} MB/10 min and ${SOAK_RSS_STEP_MB} MB, over at least ${clock(SOAK_MIN_JUDGED_SEC)})`;
  const rows: [string, string][] = [
    ['load', `${clock(o.loadSec)} (setup ${clock(o.setupSec)}), seed ${o.options.seed}, ${o.options.devices} devices × ${o.options.rate} events/min, demo fleet ${o.options.demoDevices}`],
    ['faults', faultText],
    ['FireNet processes', `${o.fireNetStarts} started; ${byKind('kill').length} killed by the soak, ${o.exits.length} exited by themselves`],
    ['load events published / acked', `${n(o.final.published)} / ${n(v.ackedLoad)}`],
    ['fuzz bursts', fuzzText],
    ['acked and stored', `${n(acked - v.lost.length)} / ${n(acked)} (${v.lost.length} lost; fuzz devices' included); ${n(v.stored)} soak events in device_events`],
    ['unacked at the end', `${o.final.unacked.length}`],
    ['alarm latency, all', latency(spread(o.latencyAll))],
    ['alarm latency, no fault', latency(spread(o.latencyQuiet))],
    ['alarm pushes / closed', `${n(o.alarmPushes)} / ${n(o.alarmsClosed)}`],
    ['event-loop lag p99', lag.n ? `median of samples ${ms(lag.p50)}, worst ${ms(lag.max)}` : 'no samples'],
    ['RSS', rss.length ? `first ${rss[0]!.toFixed(0)} MB, last ${rss[rss.length - 1]!.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB` : 'no samples'],
    ['RSS trend (longest life)', memText],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const failures = failuresOf(o);
  return [
    '',
    'FireNet soak summary',
    '─'.repeat(width + 60),
    ...rows.map(([k, val]) => `${k.padEnd(width)}  ${val}`),
    '─'.repeat(width + 60),
    ...(failures.length ? [`FAIL (${failures.length})`, ...failures.map((f) => `  ✗ ${f}`)]
      : [`PASS: every acknowledged event is stored, no device blocked, no crash, ${mem.verdict === 'ok' ? 'no memory trend' : 'memory trend not judged (no FireNet process lived long enough)'}`]),
  ];
}

/** The RSS trend is judged only when the fitted half covers this much, and fails only past one RSS step (see memoryTrend). */
export const SOAK_MIN_JUDGED_SEC = 180;
export const SOAK_RSS_STEP_MB = 40;
