// One institution's page (a bureau officer clicks its marker on the map; its own staff open it too): the
// institution, where it lies, its devices by family and their state, its active alarms, open hazards and recent
// checks, all in one answer and all through the caller's scope (404 outside it). The devices one by one are a list
// of their own (GET /api/devices?siteId=&order=attention, paged), since an institution may have thousands.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { COUNTRY_CODE } from '../registry/regions.js';
import { rate } from '../reports/figures.js';
import { inspectionKinds } from '../../contracts/reports.js';
import { SitePage } from '../../contracts/http.js';
import { Id } from '../../contracts/records.js';
import { caller, HttpError, scopes } from './context.js';

/** The most alarms and hazards one page lists; the figures count them all. */
const MAX_ITEMS = 500;
const RECENT_CHECKS = 20;
const CHECK_DAYS = 30;

export { SitePage };

export const sitePageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, regions } = app.services;

  app.get('/api/sites/:id/page', {
    schema: {
      tags: ['registry'],
      summary: 'One institution\'s page: where it is, its figures, devices and their state, active alarms, open hazards, recent inspections',
      params: z.object({ id: Id }),
      response: { 200: SitePage },
    },
  }, async (request) => {
    const id = request.params.id;
    const view = [...scopes(caller(request)), { siteIds: [id] }];
    const site = (await store.listSites(view))[0];
    if (!site) throw new HttpError(404, `id: no institution ${id}`);
    const since = Date.now() - CHECK_DAYS * 86_400_000;
    const [counts, hazards, families, alarms, tickets, inspections, ...checks] = await Promise.all([
      store.overview(view, 'id'),
      store.stats.openHazards(view, 'id'),
      store.deviceFamilies(view, { siteId: id }),
      store.alarms.list(view, { active: true, limit: MAX_ITEMS }),
      store.tickets.list(view, { open: true, limit: MAX_ITEMS }),
      store.inspections.list(view, { siteId: id, limit: RECENT_CHECKS }),
      ...inspectionKinds.map((kind) => store.inspections.count(view, { siteId: id, kind, from: since })),
    ]);
    const c = counts.get(id);
    const h = hazards.get(id);
    return {
      site,
      lineage: regions.lineage(site.regionCode).filter((r) => r.code !== COUNTRY_CODE).reverse(),
      figures: {
        devices: c?.devices ?? 0,
        online: c?.online ?? 0,
        onlineRate: rate(c?.online ?? 0, c?.devices ?? 0),
        activeAlarms: c?.activeAlarms ?? 0,
        openHazards: h?.open ?? { major: 0, significant: 0, general: 0, low: 0 },
        overdueRectifications: h?.overdue ?? 0,
        checks: Object.fromEntries(inspectionKinds.map((k, i) => [k, checks[i] ?? 0])) as SitePage['figures']['checks'],
      },
      families,
      alarms,
      tickets,
      inspections,
    };
  });
};
