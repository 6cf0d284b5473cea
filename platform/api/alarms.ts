import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AlarmOutcome } from '../alarms/lifecycle.js';
import { alarmResponders } from '../auth/permissions.js';
import { Alarm, AlarmStatus, Id, RegionCode } from '../../contracts/records.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';
import { InstitutionFilterQuery, withInstitutionFilter } from './institution-filter.js';

const Params = z.object({ id: z.string().max(64) });
const Note = z.object({ note: z.string().max(2000).optional() });

export const alarmRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, alarms } = app.services;

  app.get('/api/alarms', {
    schema: {
      tags: ['alarms'],
      summary: 'Fire alarms visible to the caller, newest first; status=active lists all but closed',
      querystring: z.object({
        status: z.union([AlarmStatus, z.literal('active')]).optional(),
        region: RegionCode.optional(),
        deviceId: Id.optional(),
        ...InstitutionFilterQuery.shape,
        ...paging(200, 1000),
      }),
      response: { 200: z.array(Alarm) },
    },
  }, async (request, reply) => {
    const { status, region, limit, offset, deviceId, ...institution } = request.query;
    const filter = { active: status === 'active', status: status === 'active' ? undefined : status, deviceId };
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [items, total] = await Promise.all([store.alarms.list(visible, { ...filter, limit, offset }), store.alarms.count(visible, filter)]);
    return page(reply, items, total);
  });

  app.get('/api/alarms/:id', {
    schema: { tags: ['alarms'], summary: 'One alarm', params: Params, response: { 200: Alarm } },
  }, async (request) => {
    const alarm = await store.alarms.get(request.params.id, scopes(caller(request)));
    if (!alarm) throw new HttpError(404, `id: no alarm ${request.params.id}`);
    return alarm;
  });

  app.post('/api/alarms/:id/ack', {
    schema: { tags: ['alarms'], summary: 'Acknowledge a new alarm (someone in the control room is on it)', params: Params, body: Note.optional(), response: { 200: Alarm } },
  }, async (request) => {
    const user = requireRole(request, ...alarmResponders);
    return alarms.act(request.params.id, { kind: 'ack' }, user, scopes(user), request.body?.note);
  });

  app.post('/api/alarms/:id/confirm', {
    schema: {
      tags: ['alarms'],
      summary: 'Confirm an alarm as a real fire, a false alarm or a test',
      params: Params,
      body: Note.extend({ outcome: AlarmOutcome }),
      response: { 200: Alarm },
    },
  }, async (request) => {
    const user = requireRole(request, ...alarmResponders);
    return alarms.act(request.params.id, { kind: 'confirm', outcome: request.body.outcome }, user, scopes(user), request.body.note);
  });

  app.post('/api/alarms/:id/close', {
    schema: { tags: ['alarms'], summary: 'Close a confirmed alarm', params: Params, body: Note.optional(), response: { 200: Alarm } },
  }, async (request) => {
    const user = requireRole(request, ...alarmResponders);
    return alarms.act(request.params.id, { kind: 'close' }, user, scopes(user), request.body?.note);
  });
};
