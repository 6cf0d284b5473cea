import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const Health = z.record(z.string(), z.unknown());

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', {
    schema: {
      tags: ['ops'],
      summary: 'Liveness and the state of each part: 200 `ok`, or 503 `degraded` with `down` naming the parts that are (database), for a load balancer to act on',
      response: { 200: Health, 503: Health },
    },
  }, async (_request, reply) => {
    const health = await app.services.health();
    return reply.code(health.status === 'ok' ? 200 : 503).send(health);
  });
};
