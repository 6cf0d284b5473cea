// What the overview shows of one region: GET /api/overview, the rows of the regions below pseudo-cities (drawn on a
// province's map), a county's institutions (pins on its map) and the breadcrumb from the viewer's own region down;
// read again on each alarm or ticket pushed (at most every few seconds), on reconnect and every half minute.
import { computed, onUnmounted, ref, shallowRef, watch, type Ref } from 'vue';
import { api } from '../../api';
import { useCoalesced } from '../../action';
import { onLive, onLiveConnect } from '../../live';
import { fetchEvery, MAX_PAGE } from '../../paging';
import type { OverviewChild, OverviewData, RegionRef, Site } from './model';

export const COUNTRY = '000000';
const POLL_MS = 30_000;
const THROTTLE_MS = 3000;
/** Pseudo-cities whose "counties" are drawn straight on the province's map (直辖市 districts, 省直辖县级行政单位). */
const PSEUDO_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export interface Crumb {
  code: string;
  name: string;
}

/** `filter`: the institution filters (a query: kind, grade, ownership, keyUnit, highRisk) every figure is narrowed by. */
export function useOverviewData(code: Ref<string>, home: Ref<string>, filter: Ref<Record<string, string | undefined>> = ref({})) {
  const data = shallowRef<OverviewData | null>(null);
  /** Rows of regions below pseudo-city children, drawn on a province's map. */
  const extraRows = shallowRef<OverviewChild[]>([]);
  const sites = shallowRef<Site[]>([]);
  const crumbs = ref<Crumb[]>([]);
  const error = ref<unknown>(null);
  const updatedAt = ref<Date | null>(null);

  let request = 0;
  let lastLoadAt = 0;

  async function load(): Promise<void> {
    const mine = ++request;
    lastLoadAt = Date.now();
    const region = code.value;
    try {
      const overview = await api<OverviewData>('/api/overview', { query: { ...filter.value, region } });
      const level = overview.region.level;
      const [extra, siteList, lineage] = await Promise.all([
        level === 'province' ? loadExtraRows(overview.children) : Promise.resolve([]),
        level === 'county' ? fetchEvery<Site>('/api/sites', { query: { ...filter.value, region }, pageSize: MAX_PAGE.sites }) : Promise.resolve([]),
        crumbsFor(overview.region),
      ]);
      if (mine !== request) return;
      data.value = overview;
      extraRows.value = extra;
      sites.value = siteList;
      crumbs.value = lineage;
      error.value = null;
      updatedAt.value = new Date();
    } catch (e) {
      if (mine === request) error.value = e;
    }
  }

  async function loadExtraRows(children: OverviewChild[]): Promise<OverviewChild[]> {
    const pseudo = children.filter((c) => PSEUDO_CITIES.has(c.name));
    const lists = await Promise.all(pseudo.map((c) => api<OverviewData>('/api/overview', { query: { ...filter.value, region: c.code } }).then((o) => o.children, () => [])));
    return lists.flat();
  }

  async function crumbsFor(region: RegionRef): Promise<Crumb[]> {
    let chain: Crumb[] = [];
    if (region.code !== COUNTRY) {
      try {
        const r = await api<RegionRef & { lineage: RegionRef[] }>(`/api/regions/${region.code}`);
        chain = [...r.lineage].reverse().map((x) => ({ code: x.code, name: x.name }));
      } catch {
        chain = [];
      }
    }
    chain.push({ code: region.code, name: region.name });
    // Nothing above the user's own region: a bureau may not look there.
    const start = chain.findIndex((c) => c.code === home.value);
    return start >= 0 ? chain.slice(start) : chain;
  }

  const refreshSoon = useCoalesced(() => void load(), () => Math.max(500, lastLoadAt + THROTTLE_MS - Date.now()));

  watch(
    [code, () => JSON.stringify(filter.value)],
    () => {
      data.value = null;
      extraRows.value = [];
      sites.value = [];
      void load();
    },
    { immediate: true },
  );

  onLive('ticket', refreshSoon);
  onLive('alarm', refreshSoon);
  onLiveConnect(refreshSoon);
  const poll = setInterval(() => void load(), POLL_MS);
  onUnmounted(() => {
    clearInterval(poll);
    request++;
  });

  /** The region's figures; from a platform without the risk figures, what the children give. */
  const figures = computed(() => {
    const d = data.value;
    if (!d) return null;
    if (d.summary) return d.summary;
    const sum = (pick: (c: OverviewChild) => number) => d.children.reduce((n, c) => n + pick(c), 0);
    const devices = sum((c) => c.devices);
    const online = sum((c) => c.online);
    return {
      institutions: sum((c) => c.institutions),
      devices,
      online,
      onlineRate: devices ? online / devices : null,
      worstRisk: null,
      alarmsToday: null,
      activeAlarms: sum((c) => c.activeAlarms),
      newAlarms: sum((c) => c.newAlarms),
      inProgressAlarms: sum((c) => c.inProgressAlarms),
      openHazards: null,
      newHazards: sum((c) => c.newHazards ?? 0),
      inProgressHazards: sum((c) => c.inProgressHazards ?? 0),
      overdueRectifications: null,
      majorHazards: null,
      trends: null,
    };
  });

  return { data, extraRows, sites, crumbs, error, updatedAt, figures };
}

export type OverviewFigures = NonNullable<ReturnType<typeof useOverviewData>['figures']['value']>;
