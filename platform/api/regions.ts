import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { COUNTRY_CODE } from '../registry/regions.js';
import { Region, RegionCode } from '../../contracts/records.js';
import { caller, HttpError } from './context.js';

export const regionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { regions } = app.services;

  app.get('/api/regions', {
    schema: {
      tags: ['registry'],
      summary: 'Regions (GB/T 2260): the children of `parent` (default: the whole country), or one region with `code`',
      querystring: z.object({ parent: z.union([RegionCode, z.literal(COUNTRY_CODE)]).optional() }),
      response: { 200: z.array(Region) },
    },
  }, async (request) => {
    caller(request);
    const parent = request.query.parent ?? COUNTRY_CODE;
    if (!regions.get(parent)) throw new HttpError(404, `parent: no region ${parent}`);
    return regions.childrenOf(parent);
  });

  app.get('/api/regions/:code', {
    schema: { tags: ['registry'], summary: 'One region with its parents', params: z.object({ code: RegionCode }), response: { 200: Region.extend({ lineage: z.array(Region) }) } },
  }, async (request) => {
    caller(request);
    const region = regions.get(request.params.code);
    if (!region) throw new HttpError(404, `code: no region ${request.params.code}`);
    return { ...region, lineage: regions.lineage(region.code).slice(1) };
  });
};
