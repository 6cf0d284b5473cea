import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { workOrderHandlers } from '../auth/permissions.js';
import { WorkOrderCategory } from '../../contracts/rules.js';
import { Id, RegionCode, WorkOrder } from '../../contracts/records.js';
import { WorkOrderAction, WorkOrderState } from '../workorders/lifecycle.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';
import { InstitutionFilterQuery, withInstitutionFilter } from './institution-filter.js';

const Params = z.object({ id: z.string().max(64) });

export const workOrderRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, workorders } = app.services;

  app.get('/api/workorders', {
    schema: {
      tags: ['work orders'],
      summary: 'Device fault work orders visible to the caller; status=open lists all but verified',
      querystring: z.object({
        status: z.union([WorkOrderState, z.literal('open')]).optional(),
        category: WorkOrderCategory.optional(),
        region: RegionCode.optional(),
        deviceId: Id.optional(),
        ...InstitutionFilterQuery.shape,
        ...paging(200, 1000),
      }),
      response: { 200: z.array(WorkOrder) },
    },
  }, async (request, reply) => {
    const { status, region, limit, offset, deviceId, category, ...institution } = request.query;
    const filter = { open: status === 'open', state: status === 'open' ? undefined : status, deviceId, category };
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [items, total] = await Promise.all([store.workorders.list(visible, { ...filter, limit, offset }), store.workorders.count(visible, filter)]);
    return page(reply, items, total);
  });

  app.get('/api/workorders/:id', {
    schema: { tags: ['work orders'], summary: 'One work order', params: Params, response: { 200: WorkOrder } },
  }, async (request) => {
    const order = await store.workorders.get(request.params.id, scopes(caller(request)));
    if (!order) throw new HttpError(404, `id: no work order ${request.params.id}`);
    return order;
  });

  app.post('/api/workorders/:id/transition', {
    schema: {
      tags: ['work orders'],
      summary: 'assign (to a person) -> fix -> verify; reject sends a fix back',
      params: Params,
      body: WorkOrderAction,
      response: { 200: WorkOrder },
    },
  }, async (request) => {
    const user = requireRole(request, ...workOrderHandlers);
    return workorders.act(request.params.id, request.body, user, scopes(user));
  });
};
