// One sample every ~10 s: FireNet's memory and event-loop lag, the window's alarm latency, the
// load generator's counts and the events table's. Printed as a line and kept as CSV and JSON lines.
import { appendFileSync, writeFileSync } from 'node:fs';

export interface Sample {
  /** Seconds since the load started. */
  t: number;
  pid: number | null;
  rssMb: number | null;
  heapUsedMb: number | null;
  /** Event-loop lag from FireNet's /metrics (prom-client: now, and p99 / max since the last scrape). */
  lagMs: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
  mqttConnections: number | null;
  alarms: number;
  alarmP50Ms: number | null;
  alarmP95Ms: number | null;
  published: number | null;
  acked: number | null;
  pending: number | null;
  stored: number | null;
  /** Load devices with a CONNACK now, and their reconnections so far. */
  devicesConnected: number | null;
  reconnects: number | null;
  faults: number;
  /** The fault in progress when the sample was taken, if any. */
  fault: string;
}

const columns: (keyof Sample)[] = ['t', 'pid', 'rssMb', 'heapUsedMb', 'lagMs', 'lagP99Ms', 'lagMaxMs', 'mqttConnections', 'alarms', 'alarmP50Ms', 'alarmP95Ms', 'published', 'acked', 'pending', 'stored', 'devicesConnected', 'reconnects', 'faults', 'fault'];

export interface Scraped { heapUsedMb: number | null; lagMs: number | null; lagP99Ms: number | null; lagMaxMs: number | null; mqttConnections: number | null }

/** Reads the few series the soak follows from FireNet's Prometheus text; all null when it does not answer. */
export async function scrapeMetrics(httpUrl: string): Promise<Scraped> {
  const none: Scraped = { heapUsedMb: null, lagMs: null, lagP99Ms: null, lagMaxMs: null, mqttConnections: null };
  try {
    const res = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return none;
    const values = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (\S+)$/.exec(line);
      if (m && !values.has(m[1]!)) values.set(m[1]!, Number(m[2]));
    }
    const ms = (name: string) => (values.has(name) ? values.get(name)! * 1000 : null);
    return {
      heapUsedMb: values.has('firenet_nodejs_heap_size_used_bytes') ? values.get('firenet_nodejs_heap_size_used_bytes')! / 2 ** 20 : null,
      lagMs: ms('firenet_nodejs_eventloop_lag_seconds'),
      lagP99Ms: ms('firenet_nodejs_eventloop_lag_p99_seconds'),
      lagMaxMs: ms('firenet_nodejs_eventloop_lag_max_seconds'),
      mqttConnections: values.get('firenet_mqtt_connections') ?? null,
    };
  } catch {
    return none;
  }
}

const num = (v: number | null, digits = 0, unit = '') => (v === null || !Number.isFinite(v) ? '—' : `${v.toFixed(digits)}${unit}`);
export const clock = (sec: number) => `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

export function formatSample(s: Sample): string {
  return [
    `${clock(s.t).padStart(6)}`,
    `rss ${num(s.rssMb, 0, ' MB').padStart(7)}`,
    `heap ${num(s.heapUsedMb, 0, ' MB').padStart(7)}`,
    `lag p99 ${num(s.lagP99Ms, 1, ' ms').padStart(8)}`,
    `alarms ${String(s.alarms).padStart(3)} p50 ${num(s.alarmP50Ms, 1, ' ms').padStart(8)} p95 ${num(s.alarmP95Ms, 1, ' ms').padStart(8)}`,
    `acked ${num(s.acked).padStart(6)} stored ${num(s.stored).padStart(6)} pending ${num(s.pending).padStart(4)}`,
    `faults ${s.faults}${s.fault ? ` (${s.fault}…)` : ''}`,
  ].join('  ');
}

export class SampleLog {
  constructor(private readonly csvPath: string, private readonly jsonPath: string) {
    writeFileSync(csvPath, `${columns.join(',')}\n`);
    writeFileSync(jsonPath, '');
  }

  write(s: Sample): void {
    appendFileSync(this.csvPath, `${columns.map((c) => (s[c] === null ? '' : typeof s[c] === 'number' ? Number((s[c] as number).toFixed(3)) : s[c])).join(',')}\n`);
    appendFileSync(this.jsonPath, `${JSON.stringify(s)}\n`);
  }
}
