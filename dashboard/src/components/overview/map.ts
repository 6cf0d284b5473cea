// The overview's map: each child region (or a county alone, from its city's file) filled with its worst open risk
// (open hazards, or the risk register's points: the colouring says which), a county's institutions as pins, and each
// area's figures as its tooltip lines.
import { computed, type Ref } from 'vue';
import { formatCount, formatRate } from '../../format';
import { tm } from '../../messages/map-colouring';
import { to } from '../../messages/overview';
import { totalHazards, type MapArea, type MapMarker, type OverviewChild, type OverviewData, type Site } from './model';
import { riskColor, riskName } from './risk';

export const hasData = (row: OverviewChild) => row.institutions > 0 || row.devices > 0;

/** hazards: the worst open hazard ticket (worstRisk); risk: the worst registered risk point (worstRegisteredRisk). */
export type MapColouring = 'hazards' | 'risk';

type Rated = Pick<OverviewChild, 'worstRisk' | 'worstRegisteredRisk'>;
const worstOf = (row: Rated, colouring: MapColouring) => (colouring === 'risk' ? row.worstRegisteredRisk : row.worstRisk);

/** The colour of an area or pin under the colouring; "none" is green either way (nothing open, nothing registered). */
function colourOf(row: Rated, colouring: MapColouring, withData: boolean): string {
  return riskColor(worstOf(row, colouring), withData);
}

/** What an area's worst level is called under the colouring. */
export function worstName(row: Rated, colouring: MapColouring, withData: boolean): string {
  const risk = worstOf(row, colouring);
  if (colouring === 'risk' && !risk && withData) return tm('mc.noneRegistered');
  return riskName(risk, withData);
}

/** A region's or institution's figures, as its tooltip on the map lists them under its name: both levels, the one coloured first. */
function lines(row: OverviewChild, colouring: MapColouring): string[] {
  const h = row.openHazards;
  const other: MapColouring = colouring === 'risk' ? 'hazards' : 'risk';
  const named = (c: MapColouring) => tm(c === 'risk' ? 'mc.tooltip.registered' : 'mc.tooltip.hazards', { level: worstName(row, c, hasData(row)) });
  return [
    named(colouring),
    named(other),
    ...(row.level === 'site' ? [] : [to('ov.tooltip.institutions', { n: formatCount(row.institutions) })]),
    to('ov.tooltip.onlineOf', {
      online: formatCount(row.online),
      devices: formatCount(row.devices),
      rate: row.devices && row.onlineRate != null ? formatRate(row.onlineRate) : '—',
    }),
    to('ov.tooltip.alarms', { n: formatCount(row.activeAlarms) }),
    to('ov.tooltip.hazardsByLevel', { n: formatCount(totalHazards(h)), major: h.major, significant: h.significant, general: h.general, low: h.low }),
    to('ov.tooltip.overdue', { n: formatCount(row.overdueRectifications ?? 0) }),
    to('ov.tooltip.supervised', { n: formatCount(row.supervisedHazards ?? 0) }),
  ];
}

export function useOverviewMap(data: Ref<OverviewData | null>, extraRows: Ref<OverviewChild[]>, sites: Ref<Site[]>, colouring: Ref<MapColouring>) {
  const region = computed(() => data.value?.region ?? null);
  const level = computed(() => region.value?.level ?? null);

  const mapCode = computed(() => {
    const r = region.value;
    if (!r) return null;
    // A county is drawn from its city's file, alone.
    return r.level === 'county' ? r.parentCode ?? null : r.code;
  });
  const mapFocus = computed(() => (region.value?.level === 'county' ? region.value.code : null));

  const areas = computed<MapArea[]>(() => {
    const d = data.value;
    if (!d) return [];
    if (d.region.level === 'county') {
      const s = d.summary;
      const institutions = s?.institutions ?? d.children.length;
      const rated: Rated = s ?? { worstRisk: null, worstRegisteredRisk: null };
      return [{
        code: d.region.code,
        name: d.region.name,
        color: colourOf(rated, colouring.value, institutions > 0),
        lines: s
          ? lines({ ...s, code: d.region.code, name: d.region.name, level: 'county', majorHazardsOpen: s.majorHazards.length }, colouring.value)
          : [worstName(rated, colouring.value, institutions > 0), to('ov.tooltip.institutions', { n: formatCount(institutions) })],
      }];
    }
    return [...d.children, ...extraRows.value].map((row) => ({ code: row.code, name: row.name, color: colourOf(row, colouring.value, hasData(row)), lines: lines(row, colouring.value) }));
  });

  const siteRows = computed(() => new Map((data.value?.children ?? []).map((c) => [c.code, c])));
  const markers = computed<MapMarker[]>(() => {
    if (level.value !== 'county') return [];
    return sites.value
      .filter((s) => s.lat !== null && s.lng !== null)
      .map((s) => {
        const row = siteRows.value.get(s.id);
        return { id: s.id, name: s.name, lat: s.lat!, lng: s.lng!, color: row ? colourOf(row, colouring.value, true) : riskColor(null, true), lines: row ? lines(row, colouring.value) : [] };
      });
  });
  const withoutCoords = computed(() => (level.value === 'county' ? sites.value.filter((s) => s.lat === null || s.lng === null).length : 0));

  return { region, level, mapCode, mapFocus, areas, markers, withoutCoords };
}
