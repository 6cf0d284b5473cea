// The overview's map: each child region (or a county alone, from its city's file) filled with its worst open risk,
// a county's institutions as pins, and each area's figures as its tooltip lines.
import { computed, type Ref } from 'vue';
import { formatCount, formatRate } from '../../format';
import { to } from '../../messages/overview';
import { totalHazards, type MapArea, type MapMarker, type OverviewChild, type OverviewData, type Site } from './model';
import { riskColor, riskName } from './risk';

export const hasData = (row: OverviewChild) => row.institutions > 0 || row.devices > 0;

/** A region's or institution's figures, as its tooltip on the map lists them under its name. */
function lines(row: OverviewChild): string[] {
  const h = row.openHazards;
  return [
    riskName(row.worstRisk, hasData(row)),
    ...(row.level === 'site' ? [] : [to('ov.tooltip.institutions', { n: formatCount(row.institutions) })]),
    to('ov.tooltip.onlineOf', {
      online: formatCount(row.online),
      devices: formatCount(row.devices),
      rate: row.devices && row.onlineRate != null ? formatRate(row.onlineRate) : '—',
    }),
    to('ov.tooltip.alarms', { n: formatCount(row.activeAlarms) }),
    to('ov.tooltip.hazardsByLevel', { n: formatCount(totalHazards(h)), major: h.major, significant: h.significant, general: h.general, low: h.low }),
    to('ov.tooltip.overdue', { n: formatCount(row.overdueRectifications ?? 0) }),
  ];
}

export function useOverviewMap(data: Ref<OverviewData | null>, extraRows: Ref<OverviewChild[]>, sites: Ref<Site[]>) {
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
      const risk = s ? s.worstRisk : null;
      return [{
        code: d.region.code,
        name: d.region.name,
        color: riskColor(risk, institutions > 0),
        lines: s
          ? lines({ ...s, code: d.region.code, name: d.region.name, level: 'county', majorHazardsOpen: s.majorHazards.length })
          : [riskName(risk, institutions > 0), to('ov.tooltip.institutions', { n: formatCount(institutions) })],
      }];
    }
    return [...d.children, ...extraRows.value].map((row) => ({ code: row.code, name: row.name, color: riskColor(row.worstRisk, hasData(row)), lines: lines(row) }));
  });

  const siteRows = computed(() => new Map((data.value?.children ?? []).map((c) => [c.code, c])));
  const markers = computed<MapMarker[]>(() => {
    if (level.value !== 'county') return [];
    return sites.value
      .filter((s) => s.lat !== null && s.lng !== null)
      .map((s) => {
        const row = siteRows.value.get(s.id);
        return { id: s.id, name: s.name, lat: s.lat!, lng: s.lng!, color: riskColor(row?.worstRisk ?? null, true), lines: row ? lines(row) : [] };
      });
  });
  const withoutCoords = computed(() => (level.value === 'county' ? sites.value.filter((s) => s.lat === null || s.lng === null).length : 0));

  return { region, level, mapCode, mapFocus, areas, markers, withoutCoords };
}
