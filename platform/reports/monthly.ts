// The monthly report to the bureau (月报): a row per child from its counts, and the CSV export. Pure.
import type { MonthFigures, OnlineSamples } from '../store/stats.js';
import { rate } from './figures.js';
import type { MonthlyReport, MonthlyRow } from './schemas.js';

export const noMonthFigures = (): MonthFigures => ({
  checks: 0, hazardsFound: 0, hazardsRectified: 0, openWithPlans: 0, openWithoutPlans: 0, alarms: 0, falseAlarms: 0, confirmedAlarms: 0,
});

export function monthlyRow(
  who: Pick<MonthlyRow, 'code' | 'name' | 'level'>,
  figures: MonthFigures = noMonthFigures(),
  devices: { devices: number; online: number } = { devices: 0, online: 0 },
  samples: OnlineSamples = { deviceSamples: 0, onlineSamples: 0 },
): MonthlyRow {
  const { confirmedAlarms, ...counts } = figures;
  const sampled = samples.deviceSamples > 0;
  return {
    ...who, ...counts,
    falseAlarmRate: rate(figures.falseAlarms, confirmedAlarms),
    devices: devices.devices, online: devices.online,
    // the month's average from the 15-minute samples; online now for a month from before they were kept
    onlineRate: sampled ? rate(samples.onlineSamples, samples.deviceSamples) : rate(devices.online, devices.devices),
    onlineRateFrom: sampled ? 'samples' : 'now',
  };
}

const levelNames: Record<MonthlyRow['level'], string> = { country: '全国', province: '省', city: '市', county: '县(区)', site: '机构' };

/** Chinese first, English in parentheses: the header a bureau reads in Excel. */
const columns: [string, (r: MonthlyRow) => string | number][] = [
  ['地区代码 (Code)', (r) => r.code],
  ['名称 (Name)', (r) => r.name],
  ['级别 (Level)', (r) => levelNames[r.level]],
  ['检查次数 (Checks)', (r) => r.checks],
  ['发现隐患 (Hazards found)', (r) => r.hazardsFound],
  ['已整改销号 (Hazards rectified)', (r) => r.hazardsRectified],
  ['未销号且五落实 (Open with plans)', (r) => r.openWithPlans],
  ['未销号未落实 (Open without plans)', (r) => r.openWithoutPlans],
  ['报警 (Alarms)', (r) => r.alarms],
  ['误报 (False alarms)', (r) => r.falseAlarms],
  ['误报率 (False alarm rate)', (r) => percent(r.falseAlarmRate)],
  ['设备数 (Devices)', (r) => r.devices],
  ['在线 (Online)', (r) => r.online],
  ['设备在线率 (Online rate)', (r) => percent(r.onlineRate)],
];

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** UTF-8 with a byte-order mark (Excel reads Chinese correctly only with it), CRLF lines, the total last. */
export function monthlyReportCsv(report: MonthlyReport): string {
  const total = { ...report.total, name: `合计 (Total) ${report.total.name}` };
  const lines = [columns.map(([title]) => title), ...[...report.rows, total].map((row) => columns.map(([, value]) => value(row)))];
  return `\uFEFF${lines.map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // a name typed by people must not run as a spreadsheet formula
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
