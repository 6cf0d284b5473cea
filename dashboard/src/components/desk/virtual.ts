// A list of fixed-height rows that renders only the rows in view (and a few either side): a desk with
// thousands of active alarms costs what a screenful does.
import { computed, onMounted, onUnmounted, ref, type Ref } from 'vue';

export interface VirtualRows {
  /** The rows to render, [start, end) by index. */
  range: Readonly<Ref<{ start: number; end: number }>>;
  /** Scrolls the least needed to show row `index` whole. */
  reveal(index: number): void;
}

export function useVirtualRows(scroller: Ref<HTMLElement | null>, count: Readonly<Ref<number>>, rowPx: number, overscan = 4): VirtualRows {
  const top = ref(0);
  // Before the first layout, a screen's height (the rows are cheap; too many for a frame does no harm).
  const height = ref(typeof window === 'undefined' ? 1000 : window.innerHeight);
  let observer: ResizeObserver | null = null;

  const onScroll = () => {
    top.value = scroller.value?.scrollTop ?? 0;
  };
  onMounted(() => {
    const el = scroller.value;
    if (!el) return;
    el.addEventListener('scroll', onScroll, { passive: true });
    observer = new ResizeObserver(() => {
      if (el.clientHeight > 0) height.value = el.clientHeight;
      onScroll();
    });
    observer.observe(el);
  });
  onUnmounted(() => {
    scroller.value?.removeEventListener('scroll', onScroll);
    observer?.disconnect();
  });

  const range = computed(() => {
    const first = Math.floor(top.value / rowPx);
    const start = Math.max(0, first - overscan);
    const end = Math.min(count.value, Math.ceil((top.value + height.value) / rowPx) + overscan);
    return { start, end: Math.max(start, end) };
  });

  function reveal(index: number): void {
    const el = scroller.value;
    if (!el || index < 0) return;
    const rowTop = index * rowPx;
    if (rowTop < el.scrollTop) el.scrollTop = rowTop;
    else if (rowTop + rowPx > el.scrollTop + el.clientHeight) el.scrollTop = rowTop + rowPx - el.clientHeight;
  }

  return { range, reveal };
}
