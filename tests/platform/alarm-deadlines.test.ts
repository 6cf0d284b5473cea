// Response deadlines after a storm (alarms/service.ts checkDeadlines): the alarms of a storm pass their deadlines in
// the same second, so they are flagged in one statement and pushed to their institution in one message, and each
// escalation still reaches the safety manager and the county bureau on its own.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Site, type Alarm } from '../../contracts/records.js';
import { AlarmService } from '../../platform/alarms/service.js';
import { Notifier } from '../../platform/notify/notifier.js';
import type { Publisher } from '../../platform/realtime/publisher.js';
import { Directory } from '../../platform/registry/sites.js';
import { openPglite } from '../../platform/store/pglite.js';
import { Store } from '../../platform/store/store.js';

const SITE = Site.parse({ id: 'dl-site', name: '蛟河市人民医院', kind: 'hospital', regionCode: '220281', ackSec: 60, confirmSec: 180, escalateSec: 300 });
const T0 = Date.parse('2026-12-01T02:00:00Z');
const logger = pino({ level: 'silent' });

describe('alarm deadlines after a storm', () => {
  let store: Store;
  let service: AlarmService;
  let now = T0;
  const lists: Alarm[][] = [];
  const singles: Alarm[] = [];
  const escalations: Alarm[] = [];

  beforeAll(async () => {
    store = new Store(await openPglite(undefined));
    await store.migrate();
    await store.upsertSite(SITE, { regionCode: '220281', cityCode: '220200', provinceCode: '220000' });
    const publisher: Publisher = {
      alarm: (a) => void singles.push(a), alarms: (list) => void lists.push([...list]), workorder: () => undefined, ticket: () => undefined,
      workorders: () => undefined, tickets: () => undefined, toRegion: () => undefined,
      toSite: (_site, _region, event, payload) => { if (event === 'alarm.escalated') escalations.push(payload as Alarm); },
    };
    const directory = new Directory(store);
    service = new AlarmService({ store, directory, publisher, notifier: new Notifier(publisher, logger), logger, now: () => now, onFalseAlarm: async () => undefined });
    await store.transaction((tx) => store.alarms.raiseMany(tx, Array.from({ length: 40 }, (_, i) => ({
      ruleId: 'smoke.alarm', subject: `dl-sd-${i}`, deviceId: `dl-sd-${i}`, site: SITE, family: 'smoke_detector' as const, type: 'smoke.alarm',
      location: '住院楼 / 3F', zone: `Z${i % 4}`, data: {}, at: T0 + i,
    }))));
  });
  afterAll(async () => {
    await store?.close();
  });

  it('flags and pushes a storm\'s alarms together at each deadline, and escalates each one', async () => {
    now = T0 + 59_000;
    expect(await service.checkDeadlines()).toEqual([]);
    expect(lists.length + singles.length).toBe(0);

    now = T0 + 61_000; // all 40 past the acknowledge deadline
    const acked = await service.checkDeadlines();
    expect(acked).toHaveLength(40);
    expect(singles).toHaveLength(0);
    expect(lists).toHaveLength(1);
    expect(lists[0]!.map((a) => a.ackOverdueAt)).toEqual(Array(40).fill(new Date(now).toISOString()));
    expect(await service.checkDeadlines()).toEqual([]); // flagged once

    now = T0 + 301_000; // past the confirm deadline and the escalation together
    const escalated = await service.checkDeadlines();
    expect(escalated).toHaveLength(40);
    expect(lists).toHaveLength(2);
    expect(lists[1]!.every((a) => a.confirmOverdueAt !== null && a.escalatedAt !== null && a.ackOverdueAt === lists[0]![0]!.ackOverdueAt)).toBe(true);
    expect(escalations.map((a) => a.id).sort()).toEqual(escalated.map((a) => a.id).sort());
  });
});
