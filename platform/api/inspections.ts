import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Inspection, InspectionKind } from '../../contracts/reports.js';
import { Id, RegionCode } from '../../contracts/records.js';
import { inspectors } from '../auth/permissions.js';
import { PlausibleIso, TimeQuery } from '../../contracts/times.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';
import { InstitutionFilterQuery, withInstitutionFilter } from './institution-filter.js';

/** A check may be recorded after the fact, never ahead of it (a few minutes of clock skew allowed). */
const SKEW_MS = 5 * 60_000;

export const inspectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;

  app.post('/api/inspections', {
    schema: {
      tags: ['inspections'],
      summary: 'Record an inspection (日周月: daily, weekly, monthly check) at an institution in the caller\'s scope; hazards it found are reported as tickets',
      body: z.object({
        siteId: Id,
        kind: InspectionKind,
        /** Default: now. */
        performedAt: PlausibleIso.optional(),
        /** Who checked; default: the signed-in user. */
        inspector: z.string().trim().min(1).max(64).optional(),
        findings: z.string().max(4000).default(''),
        hazardsFound: z.number().int().min(0).max(10_000).default(0),
      }),
      response: { 201: Inspection },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...inspectors);
    const { siteId, kind, performedAt, inspector, findings, hazardsFound } = request.body;
    const site = (await store.listSites([...scopes(user), { siteIds: [siteId] }]))[0];
    if (!site) throw new HttpError(404, `siteId: no institution ${siteId}`);
    const now = Date.now();
    const at = performedAt === undefined ? now : Date.parse(performedAt);
    if (at > now + SKEW_MS) throw new HttpError(400, 'body.performedAt: lies in the future');
    const recorded = await store.inspections.record({
      siteId: site.id, regionCode: site.regionCode, kind, inspector: inspector ?? user.username, performedAt: at,
      findings, hazardsFound, createdBy: user.username, at: now,
    });
    request.log.info({ siteId: site.id, userId: user.id, kind }, 'inspection recorded');
    return reply.code(201).send(recorded);
  });

  app.get('/api/inspections', {
    schema: {
      tags: ['inspections'],
      summary: 'Inspections visible to the caller, newest first; from/to bound when they were performed [from, to)',
      querystring: z.object({
        region: RegionCode.optional(),
        siteId: Id.optional(),
        kind: InspectionKind.optional(),
        from: TimeQuery.optional(),
        to: TimeQuery.optional(),
        // the institution's kind is institutionKind here: kind is the inspection's (daily, weekly, monthly)
        institutionKind: InstitutionFilterQuery.shape.kind.describe('the institution\'s kind (kind is the inspection\'s)'),
        grade: InstitutionFilterQuery.shape.grade,
        ownership: InstitutionFilterQuery.shape.ownership,
        keyUnit: InstitutionFilterQuery.shape.keyUnit,
        highRisk: InstitutionFilterQuery.shape.highRisk,
        ...paging(200, 1000),
      }),
      response: { 200: z.array(Inspection) },
    },
  }, async (request, reply) => {
    const { region, limit, offset, institutionKind, grade, ownership, keyUnit, highRisk, ...filter } = request.query;
    if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) throw new HttpError(400, 'querystring.from: must be before querystring.to');
    const visible = withInstitutionFilter(scopes(caller(request), region), { kind: institutionKind, grade, ownership, keyUnit, highRisk });
    const [items, total] = await Promise.all([store.inspections.list(visible, { ...filter, limit, offset }), store.inspections.count(visible, filter)]);
    return page(reply, items, total);
  });
};
