// The monthly report to the bureau (月报): a row per child from its counts, and the CSV export. Pure.
import type { MonthFigures, OnlineSamples } from '../store/stats.js';
import { rate, rectificationRate } from './figures.js';
import type { MonthlyReport, MonthlyRow } from '../../contracts/reports.js';
import type { DutyFigures } from '../../contracts/duties.js';
import { noDutyFigures } from '../duties/figures.js';

export const noMonthFigures = (): MonthFigures => ({
  checks: 0, dutyChecks: 0, dutyChecksMissed: 0, hazardsFound: 0, hazardsRectified: 0, openWithPlans: 0, openWithoutPlans: 0, alarms: 0, falseAlarms: 0, confirmedAlarms: 0,
  hazardsFoundBySensors: 0, majorHazardsOpen: 0, overdueRectifications: 0,
});

export function monthlyRow(
  who: Pick<MonthlyRow, 'code' | 'name' | 'level'>,
  figures: MonthFigures = noMonthFigures(),
  devices: { devices: number; online: number } = { devices: 0, online: 0 },
  samples: OnlineSamples = { deviceSamples: 0, onlineSamples: 0 },
  duties: DutyFigures = noDutyFigures(),
): MonthlyRow {
  const sampled = samples.deviceSamples > 0;
  const now = rate(devices.online, devices.devices);
  return {
    ...who, ...figures, ...duties,
    falseAlarmRate: rate(figures.falseAlarms, figures.confirmedAlarms),
    devices: devices.devices, online: devices.online,
    onlineRateNow: now,
    // the month's average from the 15-minute samples; online now for a month from before they were kept
    onlineRate: sampled ? rate(samples.onlineSamples, samples.deviceSamples) : now,
    onlineRateFrom: sampled ? 'samples' : 'now',
    hazardsFoundByChecks: figures.hazardsFound - figures.hazardsFoundBySensors,
    rectificationRate: rectificationRate(figures),
  };
}

export const reportLangs = ['zh-CN', 'en'] as const;
export type ReportLang = (typeof reportLangs)[number];

const levelNames: Record<ReportLang, Record<MonthlyRow['level'], string>> = {
  'zh-CN': { country: '全国', province: '省', city: '市', county: '县(区)', site: '机构' },
  en: { country: 'Country', province: 'Province', city: 'City', county: 'County', site: 'Institution' },
};

type Column = [Record<ReportLang, string>, (r: MonthlyRow, lang: ReportLang) => string | number];

/** One language per file: the header a bureau reads in Excel, in the language asked for. */
const columns: Column[] = [
  [{ 'zh-CN': '地区代码', en: 'Code' }, (r) => r.code],
  [{ 'zh-CN': '名称', en: 'Name' }, (r) => r.name],
  [{ 'zh-CN': '级别', en: 'Level' }, (r, lang) => levelNames[lang][r.level]],
  [{ 'zh-CN': '检查次数', en: 'Checks' }, (r) => r.checks],
  [{ 'zh-CN': '发现隐患', en: 'Hazards found' }, (r) => r.hazardsFound],
  [{ 'zh-CN': '已整改销号', en: 'Hazards rectified' }, (r) => r.hazardsRectified],
  [{ 'zh-CN': '未销号且五落实', en: 'Open with plans' }, (r) => r.openWithPlans],
  [{ 'zh-CN': '未销号未落实', en: 'Open without plans' }, (r) => r.openWithoutPlans],
  [{ 'zh-CN': '报警', en: 'Alarms' }, (r) => r.alarms],
  [{ 'zh-CN': '已确认报警', en: 'Alarms confirmed' }, (r) => r.confirmedAlarms],
  [{ 'zh-CN': '误报', en: 'False alarms' }, (r) => r.falseAlarms],
  [{ 'zh-CN': '误报率（误报/已确认报警）', en: 'False alarm rate (false / confirmed alarms)' }, (r) => percent(r.falseAlarmRate)],
  [{ 'zh-CN': '设备数', en: 'Devices' }, (r) => r.devices],
  [{ 'zh-CN': '当前在线', en: 'Online now' }, (r) => r.online],
  [{ 'zh-CN': '当前在线率', en: 'Online rate now' }, (r) => percent(r.onlineRateNow)],
  [{ 'zh-CN': '本月平均在线率', en: 'Online rate (month average)' }, (r) => percent(r.onlineRate)],
  // added with the control room's duty (issue 15): after the columns a bureau's sheets already expect
  [{ 'zh-CN': '查岗次数', en: 'Duty checks' }, (r) => r.dutyChecks],
  [{ 'zh-CN': '查岗未应答', en: 'Duty checks missed' }, (r) => r.dutyChecksMissed],
  // added with the report submitted upward (issue 16)
  [{ 'zh-CN': '检查发现隐患', en: 'Hazards found by checks' }, (r) => r.hazardsFoundByChecks],
  [{ 'zh-CN': '传感器发现隐患', en: 'Hazards found by sensors' }, (r) => r.hazardsFoundBySensors],
  [{ 'zh-CN': '未销号重大事故隐患', en: 'Major hazards open' }, (r) => r.majorHazardsOpen],
  [{ 'zh-CN': '逾期未整改', en: 'Overdue rectifications' }, (r) => r.overdueRectifications],
  [{ 'zh-CN': '整改率', en: 'Rectification rate' }, (r) => percent(r.rectificationRate)],
  // the rest of the institutions' own duties (issue 15), after the columns above
  [{ 'zh-CN': '应检次数', en: 'Checks owed' }, (r) => r.checksExpected],
  [{ 'zh-CN': '已检次数', en: 'Checks done' }, (r) => r.checksDone],
  [{ 'zh-CN': '检查完成率', en: 'Check completion rate' }, (r) => percent(r.checkCompletionRate)],
  [{ 'zh-CN': '漏检', en: 'Missed checks' }, (r) => r.missedChecks],
  [{ 'zh-CN': '演练逾期', en: 'Drills overdue' }, (r) => r.drillsOverdue],
  [{ 'zh-CN': '查岗已应答', en: 'Duty checks answered' }, (r) => r.dutyChecksAnswered],
  [{ 'zh-CN': '证书30天内到期', en: 'Certificates expiring (30 days)' }, (r) => r.certificatesExpiring],
  [{ 'zh-CN': '证书已过期', en: 'Certificates expired' }, (r) => r.certificatesExpired],
];

const totalLabel: Record<ReportLang, string> = { 'zh-CN': '合计', en: 'Total' };

/** A share as a percentage with one decimal; "—" when there was nothing to divide by. */
export function percent(fraction: number | null): string {
  return fraction === null ? '—' : `${(fraction * 100).toFixed(1)}%`;
}

/** The report's rows and its total last. */
export function monthlyReportCsv(report: MonthlyReport, lang: ReportLang = 'zh-CN'): string {
  return monthlyRowsCsv(report.rows, { ...report.total, name: `${totalLabel[lang]} ${report.total.name}` }, lang);
}

/** The report's columns for rows (an institution's own report: one row, no total). */
export function monthlyRowsCsv(rows: readonly MonthlyRow[], total: MonthlyRow | null, lang: ReportLang): string {
  return csvFile([columns.map(([title]) => title[lang]), ...[...rows, ...(total ? [total] : [])].map((row) => columns.map(([, value]) => value(row, lang)))]);
}

/** UTF-8 with a byte-order mark (Excel reads Chinese correctly only with it), CRLF lines. */
export function csvFile(lines: readonly (readonly (string | number)[])[]): string {
  return `\uFEFF${lines.map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // a name typed by people must not run as a spreadsheet formula
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
