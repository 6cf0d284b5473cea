// The monthly report's calendar in Asia/Shanghai and its CSV, alone (pure). The figures against a real FireNet are in
// tests/platform/overview-report.test.ts.
import { describe, expect, it } from 'vitest';
import { lastDays, localMonth, monthRange } from '../../platform/reports/calendar.js';
import { monthlyReportCsv } from '../../platform/reports/monthly.js';
import { noDutyFigures } from '../../platform/duties/figures.js';

describe('report calendar and CSV (pure)', () => {
  it('bounds a month and the last 30 days in Asia/Shanghai, across a year end', () => {
    expect(monthRange('2024-12')).toEqual({ from: Date.parse('2024-12-01T00:00:00+08:00'), to: Date.parse('2025-01-01T00:00:00+08:00') });
    // 23:30 UTC on 31 Dec is already 1 Jan in China
    const now = Date.parse('2024-12-31T23:30:00Z');
    expect(localMonth(now)).toBe('2025-01');
    const { from, dates } = lastDays(now, 30);
    expect(from).toBe(Date.parse('2024-12-03T00:00:00+08:00'));
    expect([dates[0], dates.at(-1)]).toEqual(['2024-12-03', '2025-01-01']);
  });

  it('quotes what needs quoting and keeps names from running as formulas', () => {
    const row = { code: 'x', name: '=HYPERLINK("evil"),a', level: 'site' as const, checks: 1, hazardsFound: 0, hazardsRectified: 0, openWithPlans: 0, openWithoutPlans: 0, alarms: 0, confirmedAlarms: 0, falseAlarms: 0, falseAlarmRate: null, devices: 0, online: 0, onlineRateNow: null, onlineRate: null, onlineRateFrom: 'now' as const,
      ...noDutyFigures(), dutyChecks: 2, dutyChecksMissed: 1, checksExpected: 4, checksDone: 3, checkCompletionRate: 0.75, drillsOverdue: 2, certificatesExpiring: 1,
      hazardsFoundByChecks: 0, hazardsFoundBySensors: 0, majorHazardsOpen: 0, overdueRectifications: 0, rectificationRate: null };
    const csv = monthlyReportCsv({ region: { code: '220281', name: '蛟河市', level: 'county', parentCode: '220200' }, month: '2024-06', from: '', to: '', rows: [row], total: { ...row, code: '220281', name: '蛟河市', level: 'county' } });
    expect(csv.split('\r\n')[1]).toBe(`x,"'=HYPERLINK(""evil""),a",机构,1,0,0,0,0,0,0,0,—,0,0,—,—,2,1,0,0,0,0,—,4,3,75.0%,0,2,0,1,0`);
  });
});
