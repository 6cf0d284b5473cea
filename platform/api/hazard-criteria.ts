// The 重大事故隐患 criteria: everyone signed in reads them (reporting a hazard offers them), admins change and add.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CriterionCode, CriterionText, HazardCriterion } from '../../contracts/hazard-criteria.js';
import { caller, requireRole } from './context.js';

export const hazardCriteriaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;

  app.get('/api/hazard-criteria', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'The criteria a hazard is judged major by (重大事故隐患判定), in order; `active` ones are offered when reporting',
      response: { 200: z.array(HazardCriterion) },
    },
  }, async (request) => {
    caller(request);
    return store.hazardCriteria.list();
  });

  app.put('/api/hazard-criteria/:code', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'Change a criterion\'s words in both languages or retire it (active: false), or add one (admins); tickets keep the criterion they name',
      params: z.object({ code: CriterionCode }),
      body: CriterionText,
      response: { 200: HazardCriterion },
    },
  }, async (request) => {
    const user = requireRole(request, 'admin');
    return store.hazardCriteria.put(request.params.code, request.body, user.username, Date.now());
  });
};
