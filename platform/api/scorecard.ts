// The scorecard (考核评估): each institution's month scored by the rules and ranked within the region, a year of
// scores as CSV for the annual appraisal, and the rules (admins change them; each change a new version).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Month, localMonth } from '../reports/calendar.js';
import { reportLangs } from '../reports/monthly.js';
import { yearScoresCsv } from '../scorecard/csv.js';
import { Scorecard, ScorecardRule, ScorecardRuleBody, ScorecardRuleCode } from '../../contracts/scorecard.js';
import { caller, requireView } from './context.js';
import { RegionQuery } from './overview.js';

const Year = z.string().regex(/^\d{4}$/, 'a year as YYYY');

export const scorecardRoutes: FastifyPluginAsyncZod = async (app) => {
  const { scorecard } = app.services;

  app.get('/api/scorecard', {
    schema: {
      tags: ['scorecard'],
      summary: 'Each institution of a region (a bureau\'s own by default) scored for a month by the rules, best first, with every point lost or gained and what it measured',
      querystring: z.object({ region: RegionQuery.optional(), month: Month.optional() }),
      response: { 200: Scorecard },
    },
  }, async (request) => scorecard.month(requireView(request, 'reports'), request.query.month ?? localMonth(Date.now()), request.query.region));

  app.get('/api/scorecard.csv', {
    schema: {
      tags: ['scorecard'],
      summary: 'A year\'s scores per institution (a column per month up to now, and the average) as CSV for the annual appraisal; lang=zh-CN (default) or en',
      querystring: z.object({ region: RegionQuery.optional(), year: Year.optional(), lang: z.enum(reportLangs).default('zh-CN') }),
      produces: ['text/csv'],
      response: { 200: z.string() },
    },
  }, async (request, reply) => {
    const year = await scorecard.year(requireView(request, 'reports'), request.query.year ?? localMonth(Date.now()).slice(0, 4), request.query.region);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="firenet-scorecard-${year.region.code}-${year.year}.csv"`)
      .header('content-language', request.query.lang)
      .send(yearScoresCsv(year, request.query.lang));
  });

  app.get('/api/scorecard/rules', {
    schema: { tags: ['scorecard'], summary: 'The scorecard\'s rules, in order, each at its current version', response: { 200: z.array(ScorecardRule) } },
  }, async (request) => {
    caller(request);
    return scorecard.rules();
  });

  app.put('/api/scorecard/rules/:code', {
    schema: {
      tags: ['scorecard'],
      summary: 'Change a rule (its next version; every version is kept) or add one (admins): the metric, points per unit, threshold, step, cap, active',
      params: z.object({ code: ScorecardRuleCode }),
      body: ScorecardRuleBody,
      response: { 200: ScorecardRule },
    },
  }, async (request) => scorecard.putRule(caller(request), request.params.code, request.body));
};
