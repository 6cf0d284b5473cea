// A device's readings of one metric over a span: the chosen hours, or the span that has data within the last day.
import { ref, type Ref } from 'vue';
import { api } from '../../api';
import type { TelemetrySeries } from '../../types';

const HOUR = 3_600_000;
/** The longest span the API answers with raw readings (longer ones come as per-minute rollups). */
const RAW_HOURS = 6;

function earliest(points: TelemetrySeries['points']): number | null {
  let first = Infinity;
  for (const p of points) first = Math.min(first, Date.parse(p.t));
  return Number.isFinite(first) ? first : null;
}

/** `rangeHours` 0: the span that has data (within the last day), which the chart opens on. */
export function useDeviceSeries(path: () => string, metric: Ref<string | null>, rangeHours: Ref<number>) {
  const series = ref<TelemetrySeries | null>(null);
  const error = ref<unknown>(null);
  const range = ref({ from: Date.now() - 24 * HOUR, to: Date.now() });
  const loading = ref(false);
  let request = 0;

  const fetchSeries = (m: string, from: number, to: number) =>
    api<TelemetrySeries>(`${path()}/telemetry`, { query: { metric: m, from: String(from), to: String(to) } });

  /**
   * The chosen span; or, for "the span with data", the last day, and when its readings began within the last hours
   * (a device that just started), those hours again in raw readings (the day comes as per-minute rollups, which
   * also trail the newest readings by a few seconds).
   */
  async function fetchChosen(m: string, to: number): Promise<{ data: TelemetrySeries; from: number }> {
    if (rangeHours.value > 0) {
      const from = to - rangeHours.value * HOUR;
      return { data: await fetchSeries(m, from, to), from };
    }
    const dayFrom = to - 24 * HOUR;
    const day = await fetchSeries(m, dayFrom, to);
    const first = earliest(day.points);
    if (first !== null && to - first > RAW_HOURS * HOUR) return { data: day, from: dayFrom };
    const rawFrom = to - RAW_HOURS * HOUR;
    const raw = await fetchSeries(m, rawFrom, to);
    return raw.points.length > 0 ? { data: raw, from: rawFrom } : { data: day, from: dayFrom };
  }

  async function load(): Promise<void> {
    const m = metric.value;
    if (!m) return;
    const mine = ++request;
    const to = Date.now();
    loading.value = true;
    try {
      const { data, from } = await fetchChosen(m, to);
      if (mine !== request) return;
      series.value = data;
      range.value = { from, to };
      error.value = null;
    } catch (e) {
      if (mine === request) error.value = e;
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  return { series, error, range, loading, load, stop: () => void request++ };
}
