import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', {
    schema: { tags: ['ops'], summary: 'Liveness and the state of each part', response: { 200: z.record(z.string(), z.unknown()) } },
  }, async () => app.services.health());
};
