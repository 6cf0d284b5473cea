// Lists under the API's paging contract (limit and offset in the query, the page in the body, the number of items in
// all pages in X-Total-Count), one way for every view: a picker (or the desk) reads every page; a long list shows a
// page, says how many there are in all, and loads the next page on request. Nothing stops silently at a page's end.
import { computed, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { apiPage } from './api';

export type ListQuery = Record<string, string | undefined>;

/** The API's largest page of each list (platform/api: paging(default, largest)); larger asks are refused (400). */
export const MAX_PAGE = { alarms: 1000, tickets: 1000, workorders: 1000, devices: 5000, sites: 5000 } as const;

export interface EveryOptions<T> {
  query?: ListQuery;
  /** Items per call, at most the API's largest page for the list. */
  pageSize: number;
  /**
   * Consecutive pages overlap by this many items: items leaving the list while its pages are read (a closed alarm)
   * shift the later ones up, and without the overlap one could fall between two pages. An id is kept once.
   */
  overlap?: number;
  /** Items to leave out (read, but not kept). */
  keep?: (item: T) => boolean;
}

/** Every item of a list, page by page: no cap, so a picker offers every institution and the desk every alarm. */
export async function fetchEvery<T extends { id: string }>(path: string, options: EveryOptions<T>): Promise<T[]> {
  const { query, pageSize, overlap = 0, keep } = options;
  const kept = new Map<string, T>();
  const seen = new Set<string>();
  for (let offset = 0; ; offset += pageSize - overlap) {
    const page = await apiPage<T>(path, { query, limit: pageSize, offset });
    const before = seen.size;
    for (const item of page.items) {
      seen.add(item.id);
      if (!keep || keep(item)) kept.set(item.id, item);
    }
    // The last page; or a server that gave nothing new (one that ignored `offset` must not loop for ever).
    if (page.items.length < pageSize || offset + page.items.length >= page.total || seen.size === before) break;
  }
  return [...kept.values()];
}

export interface PagedList<T> {
  /** The items loaded so far, in the list's order. */
  items: ShallowRef<T[]>;
  /** How many match in all pages (X-Total-Count). */
  total: Ref<number>;
  /** How many are not loaded yet. */
  remaining: Readonly<Ref<number>>;
  loaded: Ref<boolean>;
  /** When the list was last read. */
  updatedAt: Ref<Date | null>;
  error: Ref<unknown>;
  loadingMore: Ref<boolean>;
  /** Reads the list again as far as it is shown (at least one page): a refresh keeps what the user opened. */
  load(): Promise<void>;
  /** Starts over at the first page (the filters changed). */
  reset(): Promise<void>;
  /** The next page, after the ones shown. */
  loadMore(): Promise<void>;
  /** A pushed item: replaces the one with its id, or comes first as one more in all. */
  put(item: T): void;
  /** Answers still on their way are dropped (the view is gone). */
  stop(): void;
}

/** A list shown a page at a time, with its total, for a view that says "n of total" and offers the rest. */
export function usePagedList<T extends { id: string }>(path: string, query: () => ListQuery, pageSize: number): PagedList<T> {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const loaded = ref(false);
  const updatedAt = ref<Date | null>(null);
  const error = ref<unknown>(null);
  const loadingMore = ref(false);
  let request = 0;
  /** How many rows the user asked to see: a refresh reads as far, so a refresh under way cannot undo "more". */
  let wanted = pageSize;

  async function load(): Promise<void> {
    const mine = ++request;
    const want = Math.max(wanted, items.value.length);
    try {
      const got: T[] = [];
      let count = 0;
      for (let offset = 0; offset < want; offset += pageSize) {
        const page = await apiPage<T>(path, { query: query(), limit: pageSize, offset });
        if (mine !== request) return;
        got.push(...page.items);
        count = page.total;
        if (page.items.length < pageSize) break;
      }
      items.value = unique(got);
      total.value = count;
      loaded.value = true;
      updatedAt.value = new Date();
      error.value = null;
    } catch (e) {
      if (mine === request) error.value = e;
    }
  }

  async function reset(): Promise<void> {
    request++;
    wanted = pageSize;
    items.value = [];
    total.value = 0;
    loaded.value = false;
    await load();
  }

  /** One page more: read with the rows shown (a refresh that was under way is superseded, not lost). */
  async function loadMore(): Promise<void> {
    loadingMore.value = true;
    wanted = Math.max(wanted, items.value.length) + pageSize;
    try {
      await load();
    } finally {
      loadingMore.value = false;
    }
  }

  function put(item: T): void {
    if (items.value.some((x) => x.id === item.id)) {
      items.value = items.value.map((x) => (x.id === item.id ? item : x));
    } else {
      items.value = [item, ...items.value];
      total.value++;
    }
  }

  const remaining = computed(() => Math.max(0, total.value - items.value.length));
  return { items, total, remaining, loaded, updatedAt, error, loadingMore, load, reset, loadMore, put, stop: () => void request++ };
}

/** Each id once, where it first appears (a page read after the list moved may repeat an item). */
function unique<T extends { id: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((item) => !seen.has(item.id) && seen.add(item.id));
}
