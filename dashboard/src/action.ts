import { onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue';

export interface Action {
  busy: Ref<boolean>;
  /** What the last run threw (an ApiError for errorText), or null. */
  error: Ref<unknown>;
  /** Runs the task unless one is still running; its result, or undefined when it threw or was not run. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
}

/** A button's action (save, submit, upload): one at a time, busy meanwhile, its error kept for the page to show. */
export function useAction(): Action {
  const busy = ref(false);
  const error = ref<unknown>(null);
  async function run<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined;
    busy.value = true;
    error.value = null;
    try {
      return await task();
    } catch (e) {
      error.value = e;
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}

export interface Load<T> {
  data: ShallowRef<T>;
  /** True once the first load has ended, well or not. */
  loaded: Ref<boolean>;
  loading: Ref<boolean>;
  /** Why the last load failed; kept (with the data shown before) until a load succeeds. */
  error: Ref<unknown>;
  load(): Promise<void>;
}

/** A list a page shows: fetched at once, and again by load() after a change. */
export function useLoad<T>(fetch: () => Promise<T>, initial: T): Load<T> {
  const data = shallowRef(initial);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);
  async function load(): Promise<void> {
    loading.value = true;
    try {
      data.value = await fetch();
      error.value = null;
    } catch (e) {
      error.value = e;
    } finally {
      loaded.value = true;
      loading.value = false;
    }
  }
  void load();
  return { data, loaded, loading, error, load };
}

/**
 * A reload for a burst of live events: the returned function runs `task` once, `delayMs` (or what the function
 * says) after the first call of the burst; calls meanwhile join it. Cancelled with the calling component.
 */
export function useCoalesced(task: () => void, delayMs: number | (() => number)): () => void {
  let pending: ReturnType<typeof setTimeout> | undefined;
  onScopeDispose(() => clearTimeout(pending));
  return () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      task();
    }, typeof delayMs === 'number' ? delayMs : delayMs());
  };
}
