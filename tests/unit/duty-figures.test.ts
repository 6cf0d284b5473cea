// The duties' figures per child and in all (platform/duties/figures.ts), alone: pure, no database.
import { describe, expect, it } from 'vitest';
import { dutyFigures, type DutyInputs } from '../../platform/duties/figures.js';

const from = Date.parse('2026-11-01T00:00:00+08:00');
const to = Date.parse('2026-12-01T00:00:00+08:00');
const now = Date.parse('2026-11-03T12:00:00+08:00');
const plan = { daily: 1, weekly: 0, monthly: 0 };
const registered = Date.parse('2026-10-01T00:00:00+08:00');

const inputs: DutyInputs = {
  institutions: [
    { siteId: 'a1', group: 'A', createdAt: registered, plan },
    { siteId: 'a2', group: 'A', createdAt: registered, plan },
    { siteId: 'b1', group: 'B', createdAt: registered, plan: { daily: 2, weekly: 0, monthly: 0 } },
  ],
  // a1 did its three days, twice on the 1st (one counts); b1 did one of six
  done: [
    { siteId: 'a1', rhythm: 'daily', period: '2026-11-01', checks: 2, fixedOnSpot: 0, hazardsOpened: 0 },
    { siteId: 'a1', rhythm: 'daily', period: '2026-11-02', checks: 1, fixedOnSpot: 0, hazardsOpened: 0 },
    { siteId: 'a1', rhythm: 'daily', period: '2026-11-03', checks: 1, fixedOnSpot: 0, hazardsOpened: 0 },
    { siteId: 'b1', rhythm: 'daily', period: '2026-11-01', checks: 1, fixedOnSpot: 0, hazardsOpened: 0 },
  ],
  missed: new Map([['A', 2], ['B', 3]]),
  dutyChecks: new Map([['A', { asked: 3, answered: 2, missed: 1 }]]),
  // a1 held an evacuation drill in the spring: on-site and evacuation drills are due again by autumn, the plan drill never held
  latest: [{ siteId: 'a1', kind: 'drill', topic: 'evacuation', lastOn: '2026-06-01' }],
  certificates: [
    { username: 'op-ab', siteIds: ['a1', 'a2', 'b1'], expiresOn: '2026-11-20' },
    { username: 'op-a', siteIds: ['a1'], expiresOn: '2026-11-02' },
    { username: 'op-b', siteIds: ['b1', 'elsewhere'], expiresOn: '2027-06-01' },
  ],
  from, to, now, asOf: '2026-11-03',
};

describe('the duties\' figures (pure)', () => {
  it('sums done / owed per child, capping a period at what it owed, and rates them', () => {
    const figures = dutyFigures(inputs);
    expect(figures.get('A')).toMatchObject({ checksExpected: 6, checksDone: 3, checkCompletionRate: 0.5, missedChecks: 2 });
    expect(figures.get('B')).toMatchObject({ checksExpected: 6, checksDone: 1, checkCompletionRate: 1 / 6, missedChecks: 3 });
  });

  it('counts drill requirements overdue per institution, and 查岗 per child', () => {
    const figures = dutyFigures(inputs);
    // a1: the plan drill (never) only, its evacuation drill of June is within six months and a year; a2 none held: all three
    expect(figures.get('A')).toMatchObject({ drillsOverdue: 1 + 3, dutyChecks: 3, dutyChecksAnswered: 2, dutyChecksMissed: 1 });
    expect(figures.get('B')).toMatchObject({ drillsOverdue: 3, dutyChecks: 0 });
  });

  it('counts an operator\'s certificate once per child it works in, and once in all', () => {
    const figures = dutyFigures(inputs);
    expect(figures.get('A')).toMatchObject({ certificatesExpiring: 1, certificatesExpired: 1 });
    expect(figures.get('B')).toMatchObject({ certificatesExpiring: 1, certificatesExpired: 0 });
    expect(dutyFigures(inputs, 'all').get('all')).toMatchObject({ checksExpected: 12, checksDone: 4, missedChecks: 5, drillsOverdue: 7, certificatesExpiring: 1, certificatesExpired: 1 });
  });
});
