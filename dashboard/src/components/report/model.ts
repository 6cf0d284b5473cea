// GET /api/reports/monthly as the report view relies on it.
import type { RegionRef } from '../overview/model';

export interface MonthlyRow {
  code: string;
  name: string;
  level: 'country' | 'province' | 'city' | 'county' | 'site';
  checks: number;
  hazardsFound: number;
  hazardsRectified: number;
  openWithPlans: number;
  openWithoutPlans: number;
  alarms: number;
  falseAlarms: number;
  falseAlarmRate: number;
  devices: number;
  online: number;
  onlineRate: number;
}

export interface MonthlyReport {
  region: RegionRef;
  month: string;
  from: string;
  to: string;
  rows: MonthlyRow[];
  total: MonthlyRow;
}

/** YYYY-MM of the current month in the browser's time (the server defaults to Asia/Shanghai's). */
export function currentMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}
