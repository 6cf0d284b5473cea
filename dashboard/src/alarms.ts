import { reactive, ref } from 'vue';
import { api } from './api';
import { isAlarm, type Alarm } from './types';

const HIGHLIGHT_MS = 6000;

/**
 * The duty room's list of active alarms, newest first: a snapshot from the API
 * kept current by socket events.
 */
export function useActiveAlarms() {
  const alarms = ref<Alarm[]>([]);
  /** Ids of rows that just arrived, highlighted for a few seconds. */
  const fresh = reactive(new Set<string>());
  const loaded = ref(false);
  const error = ref<unknown>(null);

  const highlightTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let generation = 0;
  // Events that arrive while a snapshot is in flight, replayed on top of it:
  // the snapshot may have been taken before they happened.
  let arrivedDuringFetch: Alarm[] | null = null;

  function highlight(id: string): void {
    clearTimeout(highlightTimers.get(id));
    fresh.add(id);
    highlightTimers.set(
      id,
      setTimeout(() => {
        fresh.delete(id);
        highlightTimers.delete(id);
      }, HIGHLIGHT_MS),
    );
  }

  function forget(id: string): void {
    clearTimeout(highlightTimers.get(id));
    highlightTimers.delete(id);
    fresh.delete(id);
  }

  function apply(incoming: Alarm, announce: boolean): void {
    const list = alarms.value;
    const index = list.findIndex((a) => a.id === incoming.id);
    const current = list[index];

    // The list holds active alarms only; a closed one leaves the screen.
    if (incoming.status === 'closed') {
      if (current) list.splice(index, 1);
      forget(incoming.id);
      return;
    }
    if (!current) {
      list.unshift(incoming);
      if (announce) highlight(incoming.id);
      return;
    }
    // An update older than what is shown (a replayed event) must not undo a newer state.
    if (Date.parse(incoming.lastSeenAt) < Date.parse(current.lastSeenAt)) return;
    list[index] = incoming;
    if (announce && incoming.count > current.count) highlight(incoming.id);
  }

  /** One "alarm" event from the socket. */
  function receive(alarm: Alarm): void {
    arrivedDuringFetch?.push(alarm);
    apply(alarm, true);
  }

  /** Replaces the list with the server's active alarms; rows not seen before are highlighted. */
  async function refresh(): Promise<void> {
    const mine = ++generation;
    arrivedDuringFetch = [];
    try {
      const snapshot = await api<unknown[]>('/api/alarms', { query: { status: 'active' } });
      if (mine !== generation) return;
      const replay = arrivedDuringFetch;
      arrivedDuringFetch = null;

      const known = new Set(alarms.value.map((a) => a.id));
      alarms.value = (Array.isArray(snapshot) ? snapshot : []).filter(
        (a): a is Alarm => isAlarm(a) && a.status !== 'closed',
      );
      if (loaded.value) {
        for (const a of alarms.value) if (!known.has(a.id)) highlight(a.id);
      }
      for (const a of replay) apply(a, false);
      loaded.value = true;
      error.value = null;
    } catch (e) {
      if (mine !== generation) return;
      arrivedDuringFetch = null;
      error.value = e;
    }
  }

  function dispose(): void {
    generation++;
    for (const timer of highlightTimers.values()) clearTimeout(timer);
    highlightTimers.clear();
  }

  return { alarms, fresh, loaded, error, receive, refresh, dispose };
}
