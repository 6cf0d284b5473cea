// Migration 13 on a database from before transmission devices, on PGlite and on PostgreSQL: devices get a unique
// GB/T 26875.3 address, and each built-in rule that watched fire panels watches transmission devices too (a new
// version by "system", whatever an admin changed in it kept); rules of other families are left alone.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../../platform/rules/defaults.js';
import type { Rule } from '../../contracts/rules.js';
import { Site } from '../../contracts/records.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { migrate } from '../../platform/store/migrations.js';
import { Store } from '../../platform/store/store.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('gb');

/** A rule as shipped before transmission devices: without them among its families. */
const before = (rule: Rule): Rule => ({ ...rule, families: rule.families.filter((f) => f !== 'transmission_device') }) as Rule;
const SHIPPED = defaultRules();
const byId = (id: string) => SHIPPED.find((r) => r.id === id)!;
const WATCHING = ['panel.fire_alarm', 'panel.fault', 'panel.isolation_24h', 'panel.main_power_fault', 'panel.backup_power_fault', 'device.offline', 'zone.multi_detector_fire', 'detector.false_alarms'];

describe.each(adapters)('migration 13 on %s', (_kind, open) => {
  let db: SqlExecutor;
  afterEach(async () => {
    await db?.close();
  });

  it('adds transmission devices to the panel and cross-family rules, keeps an admin\'s edits, and gives devices a unique address', async () => {
    db = await open();
    await migrate(db, 12);
    const at = '2026-10-01T00:00:00Z';
    const insertRule = (rule: Rule, version: number, by: string) =>
      db.query('insert into rules (id, version, definition, changed_by, changed_at) values ($1, $2, $3, $4, $5)', [rule.id, version, JSON.stringify(rule), by, at]);
    for (const rule of SHIPPED) await insertRule(before(rule), 1, 'system');
    // an admin made the panel fault rule a "power" work order
    const edited = { ...before(byId('panel.fault')), effects: [{ kind: 'workorder', category: 'power' }] } as Rule;
    await insertRule(edited, 2, 'admin');

    expect(await migrate(db, 13)).toEqual([13]);
    const store = new Store(db);
    const latest = new Map((await store.rules.current()).map((r) => [r.id, r]));
    for (const id of WATCHING.filter((i) => i !== 'panel.fault')) {
      const now = latest.get(id)!;
      expect([now.version, now.changedBy], id).toEqual([2, 'system']);
      expect(now.definition, id).toEqual(byId(id));
    }
    const fault = latest.get('panel.fault')!;
    expect([fault.version, fault.changedBy]).toEqual([3, 'system']);
    expect(fault.definition).toEqual({ ...edited, families: ['fire_panel', 'transmission_device'] });
    // other families' rules: untouched
    for (const rule of SHIPPED.filter((r) => !WATCHING.includes(r.id))) {
      expect(latest.get(rule.id)!.version, rule.id).toBe(1);
      expect(latest.get(rule.id)!.definition.families, rule.id).not.toContain('transmission_device');
    }
    expect(await migrate(db, 13)).toEqual([]);

    // devices as today's store writes them, on today's schema
    await migrate(db);
    await store.upsertSite(Site.parse({ id: 'jh', name: '蛟河市人民医院', regionCode: '220281' }), { regionCode: '220281', cityCode: '220200', provinceCode: '220000' });
    const device = (id: string, gbAddress: string | null) => ({ id, family: 'transmission_device' as const, siteId: 'jh', model: null, building: null, floor: null, zone: null, heartbeatSec: 60, gbAddress });
    expect(await store.createDevice(device('td-1', '000000000379'), 'x')).toBe(true);
    await expect(store.createDevice(device('td-2', '000000000379'), 'x')).rejects.toThrow();
    expect(await store.deviceByGbAddress('000000000379')).toEqual({ id: 'td-1', family: 'transmission_device', siteId: 'jh', disabled: false });
    expect(await store.deviceByGbAddress('000000000380')).toBeNull();
  });
});
