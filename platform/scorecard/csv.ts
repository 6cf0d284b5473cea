// A year's scores as CSV for the annual appraisal (年度考核): one row per institution, a column per month and the
// average, in one language per file like the monthly report.
import { csvFile, type ReportLang } from '../reports/monthly.js';
import type { YearOfScores } from './service.js';

const heads: Record<ReportLang, { id: string; name: string; region: string; average: string; month: (m: string) => string }> = {
  'zh-CN': { id: '机构编号', name: '机构名称', region: '县(区)代码', average: '年度平均分', month: (m) => `${Number(m.slice(5))}月` },
  en: { id: 'Institution', name: 'Name', region: 'County code', average: 'Year average', month: (m) => m },
};

export function yearScoresCsv(year: YearOfScores, lang: ReportLang): string {
  const h = heads[lang];
  return csvFile([
    [h.id, h.name, h.region, ...year.months.map(h.month), h.average],
    ...year.institutions.map((i) => [i.siteId, i.siteName, i.regionCode, ...i.scores.map((s) => (s === null ? '—' : s)), i.average === null ? '—' : i.average.toFixed(1)]),
  ]);
}
