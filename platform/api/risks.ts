// The risk register (一院一清单): an institution's safety manager registers, reassesses and retires its risk points;
// everyone in scope reads them (a bureau its region), and the overview map colours institutions by their worst one.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NewRiskPoint, RiskCategory, RiskLevel, RiskPoint, RiskPointChange, RiskSummary } from '../../contracts/risks.js';
import { riskAssessors } from '../auth/permissions.js';
import { localDate } from '../reports/calendar.js';
import { assessRisk } from '../risks/assessment.js';
import { Id, RegionCode } from '../../contracts/records.js';
import { auditBefore } from './audit.js';
import { InstitutionFilterQuery, splitInstitutionFilter, withInstitutionFilter } from './institution-filter.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const riskRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;
  const today = () => localDate(Date.now());

  /** The point if the caller may see it; 404 otherwise (another county's point is not there for them). */
  const visiblePoint = async (id: string, scope: ReturnType<typeof scopes>) => {
    const point = await store.risks.get(id, scope, today());
    if (!point) throw new HttpError(404, `id: no risk point ${id}`);
    return point;
  };

  app.get('/api/risks', {
    schema: {
      tags: ['risks'],
      summary: 'Risk points (一院一清单) visible to the caller, worst level first, then the oldest review date; retired ones only with retired=true',
      querystring: z.object({
        region: RegionCode.optional(), siteId: Id.optional(), level: RiskLevel.optional(), category: RiskCategory.optional(),
        reviewOverdue: Flag.optional(), retired: Flag.optional(), ...InstitutionFilterQuery.shape, ...paging(200, 1000),
      }),
      response: { 200: z.array(RiskPoint) },
    },
  }, async (request, reply) => {
    const { rest: { region, limit, offset, ...filter }, institution } = splitInstitutionFilter(request.query);
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [items, total] = await Promise.all([store.risks.list(visible, { ...filter, limit, offset }, today()), store.risks.count(visible, filter, today())]);
    return page(reply, items, total);
  });

  app.get('/api/risks/summary', {
    schema: {
      tags: ['risks'],
      summary: 'Per institution visible to the caller: active risk points by level, the worst (null: none registered) and how many are past their review date',
      querystring: z.object({ region: RegionCode.optional(), ...InstitutionFilterQuery.shape }),
      response: { 200: z.array(RiskSummary) },
    },
  }, async (request) => {
    const { rest: { region }, institution } = splitInstitutionFilter(request.query);
    return store.risks.summary(withInstitutionFilter(scopes(caller(request), region), institution), today());
  });

  app.get('/api/risks/:id', {
    schema: { tags: ['risks'], summary: 'One risk point', params: z.object({ id: z.string().max(64) }), response: { 200: RiskPoint } },
  }, async (request) => visiblePoint(request.params.id, scopes(caller(request))));

  app.post('/api/risks', {
    schema: {
      tags: ['risks'],
      summary: 'Register a risk point at an institution in the caller\'s scope (admins, safety managers); its level follows from likelihood × severity',
      body: NewRiskPoint,
      response: { 201: RiskPoint },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...riskAssessors);
    const site = (await store.listSites([...scopes(user), { siteIds: [request.body.siteId] }]))[0];
    if (!site) throw new HttpError(404, `siteId: no institution ${request.body.siteId}`);
    const { level } = assessRisk(request.body.likelihood, request.body.severity);
    const point = await store.risks.add({ ...request.body, regionCode: site.regionCode, level }, user.username, Date.now(), today());
    request.log.info({ siteId: site.id, riskId: point.id, level }, 'risk point registered');
    return reply.code(201).send(point);
  });

  app.patch('/api/risks/:id', {
    schema: {
      tags: ['risks'],
      summary: 'Reassess a risk point (any of its fields; new ratings recompute the level); 409 if it is retired',
      params: z.object({ id: z.string().max(64) }),
      body: RiskPointChange,
      response: { 200: RiskPoint },
    },
  }, async (request) => {
    const user = requireRole(request, ...riskAssessors);
    const before = await visiblePoint(request.params.id, scopes(user));
    if (before.retiredAt) throw new HttpError(409, `id: risk point ${before.id} is retired`);
    auditBefore(request, { likelihood: before.likelihood, severity: before.severity, level: before.level, controls: before.controls, reviewBy: before.reviewBy });
    const { likelihood = before.likelihood, severity = before.severity } = request.body;
    const changed = await store.risks.change(before.id, { ...request.body, level: assessRisk(likelihood, severity).level }, user.username, Date.now(), today());
    if (!changed) throw new HttpError(409, `id: risk point ${before.id} is retired`);
    return changed;
  });

  app.post('/api/risks/:id/retire', {
    schema: {
      tags: ['risks'],
      summary: 'Take a risk point off the register (the place rebuilt, the source removed), saying why; 409 if retired already',
      params: z.object({ id: z.string().max(64) }),
      body: z.object({ note: z.string().trim().min(1).max(1000) }),
      response: { 200: RiskPoint },
    },
  }, async (request) => {
    const user = requireRole(request, ...riskAssessors);
    const point = await visiblePoint(request.params.id, scopes(user));
    const retired = await store.risks.retire(point.id, request.body.note, user.username, Date.now(), today());
    if (!retired) throw new HttpError(409, `id: risk point ${point.id} is retired already`);
    return retired;
  });
};
