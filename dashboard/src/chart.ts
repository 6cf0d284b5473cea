// An ECharts instance for a component: made when the component mounts, resized with its box, disposed with it.
import { onMounted, onUnmounted, type Ref } from 'vue';
import { init, type ECharts } from 'echarts/core';

/** Returns the instance on `el` (null before mounting and after unmounting); `ready` runs once it exists. */
export function useEChart(el: Ref<HTMLElement | null>, ready: (chart: ECharts, el: HTMLElement) => void): () => ECharts | null {
  let chart: ECharts | null = null;
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    if (!el.value) return;
    chart = init(el.value, undefined, { renderer: 'canvas' });
    observer = new ResizeObserver(() => chart?.resize());
    observer.observe(el.value);
    ready(chart, el.value);
  });
  onUnmounted(() => {
    observer?.disconnect();
    chart?.dispose();
    chart = null;
  });
  return () => chart;
}
