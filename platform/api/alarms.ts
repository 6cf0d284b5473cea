import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Alarm, AlarmStatus, RegionCode } from '../schemas.js';
import { caller, HttpError, scopes } from './context.js';

export const alarmRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;

  app.get('/api/alarms', {
    schema: {
      tags: ['alarms'],
      summary: 'Fire alarms visible to the caller, newest first; status=active lists all but closed',
      querystring: z.object({
        status: z.union([AlarmStatus, z.literal('active')]).optional(),
        region: RegionCode.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      }),
      response: { 200: z.array(Alarm) },
    },
  }, async (request) => {
    const { status, region, limit } = request.query;
    return store.listAlarms(scopes(caller(request), region), {
      active: status === 'active',
      status: status === 'active' ? undefined : status,
      limit,
    });
  });

  app.get('/api/alarms/:id', {
    schema: { tags: ['alarms'], summary: 'One alarm', params: z.object({ id: z.string().max(64) }), response: { 200: Alarm } },
  }, async (request) => {
    const alarm = await store.getAlarm(request.params.id, scopes(caller(request)));
    if (!alarm) throw new HttpError(404, `id: no alarm ${request.params.id}`);
    return alarm;
  });
};
