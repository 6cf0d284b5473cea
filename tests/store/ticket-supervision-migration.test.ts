// The migration of the major hazard's loop on a database made before it, on PGlite and on PostgreSQL: a bureau's
// former 挂牌督办 (its 'escalated' step in the trail) becomes a record of its own, by that bureau's region; an overdue
// ticket's escalation does not; every ticket gets the deadline of the state it is in.
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { migrate, migrations } from '../../platform/store/migrations.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const BEFORE = 19;
const mine = migrations.find((m) => m.sql.includes('create table ticket_supervisions'))!.version;
const adapters = bothAdapters('ticket_supervision');

describe.each(adapters)('the 挂牌督办 migration on %s', (_kind, open) => {
  let db: SqlExecutor;
  afterEach(async () => {
    await db?.close();
  });

  it('turns a bureau\'s supervised flag into a record, leaves an overdue escalation alone, and gives each state its deadline', async () => {
    db = await open();
    await migrate(db, BEFORE);
    await db.query(`insert into sites (id, name, kind, region_code, city_code, province_code) values ('jh', '蛟河市人民医院', 'general_hospital', '220281', '220200', '220000')`);
    await db.query(`insert into users (id, username, password_hash, role, region_code) values ('u-city', 'jilin-city', 'x', 'bureau', '220200')`);
    const ticket = (id: string, state: string, grade: string, reportedAt: string, deadline: string | null, escalatedAt: string | null) => db.query(
      `insert into tickets (id, source, site_id, region_code, title, level, grade, state, count, data, reported_at, reported_by, last_seen_at, updated_at,
         owner, funds, measures, deadline, contingency_plan, escalated_at)
       values ($1, 'manual', 'jh', '220281', $1, 'major', $2, $3, 1, '{}', $4, 'safety', $4, $4,
         case when $5::timestamptz is null then null else 'o' end, 'f', 'm', $5, 'c', $6)`,
      [id, grade, state, reportedAt, deadline, escalatedAt]);
    await ticket('t-supervised', 'rectifying', 'major', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', '2026-03-02T00:00:00Z');
    await ticket('t-overdue', 'registered', 'general', '2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z', '2026-03-05T00:01:00Z');
    await ticket('t-reported', 'reported', 'major', '2026-03-10T00:00:00Z', null, null);
    const step = (id: string, action: string, actor: string, at: string, to: string | null, note: string | null) =>
      db.query('insert into ticket_events (ticket_id, at, actor, action, to_state, note) values ($1, $2, $3, $4, $5, $6)', [id, at, actor, action, to, note]);
    await step('t-supervised', 'transition', 'safety', '2026-03-01T12:00:00Z', 'rectifying', null);
    await step('t-supervised', 'escalated', 'jilin-city', '2026-03-02T00:00:00Z', null, '市卫健委挂牌督办');
    await step('t-overdue', 'overdue', 'system', '2026-03-05T00:01:00Z', null, 'past the rectification deadline: escalated');

    expect(await migrate(db)).toContain(mine);
    const store = new Store(db);
    const supervised = await store.tickets.get('t-supervised');
    expect(supervised?.supervision).toMatchObject({
      regionCode: '220200', putUpBy: 'jilin-city', putUpAt: '2026-03-02T00:00:00.000Z', deadline: '2026-04-01T00:00:00.000Z', note: '市卫健委挂牌督办', liftedAt: null,
    });
    expect(supervised).toMatchObject({ stateSince: '2026-03-01T12:00:00.000Z', stateDeadline: '2026-04-01T00:00:00.000Z', reportedUpwardAt: '2026-03-01T00:00:00.000Z' });
    expect((await store.tickets.get('t-overdue'))).toMatchObject({ supervision: null, escalatedAt: '2026-03-05T00:01:00.000Z', stateDeadline: '2026-03-05T00:00:00.000Z', overdue: true });
    expect((await store.tickets.get('t-reported'))).toMatchObject({ stateSince: '2026-03-10T00:00:00.000Z', stateDeadline: '2026-03-11T00:00:00.000Z' });
    expect((await store.tickets.list([{}], { supervised: true, limit: 10 })).map((t) => t.id)).toEqual(['t-supervised']);
  });
});
