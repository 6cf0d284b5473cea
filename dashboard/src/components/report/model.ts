// GET /api/reports/monthly as the report view relies on it.
import type { MonthlyReport, MonthlyRow } from '../../../../contracts/reports';

export type { MonthlyReport, MonthlyRow };

/** YYYY-MM of the current month in the browser's time (the server defaults to Asia/Shanghai's). */
export function currentMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}
