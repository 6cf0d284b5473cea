import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { COUNTRY_CODE } from '../registry/regions.js';
import { regionColumn } from '../registry/scope.js';
import { OverviewRow, Region, RegionCode } from '../schemas.js';
import { caller, HttpError, scopes } from './context.js';

export const overviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, regions } = app.services;

  app.get('/api/overview', {
    schema: {
      tags: ['overview'],
      summary: 'One-network overview: per child region (per institution under a county) institutions, devices, online rate, active alarms',
      querystring: z.object({ region: z.union([RegionCode, z.literal(COUNTRY_CODE)]).optional() }),
      response: { 200: z.object({ region: Region, children: z.array(OverviewRow) }) },
    },
  }, async (request) => {
    const user = caller(request);
    const code = request.query.region ?? (user.role === 'bureau' && user.regionCode ? user.regionCode : COUNTRY_CODE);
    const region = regions.get(code);
    if (!region) throw new HttpError(404, `region: no region ${code}`);
    if (user.role === 'bureau' && user.regionCode && !regions.contains(user.regionCode, code)) {
      throw new HttpError(403, `region: ${code} is outside your region ${user.regionCode}`);
    }
    const view = scopes(user, code === COUNTRY_CODE ? undefined : code);
    if (region.level === 'county') {
      const [sites, counts] = await Promise.all([store.listSites(view), store.overview(view, 'id')]);
      return { region, children: sites.map((s) => row(s.id, s.name, 'site', counts.get(s.id))) };
    }
    const children = regions.childrenOf(code);
    const counts = await store.overview(view, regionColumn(children[0]?.code ?? code) ?? 'province_code');
    // The country has 34 provinces and an institution's staff see only their own: list where there is something.
    // A bureau sees every region under it, empty ones too ("no data" is information for a supervisor).
    const onlyWithData = code === COUNTRY_CODE || user.siteIds.length > 0;
    return {
      region,
      children: children
        .filter((c) => !onlyWithData || counts.has(c.code))
        .map((c) => row(c.code, c.name, c.level as OverviewRow['level'], counts.get(c.code))),
    };
  });
};

function row(code: string, name: string, level: OverviewRow['level'], c?: { institutions: number; devices: number; online: number; activeAlarms: number }): OverviewRow {
  const counts = c ?? { institutions: 0, devices: 0, online: 0, activeAlarms: 0 };
  return { code, name, level, ...counts, onlineRate: counts.devices ? counts.online / counts.devices : 0 };
}
