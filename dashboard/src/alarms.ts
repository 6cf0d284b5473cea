import { reactive, ref, shallowRef } from 'vue';
import { api } from './api';
import { isAlarm, type Alarm } from './types';

const HIGHLIGHT_MS = 6000;
/** The most active alarms kept on screen: a flood must not grow the page without bound. */
export const MAX_ACTIVE_ALARMS = 500;

const statusRank: Record<string, number> = { new: 0, acknowledged: 1, confirmed: 2, closed: 3 };

export interface ActiveAlarmOptions {
  /** Called once for each alarm the screen had not shown before (live or caught up after a reconnect). */
  onArrive?(alarm: Alarm): void;
}

/**
 * The duty room's list of active alarms, newest first: a snapshot from the API
 * kept current by socket events.
 */
export function useActiveAlarms(options: ActiveAlarmOptions = {}) {
  // The screen's list is replaced at most once a frame: a burst of hundreds of events (an escalation
  // wave, a reconnect) must re-render the desk once, not once per event.
  const alarms = shallowRef<Alarm[]>([]);
  let working: Alarm[] = [];
  let frame: number | null = null;
  const show = () => {
    frame = null;
    alarms.value = working.slice();
  };
  const publish = () => {
    frame ??= requestAnimationFrame(show);
  };
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

  function trim(): void {
    const list = working;
    while (list.length > MAX_ACTIVE_ALARMS) {
      const dropped = list.pop();
      if (dropped) forget(dropped.id);
    }
  }

  function apply(incoming: Alarm, announce: boolean): void {
    const list = working;
    publish();
    const index = list.findIndex((a) => a.id === incoming.id);
    const current = list[index];

    // The list holds active alarms only; a closed one leaves the screen.
    if (incoming.status === 'closed') {
      if (current) list.splice(index, 1);
      forget(incoming.id);
      return;
    }
    if (!current) {
      // Newest first: a late, older alarm goes where its time puts it.
      const at = list.findIndex((a) => Date.parse(a.raisedAt) < Date.parse(incoming.raisedAt));
      if (at === -1) list.push(incoming);
      else list.splice(at, 0, incoming);
      trim();
      if (announce) {
        highlight(incoming.id);
        options.onArrive?.(incoming);
      }
      return;
    }
    // An update older than what is shown (a replayed event) must not undo a newer state:
    // an alarm's status only moves forward.
    if (Date.parse(incoming.lastSeenAt) < Date.parse(current.lastSeenAt)) return;
    if ((statusRank[incoming.status] ?? 0) < (statusRank[current.status] ?? 0)) return;
    list[index] = incoming;
    if (announce && incoming.count > current.count) highlight(incoming.id);
  }

  /** One "alarm" event from the socket. */
  function receive(alarm: Alarm): void {
    arrivedDuringFetch?.push(alarm);
    apply(alarm, true);
  }

  /** The answer to one of our own steps (ack, confirm, close): shown at once, not announced. */
  function put(alarm: Alarm): void {
    arrivedDuringFetch?.push(alarm);
    apply(alarm, false);
  }

  /** Replaces the list with the server's active alarms; rows not seen before are highlighted. */
  async function refresh(): Promise<void> {
    const mine = ++generation;
    arrivedDuringFetch = [];
    try {
      const snapshot = await api<unknown[]>('/api/alarms', { query: { status: 'active', limit: String(MAX_ACTIVE_ALARMS) } });
      if (mine !== generation) return;
      const replay = arrivedDuringFetch;
      arrivedDuringFetch = null;

      const known = new Set(working.map((a) => a.id));
      working = (Array.isArray(snapshot) ? snapshot : []).filter(
        (a): a is Alarm => isAlarm(a) && a.status !== 'closed',
      );
      trim();
      const shown = new Set(working.map((a) => a.id));
      for (const id of [...fresh]) if (!shown.has(id)) forget(id);
      if (loaded.value) {
        // Caught up after a reconnect: what arrived meanwhile is announced like a live alarm.
        for (const a of working) {
          if (known.has(a.id)) continue;
          highlight(a.id);
          options.onArrive?.(a);
        }
      }
      for (const a of replay) apply(a, false);
      show();
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
    if (frame !== null) cancelAnimationFrame(frame);
    for (const timer of highlightTimers.values()) clearTimeout(timer);
    highlightTimers.clear();
  }

  return { alarms, fresh, loaded, error, receive, put, refresh, dispose };
}
