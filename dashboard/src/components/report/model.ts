// GET /api/reports/monthly as the report view relies on it.
import type { MonthlyReport, MonthlyRow } from '../../../../contracts/reports';

import type { MonthlySubmission, SubmissionBoard, SubmissionStatusRow } from '../../../../contracts/submissions';

export type { MonthlyReport, MonthlyRow, MonthlySubmission, SubmissionBoard, SubmissionStatusRow };

/** A submitted report as the report sheet shows it (an institution's: its one row; a summary's: its reports and total). */
export function frozenReport(s: MonthlySubmission): MonthlyReport {
  const [y, m] = s.month.split('-').map(Number) as [number, number];
  const at = (month: number) => new Date(Date.UTC(y, month - 1, 1) - 8 * 3_600_000).toISOString();
  const level = s.level === 'site' ? 'county' : s.level;
  return {
    region: { code: s.subject, name: s.name, level, parentCode: s.reviewerCode },
    month: s.month, from: at(m), to: at(m + 1),
    rows: s.level === 'site' ? [s.figures] : s.rows,
    total: s.figures,
  };
}
