// The 日周月 calendar and completion (platform/duties/periods.ts, completion.ts): local days, ISO weeks and months on
// Asia/Shanghai, and done / owed capped per period. Pure, no server.
import { describe, expect, it } from 'vitest';
import { institutionCompletion, sumCompletions } from '../../platform/duties/completion.js';
import { endedPeriods, localMidnight, periodAt, periodsBeginningIn } from '../../platform/duties/periods.js';

const at = (iso: string) => Date.parse(iso);

describe('check periods', () => {
  it('names the local day, ISO week and month a time falls in (UTC+8)', () => {
    // 2026-11-29 16:30 UTC is Monday 2026-11-30 00:30 in Beijing
    const t = at('2026-11-29T16:30:00Z');
    expect(periodAt('daily', t)).toEqual({ rhythm: 'daily', period: '2026-11-30', from: at('2026-11-29T16:00:00Z'), to: at('2026-11-30T16:00:00Z') });
    expect(periodAt('weekly', t)).toEqual({ rhythm: 'weekly', period: '2026-W49', from: at('2026-11-29T16:00:00Z'), to: at('2026-12-06T16:00:00Z') });
    expect(periodAt('monthly', t)).toEqual({ rhythm: 'monthly', period: '2026-11', from: at('2026-10-31T16:00:00Z'), to: at('2026-11-30T16:00:00Z') });
    // an ISO week across the new year belongs to the year of its Thursday
    expect(periodAt('weekly', at('2027-01-01T04:00:00Z')).period).toBe('2026-W53');
    expect(periodAt('weekly', at('2025-12-30T04:00:00Z')).period).toBe('2026-W01');
  });

  it('lists the periods beginning in a span and the last ones ended', () => {
    const from = localMidnight('2026-11-01');
    const to = localMidnight('2026-12-01');
    expect(periodsBeginningIn('daily', from, to)).toHaveLength(30);
    expect(periodsBeginningIn('weekly', from, to).map((p) => p.period)).toEqual(['2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49']);
    expect(periodsBeginningIn('monthly', from, to).map((p) => p.period)).toEqual(['2026-11']);
    const now = at('2026-12-01T01:00:00Z'); // 09:00 on 1 December in Beijing
    expect(endedPeriods('daily', now, 2).map((p) => p.period)).toEqual(['2026-11-29', '2026-11-30']);
    expect(endedPeriods('monthly', now, 1).map((p) => p.period)).toEqual(['2026-11']);
    expect(endedPeriods('weekly', now, 1).map((p) => p.period)).toEqual(['2026-W48']);
  });
});

describe('check completion', () => {
  const plan = { siteId: 's', createdAt: 0, plan: { daily: 1, weekly: 1, monthly: 1 } };
  const from = localMidnight('2026-11-02'); // a Monday
  const to = localMidnight('2026-11-09');
  const now = at('2026-11-20T00:00:00Z');

  it('counts done against owed, at most what was owed per period', () => {
    const done = [
      { siteId: 's', rhythm: 'daily' as const, period: '2026-11-02', checks: 3, fixedOnSpot: 1, hazardsOpened: 0 },
      { siteId: 's', rhythm: 'daily' as const, period: '2026-11-03', checks: 1, fixedOnSpot: 0, hazardsOpened: 2 },
      { siteId: 's', rhythm: 'weekly' as const, period: '2026-W45', checks: 1, fixedOnSpot: 0, hazardsOpened: 0 },
    ];
    const c = institutionCompletion(plan, done, from, to, now);
    expect(c.byRhythm.daily).toEqual({ expected: 7, done: 2, rate: 2 / 7 });
    expect(c.byRhythm.weekly).toEqual({ expected: 1, done: 1, rate: 1 });
    // the month began before the span: not owed in it
    expect(c.byRhythm.monthly).toEqual({ expected: 0, done: 0, rate: null });
    expect([c.expected, c.done, c.fixedOnSpot, c.hazardsOpened]).toEqual([8, 3, 1, 2]);
    expect(sumCompletions([c, c])).toMatchObject({ expected: 16, done: 6, rate: 6 / 16 });
  });

  it('owes nothing for periods ended before the institution was registered, nor for those not begun', () => {
    const late = { ...plan, createdAt: localMidnight('2026-11-06') + 3_600_000 };
    expect(institutionCompletion(late, [], from, to, now).byRhythm.daily.expected).toBe(3);
    expect(institutionCompletion(plan, [], from, to, localMidnight('2026-11-03') + 1).byRhythm.daily.expected).toBe(2);
    expect(institutionCompletion({ ...plan, plan: { daily: 2, weekly: 0, monthly: 0 } }, [], from, to, now)).toMatchObject({ expected: 14, done: 0, rate: 0 });
  });

  it('owes nothing in a month for an institution registered after it, not even the week that began on its last day', () => {
    const november = [localMidnight('2026-11-01'), localMidnight('2026-12-01')] as const;
    // Monday 30 November begins 2026-W49, which runs into December; registered at 00:30 on 1 December in Beijing
    const registered = { ...plan, createdAt: at('2026-11-30T16:30:00Z') };
    const later = at('2026-12-01T02:00:00Z');
    expect(institutionCompletion(registered, [], ...november, later)).toMatchObject({ expected: 0, rate: null });
    // registered half an hour earlier, on the last day of November, it owes that day's check and that week's
    const earlier = { ...plan, createdAt: at('2026-11-30T15:30:00Z') };
    expect(institutionCompletion(earlier, [], ...november, later).byRhythm).toMatchObject({ daily: { expected: 1 }, weekly: { expected: 1 }, monthly: { expected: 1 } });
  });
});
