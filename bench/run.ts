// `npm run bench`: FireNet under the storms, each figure beside references measured in the same
// run (a bare aedes in its own process counting in-process, and Debian's mosquitto), since absolute
// numbers on a shared machine are noise. `npm run bench -- idle steady` runs only the scenarios named;
// BENCH_QUICK=1 shrinks every size (each can be set on its own, see the scenario files).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { buildServer } from './servers/firenet.js';
import { table, type Row } from './lib/table.js';
import { alarmStorm } from './alarm-storm.js';
import { clusterBench, clusterTable } from './cluster.js';
import { gb26875 } from './gb26875.js';
import { idle } from './idle.js';
import { reconnectStorm } from './reconnect-storm.js';
import { steadyTelemetry } from './steady.js';

const scenarios: Record<string, () => Promise<Row[]>> = { idle, storm: alarmStorm, reconnect: reconnectStorm, steady: steadyTelemetry, gb: gb26875 };

// `--cluster N`: the cluster's figures (bench/cluster.ts), one node beside N, in a table of their own
const args = process.argv.slice(2);
const clusterAt = args.indexOf('--cluster');
const clusterNodes = clusterAt >= 0 ? Number(args.splice(clusterAt, 2)[1]) : 0;
if (clusterAt >= 0 && !(Number.isInteger(clusterNodes) && clusterNodes >= 2 && clusterNodes <= 8)) throw new Error('--cluster N: N nodes, 2 to 8');
const chosen = args.length || clusterNodes ? args : Object.keys(scenarios);
for (const name of chosen) if (!scenarios[name]) throw new Error(`no scenario ${name}; there are: ${Object.keys(scenarios).join(', ')}`);

/** CPU ticks: the whole machine's busy ones, and this process's with every child it reaped (FireNet, brokers, generators). */
function ticks(): { machine: number; ours: number } {
  const [, ...cpu] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const machine = cpu.reduce((a, b) => a + b, 0) - cpu[3]! - cpu[4]!; // minus idle and iowait
  const self = readFileSync('/proc/self/stat', 'utf8');
  const f = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
  return { machine, ours: f[11]! + f[12]! + f[13]! + f[14]! };
}

const started = Date.now();
// the machine may be shared: what else ran meanwhile is printed with the figures, which it colours
const before = ticks();
await buildServer();
const rows: Row[] = [];
for (const name of chosen) {
  const t = Date.now();
  process.stderr.write(`bench: ${name}...`);
  rows.push(...(await scenarios[name]!()));
  process.stderr.write(` ${Math.round((Date.now() - t) / 1000)} s\n`);
}
let cluster = '';
if (clusterNodes) {
  const t = Date.now();
  process.stderr.write(`bench: cluster of ${clusterNodes}...`);
  cluster = clusterTable(clusterNodes, await clusterBench(clusterNodes));
  process.stderr.write(` ${Math.round((Date.now() - t) / 1000)} s\n`);
}
const after = ticks();
const seconds = (Date.now() - started) / 1000;
const others = (after.machine - before.machine - (after.ours - before.ours)) / 100 / (seconds * cpus().length);
process.stdout.write([
  `FireNet benchmark (${cpus().length} cores, node ${process.version}${process.env.BENCH_QUICK === '1' ? ', BENCH_QUICK' : ''}; ${Math.round(seconds)} s; `
    + `processes outside the bench used ${Math.max(0, others * 100).toFixed(0)} % of the machine meanwhile)`,
  '',
  ...(rows.length ? [table(rows), ''] : []),
  ...(cluster ? [cluster, ''] : []),
].join('\n'));
