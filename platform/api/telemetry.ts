import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MetricName } from '../../contracts/device-api.js';
import { Id } from '../../contracts/records.js';
import { TimeQuery } from '../../contracts/times.js';
import { TelemetrySeries, TelemetryStep } from '../../contracts/http.js';
import { caller, HttpError, scopes } from './context.js';

const HOUR = 3_600_000;

export const telemetryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, telemetryWindow } = app.services;

  app.get('/api/devices/:id/telemetry', {
    schema: {
      tags: ['telemetry'],
      summary: 'A metric\'s history: raw readings or per-minute / per-hour rollups (min, max, avg, last). Default: the last 24 h; step picked from the range unless given',
      params: z.object({ id: Id }),
      querystring: z.object({
        metric: MetricName,
        from: TimeQuery.optional(),
        to: TimeQuery.optional(),
        step: TelemetryStep.optional(),
        limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
      }),
      response: { 200: TelemetrySeries },
    },
  }, async (request) => {
    const device = await store.getDevice(request.params.id, scopes(caller(request)));
    if (!device) throw new HttpError(404, `id: no device ${request.params.id}`);
    const to = request.query.to ?? Date.now();
    const from = request.query.from ?? to - 24 * HOUR;
    if (from >= to) throw new HttpError(400, 'querystring.from: must be before querystring.to');
    // raw readings are kept for a window only; beyond it, the rollups answer
    const rawFrom = Date.now() - telemetryWindow.rawDays * 24 * HOUR;
    const step = request.query.step ?? (to - from <= 6 * HOUR && from >= rawFrom ? 'raw' : to - from <= 7 * 24 * HOUR ? '1m' : '1h');
    const points = await store.telemetry.query(device.id, request.query.metric, from, to, step, request.query.limit);
    return { deviceId: device.id, metric: request.query.metric, step, from: new Date(from).toISOString(), to: new Date(to).toISOString(), points };
  });
};
