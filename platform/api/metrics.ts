import type { FastifyPluginAsync } from 'fastify';

/** Prometheus scrape endpoint (text exposition format). */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { metrics } = app.services;
    return reply.header('content-type', metrics.contentType).send(await metrics.metrics());
  });
};
