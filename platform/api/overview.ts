import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { COUNTRY_CODE } from '../registry/regions.js';
import { regionColumn, type GroupColumn, type SiteScope } from '../../contracts/scope.js';
import { lastDays, localMonth, monthRange } from '../reports/calendar.js';
import { noDutyFigures } from '../duties/figures.js';
import { noHazards, rate, sumCounts, worstOf, worstRisk } from '../reports/figures.js';
import type { RiskLevel } from '../../contracts/risks.js';
import { Overview, type OpenTicketFigures, type OverviewChild } from '../../contracts/reports.js';
import { RegionCode, type OverviewRow, type Region, type User } from '../../contracts/records.js';
import { HttpError, requireView, scopes, type Services } from './context.js';
import { InstitutionFilterQuery, withInstitutionFilter } from './institution-filter.js';
import type { InstitutionFilter } from '../../contracts/duties.js';

const TREND_DAYS = 30;

type Counts = Omit<OverviewRow, 'code' | 'name' | 'level' | 'onlineRate'>;
const noCounts = (): Counts => ({ institutions: 0, devices: 0, online: 0, activeAlarms: 0, newAlarms: 0, inProgressAlarms: 0 });

export const RegionQuery = z.union([RegionCode, z.literal(COUNTRY_CODE)]);

/** A region as the caller may see it: its children (institutions under a county) and the device counts per child. */
export interface RegionBreakdown {
  region: Region;
  /** The caller's scope narrowed to the region: every figure is counted through it. */
  view: SiteScope[];
  /** The sites column naming a child. */
  group: GroupColumn;
  children: { code: string; name: string; level: OverviewRow['level'] }[];
  /** Per child code (all of them, also those not listed): institutions, devices, online, active alarms. */
  counts: Map<string, Counts>;
}

/**
 * Where a user's figures start when no region is asked for: a bureau's own region; for an institution's staff the
 * smallest region holding all their institutions (their county, for most), not the country; admins the country.
 */
async function homeRegion(services: Pick<Services, 'store' | 'regions'>, user: User): Promise<string> {
  if (user.role === 'bureau' && user.regionCode) return user.regionCode;
  if (user.role === 'admin' || user.siteIds.length === 0) return COUNTRY_CODE;
  const codes = [...new Set((await services.store.listSites([{ siteIds: user.siteIds }])).map((s) => s.regionCode))];
  const first = codes[0];
  if (!first) return COUNTRY_CODE;
  const common = services.regions.lineage(first).find((r) => codes.every((c) => services.regions.contains(r.code, c)));
  return common?.code ?? COUNTRY_CODE;
}

/**
 * The region asked for (default: the user's home region, see homeRegion), 404 when unknown, 403 when
 * a bureau asks above or beside its region; shared by the overview and the monthly report.
 */
export async function regionBreakdown(services: Pick<Services, 'store' | 'regions'>, user: User, requested?: string, institution: InstitutionFilter = {}): Promise<RegionBreakdown> {
  const { store, regions } = services;
  const code = requested ?? (await homeRegion(services, user));
  const region = regions.get(code);
  if (!region) throw new HttpError(404, `region: no region ${code}`);
  if (user.role === 'bureau' && user.regionCode && !regions.contains(user.regionCode, code)) {
    throw new HttpError(403, `region: ${code} is outside your region ${user.regionCode}`, undefined, 'region.outside_scope', { region: code, yours: user.regionCode });
  }
  const view = withInstitutionFilter(scopes(user, code === COUNTRY_CODE ? undefined : code), institution);
  if (region.level === 'county') {
    const [sites, counts] = await Promise.all([store.listSites(view), store.overview(view, 'id')]);
    return { region, view, group: 'id', counts, children: sites.map((s) => ({ code: s.id, name: s.name, level: 'site' as const })) };
  }
  const candidates = regions.childrenOf(code);
  const group = regionColumn(candidates[0]?.code ?? code) ?? 'province_code';
  const counts = await store.overview(view, group);
  // The country has 34 provinces and an institution's staff see only their own: list where there is something.
  // A bureau sees every region under it, empty ones too ("no data" is information for a supervisor).
  const onlyWithData = code === COUNTRY_CODE || user.siteIds.length > 0;
  return {
    region, view, group, counts,
    children: candidates
      .filter((c) => !onlyWithData || counts.has(c.code))
      .map((c) => ({ code: c.code, name: c.name, level: c.level as OverviewRow['level'] })),
  };
}

export const overviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;

  app.get('/api/overview', {
    schema: {
      tags: ['overview'],
      summary: 'One-network overview (the roles with the overview view: bureaus and admins; 403 role.forbidden for others): per child region (per institution under a county) institutions, devices, online rate, active alarms, '
        + 'worst open risk, open hazards by level and split into awaiting acceptance (待受理) and in progress (处置中), hazards past the deadline of their state, major hazards not yet cleared, hazards under 挂牌督办; a summary of the region with its major hazards and 30-day trends',
      querystring: z.object({ region: RegionQuery.optional(), ...InstitutionFilterQuery.shape }),
      response: { 200: Overview },
    },
  }, async (request) => {
    const { region: requested, ...institution } = request.query;
    const { region, view, group, children, counts } = await regionBreakdown(app.services, requireView(request, 'overview'), requested, institution);
    const days = lastDays(Date.now(), TREND_DAYS);
    const month = monthRange(localMonth(Date.now()));
    const [hazards, majorHazards, daily, risks, duties] = await Promise.all([
      store.stats.openHazards(view, group), store.stats.majorHazards(view), store.stats.daily(view, days.from), store.risks.worstBy(view, group),
      app.services.duties.figures(view, group, month.from, month.to),
    ]);
    const totals = sumCounts(counts.values(), noCounts());
    const open = sumCounts([...hazards.values()].map((h) => h.open), noHazards());
    const trends = days.dates.map((date) => ({ date, ...(daily.get(date) ?? { alarms: 0, hazardsReported: 0, hazardsClosed: 0 }) }));
    return {
      region,
      children: children.map((c) => child(c, counts.get(c.code), hazards.get(c.code), risks.get(c.code), duties.byChild.get(c.code))),
      summary: {
        institutions: totals.institutions,
        devices: totals.devices,
        online: totals.online,
        onlineRate: rate(totals.online, totals.devices),
        worstRisk: worstRisk(open),
        worstRegisteredRisk: worstOf(risks.values()),
        alarmsToday: trends.at(-1)!.alarms,
        activeAlarms: totals.activeAlarms,
        newAlarms: totals.newAlarms,
        inProgressAlarms: totals.inProgressAlarms,
        openHazards: open,
        newHazards: [...hazards.values()].reduce((n, h) => n + h.fresh, 0),
        inProgressHazards: [...hazards.values()].reduce((n, h) => n + h.inProgress, 0),
        overdueRectifications: [...hazards.values()].reduce((n, h) => n + h.overdue, 0),
        supervisedHazards: [...hazards.values()].reduce((n, h) => n + h.supervised, 0),
        majorHazards,
        trends,
        duties: duties.total,
      },
    };
  });
};

function child(c: RegionBreakdown['children'][number], counts = noCounts(), hazards?: OpenTicketFigures, registered?: RiskLevel, duties = noDutyFigures()): OverviewChild {
  const open = hazards?.open ?? noHazards();
  return {
    ...c, ...counts,
    onlineRate: rate(counts.online, counts.devices),
    worstRisk: worstRisk(open),
    worstRegisteredRisk: registered ?? null,
    openHazards: open,
    newHazards: hazards?.fresh ?? 0,
    inProgressHazards: hazards?.inProgress ?? 0,
    overdueRectifications: hazards?.overdue ?? 0,
    majorHazardsOpen: hazards?.majorGrade ?? 0,
    supervisedHazards: hazards?.supervised ?? 0,
    duties,
  };
}
