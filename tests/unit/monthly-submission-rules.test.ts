// The monthly report submitted upward (每月报送), its rules alone (pure): due days per level, where a report stands,
// which steps its state allows, and a region's summary of the reports below it.
import { noDutyFigures } from '../../platform/duties/figures.js';
import { describe, expect, it } from 'vitest';
import type { MonthlyRow } from '../../contracts/reports.js';
import { monthlyRow } from '../../platform/reports/monthly.js';
import {
  decideReview, decideSubmit, dueDate, monthsPastDue, pastDue, shiftMonth, submissionStatus, summarise,
} from '../../platform/reports/submission-rules.js';

const RULE = { dueDay: 21, summaryDays: 2 };
const at = (iso: string) => Date.parse(iso);

describe('due days', () => {
  it('gives institutions the 21st of the next month and each level above two more days, across a year end', () => {
    expect(dueDate('2024-12', 'site', RULE)).toBe('2025-01-21');
    expect(dueDate('2024-12', 'county', RULE)).toBe('2025-01-23');
    expect(dueDate('2024-12', 'city', RULE)).toBe('2025-01-25');
    expect(dueDate('2024-12', 'province', RULE)).toBe('2025-01-27');
    // configurable, and never past the 28th (every month has one)
    expect(dueDate('2025-01', 'site', { dueDay: 10, summaryDays: 0 })).toBe('2025-02-10');
    expect(dueDate('2025-01', 'province', { dueDay: 25, summaryDays: 3 })).toBe('2025-02-28');
    expect(shiftMonth('2025-01', -2)).toBe('2024-11');
  });

  it('is past due once the due day has ended in China, not in UTC', () => {
    // 21 Jan 23:59 in Beijing: still on time; 22 Jan 00:00 in Beijing (21 Jan 16:00 UTC): late
    expect(pastDue(at('2025-01-21T23:59:00+08:00'), '2024-12', 'site', RULE)).toBe(false);
    expect(pastDue(at('2025-01-21T16:00:00Z'), '2024-12', 'site', RULE)).toBe(true);
    expect(pastDue(at('2025-01-22T12:00:00+08:00'), '2024-12', 'county', RULE)).toBe(false);
  });

  it('looks back over the two months before now whose reports are past due', () => {
    expect(monthsPastDue(at('2025-03-10T12:00:00+08:00'), 'site', RULE)).toEqual(['2025-01']);
    expect(monthsPastDue(at('2025-03-22T12:00:00+08:00'), 'site', RULE)).toEqual(['2025-01', '2025-02']);
    expect(monthsPastDue(at('2025-03-22T12:00:00+08:00'), 'county', RULE)).toEqual(['2025-01']);
  });
});

describe('where a report stands and what it allows', () => {
  it('is missing before its due day, late after it or once flagged, else its state', () => {
    expect(submissionStatus(null, false, false)).toBe('missing');
    expect(submissionStatus(null, false, true)).toBe('late');
    expect(submissionStatus(null, true, false)).toBe('late');
    expect(submissionStatus('returned', true, true)).toBe('returned');
    expect(submissionStatus('approved', false, true)).toBe('approved');
  });

  it('is submitted once the month is over, again only once returned; reviewed only while submitted', () => {
    const now = at('2025-02-03T09:00:00+08:00');
    expect(decideSubmit(null, now, '2025-02')).toMatchObject({ ok: false, status: 400, code: 'report.month_not_over' });
    expect(decideSubmit(null, now, '2025-01')).toEqual({ ok: true, resubmission: false });
    expect(decideSubmit('returned', now, '2025-01')).toEqual({ ok: true, resubmission: true });
    expect(decideSubmit('submitted', now, '2025-01')).toMatchObject({ ok: false, status: 409, code: 'report.already_submitted' });
    expect(decideSubmit('approved', now, '2025-01')).toMatchObject({ ok: false, status: 409 });
    expect(decideReview('submitted', 'approve')).toEqual({ ok: true, to: 'approved' });
    expect(decideReview('submitted', 'return')).toEqual({ ok: true, to: 'returned' });
    expect(decideReview('returned', 'approve')).toMatchObject({ ok: false, status: 409, code: 'report.not_submitted' });
    expect(decideReview('approved', 'return')).toMatchObject({ ok: false, status: 409 });
  });
});

describe('a region\'s summary', () => {
  const row = (code: string, f: Partial<MonthlyRow>, devices: { devices: number; online: number }, samples?: { deviceSamples: number; onlineSamples: number }): MonthlyRow => ({
    ...monthlyRow({ code, name: code, level: 'site' }, {
      checks: 0, dutyChecks: 0, dutyChecksMissed: 0, hazardsFound: 0, hazardsRectified: 0, openWithPlans: 0, openWithoutPlans: 0, alarms: 0, falseAlarms: 0, confirmedAlarms: 0,
      hazardsFoundBySensors: 0, majorHazardsOpen: 0, overdueRectifications: 0, ...f,
    } as never, devices, samples, {
      ...noDutyFigures(), dutyChecks: f.dutyChecks ?? 0, dutyChecksMissed: f.dutyChecksMissed ?? 0, checksExpected: f.checksExpected ?? 0, checksDone: f.checksDone ?? 0,
      checkCompletionRate: f.checksExpected ? (f.checksDone ?? 0) / f.checksExpected : null,
    }),
  });

  it('sums every count of the reports and recomputes the rates from the sums, the online rate weighted by devices', () => {
    const a = row('a', { checks: 30, hazardsFound: 4, hazardsFoundBySensors: 1, hazardsRectified: 3, openWithPlans: 1, alarms: 5, confirmedAlarms: 4, falseAlarms: 1, majorHazardsOpen: 1, overdueRectifications: 1, dutyChecks: 2, dutyChecksMissed: 1, checksExpected: 30, checksDone: 30 }, { devices: 100, online: 90 }, { deviceSamples: 1000, onlineSamples: 900 });
    const b = row('b', { checks: 10, hazardsFound: 2, hazardsFoundBySensors: 2, openWithoutPlans: 2, alarms: 1, confirmedAlarms: 1, falseAlarms: 1, checksExpected: 30, checksDone: 15 }, { devices: 300, online: 300 }, { deviceSamples: 10, onlineSamples: 10 });
    const empty = row('c', {}, { devices: 0, online: 0 });
    const total = summarise({ code: '220281', name: '蛟河市', level: 'county' }, [a, b, empty]);
    expect(total).toMatchObject({
      code: '220281', name: '蛟河市', level: 'county', checks: 40, hazardsFound: 6, hazardsFoundBySensors: 3, hazardsFoundByChecks: 3, hazardsRectified: 3,
      openWithPlans: 1, openWithoutPlans: 2, alarms: 6, confirmedAlarms: 5, falseAlarms: 2, majorHazardsOpen: 1, overdueRectifications: 1, dutyChecks: 2, dutyChecksMissed: 1,
      devices: 400, online: 390, onlineRateFrom: 'samples',
    });
    expect(total.falseAlarmRate).toBeCloseTo(2 / 5);
    // the check completion rate from the sums (45 of 60), not the rows' rates added up
    expect(total).toMatchObject({ checksExpected: 60, checksDone: 45 });
    expect(total.checkCompletionRate).toBeCloseTo(0.75);
    expect(total.onlineRateNow).toBeCloseTo(390 / 400);
    // 90 % over 100 devices and 100 % over 300: 97.5 %, not the mean of the rates (95 %)
    expect(total.onlineRate).toBeCloseTo(0.975);
    expect(total.rectificationRate).toBeCloseTo(3 / 6);
  });

  it('of no reports is all zeros with no rates', () => {
    const none = summarise({ code: '220200', name: '吉林市', level: 'city' }, []);
    expect(none).toMatchObject({ checks: 0, hazardsFound: 0, devices: 0, falseAlarmRate: null, onlineRate: null, onlineRateNow: null, rectificationRate: null });
  });
});
