// Fault injection: a schedule planned up front from the seed (so a run can be replayed), and the
// three faults, each followed by a check that FireNet takes events again.
import type { SoakFireNet } from './firenet.js';
import type { LoadLink } from './load-link.js';
import type { FaultKind } from './options.js';
import type { PostgresServer, StopMode } from '../helpers/postgres.js';
import type { FuzzResult } from './protocol.js';

export interface PlannedFault { atSec: number; kind: FaultKind }

/** Faults at jittered intervals (0.5x to 1.5x `everySec`), rotating through `kinds`; none in the last stretch. */
export function planFaults(totalSec: number, everySec: number, kinds: readonly FaultKind[], rand: () => number): PlannedFault[] {
  const plan: PlannedFault[] = [];
  if (kinds.length === 0) return plan;
  const quietEnd = Math.min(30, everySec / 2); // the run ends on a healthy FireNet
  for (let t = everySec * (0.5 + rand()); t < totalSec - quietEnd; t += everySec * (0.5 + rand())) {
    plan.push({ atSec: Math.round(t), kind: kinds[plan.length % kinds.length]! });
  }
  return plan;
}

export interface FaultRecord {
  n: number;
  kind: FaultKind;
  startSec: number;
  endSec: number;
  /** From the fault's start until the load generator had an event acknowledged again. */
  recoverySec: number | null;
  detail: string;
  problem: string | null;
  fuzz?: FuzzResult;
}

export interface FaultContext {
  firenet: SoakFireNet;
  postgres: PostgresServer;
  load: LoadLink;
  rand: () => number;
  elapsedSec: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RECOVERY_LIMIT_MS = 90_000;

export async function injectFault(ctx: FaultContext, kind: FaultKind, n: number, ofKind: number): Promise<FaultRecord> {
  const startSec = ctx.elapsedSec();
  // counted once the fault is in place, so that acknowledgements still on their way do not pass for recovery
  let ackedDuring = 0;
  const faultInPlace = async () => { ackedDuring = (await ctx.load.stats().catch(() => null))?.acked ?? 0; };
  const record: FaultRecord = { n, kind, startSec, endSec: startSec, recoverySec: null, detail: '', problem: null };
  try {
    if (kind === 'kill') record.detail = await killFireNet(ctx, faultInPlace);
    if (kind === 'pg') record.detail = await stopPostgres(ctx, ofKind % 2 === 1 ? 'fast' : 'immediate', faultInPlace);
    if (kind === 'fuzz') {
      const result = await ctx.load.fuzz(ofKind);
      record.fuzz = result;
      record.detail = describeFuzz(result);
      record.problem = fuzzProblem(result);
    }
    if (kind !== 'fuzz') {
      const recovered = await eventsFlowAgain(ctx, ackedDuring);
      record.recoverySec = recovered === null ? null : recovered - startSec;
      if (recovered === null) record.problem = `no event acknowledged within ${RECOVERY_LIMIT_MS / 1000} s after the ${kind === 'kill' ? 'restart' : 'database came back'}`;
    }
  } catch (err) {
    record.problem = (err as Error).message.split('\n')[0]!;
  }
  record.endSec = ctx.elapsedSec();
  return record;
}

async function killFireNet(ctx: FaultContext, inPlace: () => Promise<void>): Promise<string> {
  const pid = ctx.firenet.pid;
  await ctx.firenet.kill9();
  await inPlace();
  const down = ctx.elapsedSec();
  await sleep(2000 + ctx.rand() * 3000); // devices find the port closed and start reconnecting
  await ctx.firenet.start();
  return `kill -9 pid ${pid}, restarted after ${(ctx.elapsedSec() - down).toFixed(1)} s`;
}

async function stopPostgres(ctx: FaultContext, mode: StopMode, inPlace: () => Promise<void>): Promise<string> {
  const holdMs = 10_000 + ctx.rand() * 10_000;
  await ctx.postgres.down(mode);
  await inPlace();
  await sleep(holdMs);
  await ctx.postgres.up();
  return `${mode} stop, down ${(holdMs / 1000).toFixed(0)} s`;
}

/** Elapsed seconds when the load generator's acknowledged count moved past `before`, or null. */
async function eventsFlowAgain(ctx: FaultContext, before: number): Promise<number | null> {
  const deadline = Date.now() + RECOVERY_LIMIT_MS;
  while (Date.now() < deadline) {
    const stats = await ctx.load.stats().catch(() => null);
    if (stats && stats.acked > before) return ctx.elapsedSec();
    await sleep(250);
  }
  return null;
}

function describeFuzz(r: FuzzResult): string {
  const acked = r.cases.filter((c) => c.acked).length;
  const good = r.goodAcked ? `good alarm acknowledged in ${r.goodAckMs!.toFixed(0)} ms` : 'good alarm NOT acknowledged';
  return `${r.deviceId}: ${acked}/${r.cases.length - 1} hostile payloads acknowledged, over-cap packet sent, ${good}, ${r.connects} connects`;
}

/** The in-flight part of a burst's verdict; what was stored is checked against the database at the end. */
export function fuzzProblem(r: FuzzResult): string | null {
  if (r.error) return `fuzz burst ${r.burst}: ${r.error}`;
  const unacked = r.cases.filter((c) => c.expect !== 'close' && !c.acked).map((c) => c.name);
  const parts: string[] = [];
  if (unacked.length) parts.push(`no PUBACK for ${unacked.join(', ')}`);
  if (!r.goodAcked) parts.push(`the good smoke.alarm after the burst was not acknowledged: device ${r.deviceId} is blocked`);
  return parts.length ? `fuzz burst ${r.burst}: ${parts.join('; ')}` : null;
}
