import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RegionCode, Site } from '../../contracts/records.js';
import { caller, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';
import { InstitutionFilterQuery, withInstitutionFilter } from './institution-filter.js';

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, provisioning } = app.services;

  app.get('/api/sites', {
    schema: {
      tags: ['registry'],
      summary: 'Institutions visible to the caller; `region` matches that region and everything below it; kind, grade, ownership, keyUnit (消防安全重点单位), highRisk (火灾高危单位) narrow it',
      querystring: z.object({ region: RegionCode.optional(), ...InstitutionFilterQuery.shape, ...paging(1000, 5000) }),
      response: { 200: z.array(Site) },
    },
  }, async (request, reply) => {
    const { region, limit, offset, ...institution } = request.query;
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [items, total] = await Promise.all([store.listSites(visible, { limit, offset }), store.countSites(visible)]);
    return page(reply, items, total);
  });

  app.post('/api/sites', {
    schema: { tags: ['registry'], summary: 'Register or update an institution (admin)', body: Site, response: { 201: Site } },
  }, async (request, reply) => {
    requireRole(request, 'admin');
    await provisioning.saveSite(request.body);
    return reply.code(201).send(request.body);
  });
};
