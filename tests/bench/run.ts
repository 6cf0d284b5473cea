// `npm run bench`: FireNet's figures as ratios against a reference measured in the same run
// (bare aedes on the same machine), since absolute numbers on a shared machine are noise.
import { bareAedesLatency, fireNetLatency, type Latency } from './alarms.js';
import { bareAedesThroughput, fireNetThroughput } from './telemetry.js';

const ALARMS = Number(process.env.BENCH_ALARMS ?? 300);
const READINGS = Number(process.env.BENCH_READINGS ?? 200_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 100);
const ms = (v: number) => `${v.toFixed(2)} ms`;
const n = (v: number) => Math.round(v).toLocaleString('en-US');

const refLatency = await bareAedesLatency(30, ALARMS);
const latency = await fireNetLatency(30, ALARMS);
const refThroughput = await bareAedesThroughput(DEVICES, READINGS);
const telemetry = await fireNetThroughput(DEVICES, READINGS);

const lines = [
  `FireNet benchmark: ${ALARMS} alarms from 30 devices one at a time; ${n(READINGS)} telemetry readings from ${DEVICES} devices (QoS 0, a separate publisher process); reference: bare aedes in the same run`,
  '',
  '| figure | FireNet | bare aedes | ratio |',
  '|---|---|---|---|',
  ...(['p50', 'p95', 'p99'] as (keyof Latency)[]).map((k) => `| alarm, device -> screen, ${k} | ${ms(latency[k])} | ${ms(refLatency[k])} | ${(latency[k] / refLatency[k]).toFixed(1)}x |`),
  `| telemetry readings/s, MQTT in -> embedded store + InfluxDB archive | ${n(telemetry.perSec)} | ${n(refThroughput)} (to a subscriber) | ${(telemetry.perSec / refThroughput).toFixed(2)}x |`,
  `| embedded store size per million readings (raw + rollups) | ${(telemetry.bytesPerMillion / 1e6).toFixed(0)} MB (raw ${(telemetry.rawBytesPerMillion / 1e6).toFixed(0)} MB) | | |`,
  '',
];
process.stdout.write(lines.join('\n'));
