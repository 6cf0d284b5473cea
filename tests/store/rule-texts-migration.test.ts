// Migration 10 on a database made before the rules had words in both languages, on PGlite and on PostgreSQL: each
// built-in rule still holding a shipped text gets today's texts (a new version by "system"), field by field, so what
// an admin changed is kept; the tickets those rules raised get their English title and description; a person's
// ticket with the same title is left as written.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../../platform/rules/defaults.js';
import type { Rule } from '../../contracts/rules.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { migrate, migrations } from '../../platform/store/migrations.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('texts');

/** A rule as the first release shipped it: the English description as `description`, no English name, one "中文 / English" notify line, no English hazard title. */
function asFirstShipped(rule: Rule): Rule {
  const { nameEn: _n, descriptionEn, ...rest } = rule;
  return {
    ...rest,
    description: descriptionEn ?? rule.description,
    effects: rule.effects.map((e) => {
      if (e.kind === 'notify') return { kind: 'notify', message: `${e.message} / ${e.messageEn}` };
      if (e.kind === 'hazard') {
        const { titleEn: _t, ...hazard } = e;
        return hazard;
      }
      return e;
    }),
  } as Rule;
}

const SHIPPED = defaultRules();
const byId = (id: string) => SHIPPED.find((r) => r.id === id)!;

describe.each(adapters)('migration 10 on %s', (_kind, open) => {
  let db: SqlExecutor;
  afterEach(async () => {
    await db?.close();
  });

  it('brings the built-in rules\' texts up to date where they are as shipped, keeps an admin\'s words, and words the rules\' tickets in English', async () => {
    db = await open();
    expect(await migrate(db, 9)).toEqual(migrations.map((m) => m.version).filter((v) => v <= 9));
    const store = new Store(db);
    // the sites table as it was at version 9 (the store's upsertSite writes today's columns)
    await db.query(`insert into sites (id, name, kind, region_code, city_code, province_code) values ('jh', '蛟河市人民医院', 'hospital', '220281', '220200', '220000')`);

    const at = '2026-10-01T00:00:00Z';
    const insertRule = (rule: Rule, version: number, by: string) =>
      db.query('insert into rules (id, version, definition, changed_by, changed_at) values ($1, $2, $3, $4, $5)', [rule.id, version, JSON.stringify(rule), by, at]);
    for (const rule of SHIPPED) await insertRule(asFirstShipped(rule), 1, 'system');
    // an admin gave the overheating rule a description of their own and a stricter threshold; its name and notify line are as shipped
    const overheat = asFirstShipped(byId('charger.overtemp'));
    const edited = { ...overheat, description: '院内规定：端口温度超过 60 °C 即断电', condition: { ...overheat.condition, forSec: 20 } } as Rule;
    await insertRule(edited, 2, 'admin');
    // an admin renamed the door rule: its name (and so no English name) is theirs
    const door = asFirstShipped(byId('cabinet.door_open_10min'));
    await insertRule({ ...door, name: '危化品柜门长时间未关' }, 2, 'admin');

    const insertTicket = (id: string, source: 'rule' | 'manual', ruleId: string | null, title: string, description: string) =>
      db.query(`insert into tickets (id, rule_id, subject, source, device_id, site_id, region_code, title, description, location, level, grade, state, count, data,
          reported_at, reported_by, last_seen_at, updated_at)
        values ($1, $2, $3, $4, null, 'jh', '220281', $5, $6, '', 'major', 'major', 'reported', 1, '{}', $7, 'system', $7, $7)`,
        [id, ruleId, ruleId ? `${id}-subject` : null, source, title, description, at]);
    await insertTicket('t-rule', 'rule', 'cabinet.leak', '危化品柜泄漏', '危化品柜泄漏');
    await insertTicket('t-person', 'manual', null, '危化品柜泄漏', '危化品柜泄漏');
    await insertTicket('t-own-title', 'rule', 'cabinet.voc_over_limit', '库房 VOC 超标', '危化品柜VOC浓度超限');

    expect(await migrate(db, 10)).toEqual([10]);

    const latest = new Map((await store.rules.current()).map((r) => [r.id, r]));
    // untouched rules: today's shipped definition, as version 2 by "system"
    for (const rule of SHIPPED.filter((r) => !['charger.overtemp', 'cabinet.door_open_10min'].includes(r.id))) {
      const now = latest.get(rule.id)!;
      expect(now.definition, rule.id).toEqual(rule);
      expect([now.version, now.changedBy], rule.id).toEqual([2, 'system']);
    }
    // the admin's description and threshold stay; the name gains its English, the notify line is split, the hazard gains its English title
    const o = latest.get('charger.overtemp')!;
    expect([o.version, o.changedBy]).toEqual([3, 'system']);
    expect(o.definition).toEqual({ ...byId('charger.overtemp'), description: edited.description, descriptionEn: undefined, condition: edited.condition });
    expect('descriptionEn' in o.definition).toBe(false);
    // the renamed rule keeps its name, without an English one that no longer fits it
    const d = latest.get('cabinet.door_open_10min')!;
    expect(d.definition.name).toBe('危化品柜门长时间未关');
    expect('nameEn' in d.definition).toBe(false);
    expect(d.definition.description).toBe(byId('cabinet.door_open_10min').description);
    // older versions are kept as they were
    expect((await store.rules.history('smoke.alarm')).map((v) => [v.version, v.definition.description])).toEqual([
      [2, byId('smoke.alarm').description], [1, byId('smoke.alarm').descriptionEn],
    ]);

    const tickets = new Map((await db.query<{ id: string; title_en: string | null; description_en: string | null }>('select id, title_en, description_en from tickets')).map((t) => [t.id, t]));
    expect(tickets.get('t-rule')).toMatchObject({ title_en: 'Cabinet leak', description_en: 'Cabinet leak' });
    expect(tickets.get('t-person')).toMatchObject({ title_en: null, description_en: null });
    // a rule ticket whose title is not the shipped one keeps it alone (no English that does not fit it)
    expect(tickets.get('t-own-title')).toMatchObject({ title_en: null, description_en: 'Cabinet VOC over the limit' });

    // once only
    expect(await migrate(db, 10)).toEqual([]);
    expect((await store.rules.current()).find((r) => r.id === 'smoke.alarm')!.version).toBe(2);
  });

  it('gives a database with today\'s texts but no English hazard titles only those, and changes nothing else', async () => {
    db = await open();
    await migrate(db, 9);
    const store = new Store(db);
    const withoutTitleEn = (rule: Rule): Rule => ({ ...rule, effects: rule.effects.map((e) => (e.kind === 'hazard' ? { ...e, titleEn: undefined } : e)) }) as Rule;
    for (const rule of SHIPPED) {
      await db.query('insert into rules (id, version, definition, changed_by, changed_at) values ($1, 1, $2, $3, now())', [rule.id, JSON.stringify(withoutTitleEn(rule)), 'system']);
    }
    await migrate(db);
    for (const r of await store.rules.current()) {
      const hasHazard = byId(r.id).effects.some((e) => e.kind === 'hazard');
      expect([r.id, r.version], r.id).toEqual([r.id, hasHazard ? 2 : 1]);
      expect(r.definition, r.id).toEqual(byId(r.id));
    }
  });
});
