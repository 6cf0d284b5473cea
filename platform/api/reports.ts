import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { localDate, localMonth, Month, monthRange } from '../reports/calendar.js';
import { sumCounts } from '../reports/figures.js';
import { monthlyReportCsv, monthlyRow, noMonthFigures, reportLangs } from '../reports/monthly.js';
import { MonthlyReport } from '../../contracts/reports.js';
import type { User } from '../../contracts/records.js';
import { caller, type Services } from './context.js';
import { regionBreakdown, RegionQuery } from './overview.js';
import { InstitutionFilterQuery } from './institution-filter.js';

const Query = z.object({
  region: RegionQuery.optional(),
  ...InstitutionFilterQuery.shape,
  /** Default: the current month (Asia/Shanghai). */
  month: Month.optional(),
});

/** The monthly report of a region as the caller may see it: a row per child and the region's total. */
async function monthlyReport(services: Services, user: User, query: z.infer<typeof Query>): Promise<MonthlyReport> {
  const month = query.month ?? localMonth(Date.now());
  const { from, to } = monthRange(month);
  const { region: requested, month: _month, ...institution } = query;
  const { region, view, group, children, counts } = await regionBreakdown(services, user, requested, institution);
  const [figures, samples, duties] = await Promise.all([
    services.store.stats.month(view, group, from, to),
    services.store.stats.onlineSamples(view, group, localDate(from), localDate(to)),
    services.duties.figures(view, group, from, to),
  ]);
  const devices = (code: string) => counts.get(code) ?? { devices: 0, online: 0 };
  return {
    region, month, from: new Date(from).toISOString(), to: new Date(to).toISOString(),
    rows: children.map((c) => monthlyRow(c, figures.get(c.code), devices(c.code), samples.get(c.code), duties.byChild.get(c.code))),
    // from every child counted, listed or not: the region as a whole
    total: monthlyRow(
      { code: region.code, name: region.name, level: region.level },
      sumCounts(figures.values(), noMonthFigures()),
      sumCounts([...counts.values()].map((c) => ({ devices: c.devices, online: c.online })), { devices: 0, online: 0 }),
      sumCounts(samples.values(), { deviceSamples: 0, onlineSamples: 0 }),
      duties.total,
    ),
  };
}

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/reports/monthly', {
    schema: {
      tags: ['reports'],
      summary: 'Monthly report (月报) per child region (per institution under a county) and in total: checks, hazards found / rectified, '
        + 'open with and without plans, alarms, false-alarm rate, device online rate (the month’s average of 15-minute samples)',
      querystring: Query,
      response: { 200: MonthlyReport },
    },
  }, async (request) => monthlyReport(app.services, caller(request), request.query));


  app.get('/api/reports/monthly.csv', {
    schema: {
      tags: ['reports'],
      summary: 'The monthly report as CSV for Excel (UTF-8 with BOM, total last), in one language: lang=zh-CN (default) or en',
      querystring: Query.extend({ lang: z.enum(reportLangs).default('zh-CN') }),
      produces: ['text/csv'],
      response: { 200: z.string() },
    },
  }, async (request, reply) => {
    const report = await monthlyReport(app.services, caller(request), request.query);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="firenet-report-${report.region.code}-${report.month}.csv"`)
      .header('content-language', request.query.lang)
      .send(monthlyReportCsv(report, request.query.lang));
  });
};
