// Migration 11 on a database made before it, on PGlite and on PostgreSQL: the alarms' `source_key` becomes `subject`
// (the name the work orders, tickets and the API use), every alarm keeps its subject, and an open alarm still takes
// the repeats of its rule and subject.
import { afterEach, describe, expect, it } from 'vitest';
import { Site } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { migrate, migrations } from '../../platform/store/migrations.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('subject');

describe.each(adapters)('migration 11 on %s', (_kind, open) => {
  let db: SqlExecutor;
  afterEach(async () => {
    await db?.close();
  });

  it('names the alarms\' source key their subject, keeping each alarm\'s, and an open alarm still counts its repeats', async () => {
    db = await open();
    expect(await migrate(db, 10)).toEqual(migrations.map((m) => m.version).filter((v) => v <= 10));
    const store = new Store(db);
    // the sites table as it was at version 10 (the store's upsertSite writes today's columns)
    await db.query(`insert into sites (id, name, kind, region_code, city_code, province_code) values ('jh', '蛟河市人民医院', 'hospital', '220281', '220200', '220000')`);
    const raisedAt = '2026-10-01T00:00:00Z';
    await db.query(
      `insert into alarms (id, rule_id, source_key, device_id, site_id, region_code, family, type, status, count, location, data, raised_at, last_seen_at)
       values ('al-old', 'panel.fire', 'fp-1#1:17', 'fp-1', 'jh', '220281', 'fire_panel', 'fire.alarm', 'new', 1, '住院楼 3F', '{}', $1, $1)`,
      [raisedAt],
    );

    expect(await migrate(db, 11)).toEqual([11]);
    expect(await store.alarms.get('al-old')).toMatchObject({ id: 'al-old', ruleId: 'panel.fire', subject: 'fp-1#1:17', count: 1 });
    const repeat = await store.transaction((tx) => store.alarms.raise(tx, {
      ruleId: 'panel.fire', subject: 'fp-1#1:17', deviceId: 'fp-1', family: 'fire_panel',
      site: { id: 'jh', name: '蛟河市人民医院', regionCode: '220281', ackSec: 60, confirmSec: 180, escalateSec: 300 },
      type: 'fire.alarm', location: '住院楼 3F', zone: null, data: {}, at: Date.parse(raisedAt) + 60_000,
    }));
    expect(repeat).toMatchObject({ id: 'al-old', subject: 'fp-1#1:17', count: 2 });
  });
});
