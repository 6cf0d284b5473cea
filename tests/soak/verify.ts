// The end of a soak: asks PostgreSQL itself (not FireNet's API) whether every acknowledged event
// was stored, and whether each fuzz payload ended where it should have.
import pg from 'pg';
import type { FinalReport, FuzzResult } from './protocol.js';

export interface LostEvent { deviceId: string; eventId: string; note: string }

export interface FuzzCaseOutcome { burst: number; name: string; expect: string; acked: boolean; stored: boolean }

export interface Verification {
  /** Acknowledged events of the load generator's devices, and of the fuzz devices (odd but valid payloads, good alarms). */
  ackedLoad: number;
  ackedFuzz: number;
  stored: number;
  lost: LostEvent[];
  fuzzProblems: string[];
  /** Where each fuzz payload ended, for summary.json. */
  fuzzCases: FuzzCaseOutcome[];
}

export async function verify(databaseUrl: string, final: FinalReport, bursts: readonly FuzzResult[]): Promise<Verification> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const rows = (await db.query<{ device_id: string; event_id: string }>(
      `select device_id, event_id from device_events where device_id like 'soak-%'`)).rows;
    const stored = new Map<string, Set<string>>();
    for (const r of rows) {
      let set = stored.get(r.device_id);
      if (!set) stored.set(r.device_id, (set = new Set()));
      set.add(r.event_id);
    }
    const isStored = (deviceId: string, eventId: string) => stored.get(deviceId)?.has(eventId) ?? false;

    const lost: LostEvent[] = [];
    let ackedLoad = 0;
    let ackedFuzz = 0;
    for (const [deviceId, ids] of Object.entries(final.acked)) {
      for (const eventId of ids) {
        ackedLoad++;
        if (!isStored(deviceId, eventId)) lost.push({ deviceId, eventId, note: 'acknowledged by the load generator' });
      }
    }

    const fuzzProblems: string[] = [];
    const fuzzCases: FuzzCaseOutcome[] = [];
    for (const b of bursts) {
      const problems: string[] = [];
      let expectedBad = 0;
      for (const c of b.cases) {
        const here = c.eventId !== null && isStored(b.deviceId, c.eventId);
        fuzzCases.push({ burst: b.burst, name: c.name, expect: c.expect, acked: c.acked, stored: here });
        if (c.expect === 'store' && c.acked) {
          ackedFuzz++;
          if (!here) lost.push({ deviceId: b.deviceId, eventId: c.eventId ?? c.name, note: `fuzz case ${c.name}, acknowledged` });
        }
        if (c.expect === 'refuse' && here) problems.push(`${c.name} was stored; it should have been refused`);
        if (c.expect === 'refuse' && c.acked) expectedBad++;
        if (c.expect === 'either' && c.acked && !here) expectedBad++;
        if (c.expect === 'close') expectedBad++;
        if (c.expect === 'drop' && c.eventId !== null) {
          const anywhere = await db.query<{ device_id: string }>('select device_id from device_events where event_id = $1', [c.eventId]);
          if (anywhere.rows.length) problems.push(`${c.name}: published under another device's topic, yet stored under ${anywhere.rows.map((r) => r.device_id).join(', ')}`);
        }
      }
      if (b.goodAcked) {
        ackedFuzz++;
        if (!isStored(b.deviceId, b.goodEventId)) lost.push({ deviceId: b.deviceId, eventId: b.goodEventId, note: 'the good alarm after a fuzz burst' });
      }
      // every refused frame is counted on the device ("never a silent drop"); only meaningful once all were answered
      if (b.cases.length && b.cases.every((c) => c.expect === 'close' || c.acked)) {
        const bad = (await db.query<{ bad_messages: number }>('select bad_messages from devices where id = $1', [b.deviceId])).rows[0]?.bad_messages ?? 0;
        if (bad < expectedBad) problems.push(`${expectedBad} payloads were refused but the device counts ${bad} bad messages (a silent drop)`);
      }
      if (problems.length) fuzzProblems.push(`fuzz burst ${b.burst} (${b.deviceId}): ${problems.join('; ')}`);
    }
    return { ackedLoad, ackedFuzz, stored: rows.length, lost, fuzzProblems, fuzzCases };
  } finally {
    await db.end();
  }
}

/** Events of the load generator's devices stored so far, or null while the database is away. */
export async function countStored(databaseUrl: string): Promise<number | null> {
  const db = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000, statement_timeout: 3000 });
  db.on('error', () => undefined);
  try {
    await db.connect();
    const r = await db.query<{ n: string }>(`select count(*) as n from device_events where device_id like 'soak-sd-%'`);
    return Number(r.rows[0]!.n);
  } catch {
    return null;
  } finally {
    await db.end().catch(() => undefined);
  }
}
