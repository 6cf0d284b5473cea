// The monthly report submitted upward (每月报送): where a month's reports stand below a region, an institution's
// report submitted by its safety manager, a bureau's summary submitted upward, approved or returned by the bureau
// above; each report (frozen as submitted) as JSON and CSV.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Month, localMonth } from '../reports/calendar.js';
import { shiftMonth } from '../reports/submission-rules.js';
import { monthlyRowsCsv, reportLangs } from '../reports/monthly.js';
import { Id, RegionCode } from '../../contracts/records.js';
import { ApproveBody, MonthlySubmission, ReturnBody, SubmissionBoard } from '../../contracts/submissions.js';
import { requireView } from './context.js';
import { RegionQuery } from './overview.js';

const Params = z.object({ id: z.string().min(1).max(64) });

export const submissionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { submissions } = app.services;

  app.get('/api/reports/submissions', {
    schema: {
      tags: ['reports'],
      summary: 'Where the monthly reports stand (每月报送) below a region: its institutions (a county), counties (a city) or cities (a province), each '
        + 'missing, late (not submitted by its due day), submitted, returned or approved, and the region\'s own summary; an institution\'s staff: their institutions. '
        + 'Default month: the previous one (the month being reported)',
      querystring: z.object({ region: RegionQuery.optional(), month: Month.optional() }),
      response: { 200: SubmissionBoard },
    },
  }, async (request) => {
    const user = requireView(request, 'reports');
    return submissions.board(user, request.query.month ?? shiftMonth(localMonth(Date.now()), -1), request.query.region);
  });

  app.post('/api/reports/submissions/institutions', {
    schema: {
      tags: ['reports'],
      summary: 'The institution\'s safety manager submits its report for a month that is over (again, once returned): its figures, generated from the records, are frozen',
      body: z.object({ siteId: Id, month: Month }),
      response: { 200: MonthlySubmission },
    },
  }, async (request) => submissions.submitInstitution(requireView(request, 'reports'), request.body.siteId, request.body.month));

  app.post('/api/reports/submissions/regions', {
    schema: {
      tags: ['reports'],
      summary: 'A bureau submits its region\'s summary for a month upward: the sum of the approved reports of the level below (institutions, counties or cities), frozen',
      body: z.object({ regionCode: RegionCode, month: Month }),
      response: { 200: MonthlySubmission },
    },
  }, async (request) => submissions.submitRegion(requireView(request, 'reports'), request.body.regionCode, request.body.month));

  app.get('/api/reports/submissions/:id', {
    schema: { tags: ['reports'], summary: 'One submitted report with its frozen figures and its trail', params: Params, response: { 200: MonthlySubmission } },
  }, async (request) => submissions.get(requireView(request, 'reports'), request.params.id));

  app.get('/api/reports/submissions/:id/report.csv', {
    schema: {
      tags: ['reports'],
      summary: 'A submitted report as CSV (the monthly report\'s columns): an institution\'s row, or a summary\'s reports and its total; lang=zh-CN (default) or en',
      params: Params,
      querystring: z.object({ lang: z.enum(reportLangs).default('zh-CN') }),
      produces: ['text/csv'],
      response: { 200: z.string() },
    },
  }, async (request, reply) => {
    const report = await submissions.get(requireView(request, 'reports'), request.params.id);
    const { lang } = request.query;
    const csv = report.level === 'site'
      ? monthlyRowsCsv([report.figures], null, lang)
      : monthlyRowsCsv(report.rows, { ...report.figures, name: `${lang === 'en' ? 'Total' : '合计'} ${report.figures.name}` }, lang);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="firenet-report-${report.subject}-${report.month}.csv"`)
      .header('content-language', lang)
      .send(csv);
  });

  app.post('/api/reports/submissions/:id/approve', {
    schema: { tags: ['reports'], summary: 'The bureau the report goes to approves it', params: Params, body: ApproveBody, response: { 200: MonthlySubmission } },
  }, async (request) => submissions.review(requireView(request, 'reports'), request.params.id, 'approve', request.body.note ?? null));

  app.post('/api/reports/submissions/:id/return', {
    schema: { tags: ['reports'], summary: 'The bureau the report goes to returns it with the reason: the institution (or region) submits it again', params: Params, body: ReturnBody, response: { 200: MonthlySubmission } },
  }, async (request) => submissions.review(requireView(request, 'reports'), request.params.id, 'return', request.body.reason));
};
