import { reactive, ref, shallowRef } from 'vue';
import { api } from './api';
import { useLiveList } from './liveList';
import { fetchEvery, MAX_PAGE } from './paging';
import { isAlarm, type Alarm, type AlarmOutcome } from './types';

/** A person's step on an alarm (POST /api/alarms/:id/<kind>). */
export type AlarmStep = { kind: 'ack' } | { kind: 'confirm'; outcome: AlarmOutcome } | { kind: 'close' };

const HIGHLIGHT_MS = 6000;
/** The API's largest page of alarms. */
const PAGE = MAX_PAGE.alarms;
/**
 * Consecutive pages overlap by this many alarms: alarms closed while the pages are read shift the later ones
 * up, and without the overlap an alarm could fall between two pages (its id is kept once all the same).
 */
const PAGE_OVERLAP = 50;

const statusRank: Record<string, number> = { new: 0, acknowledged: 1, confirmed: 2, closed: 3 };

/**
 * How urgent an alarm is on the desk: 0 escalated, 1 past a response deadline, 2 the rest. Only alarms still
 * waiting for a person count (a confirmed alarm is answered, whatever its flags say).
 */
export function urgency(alarm: Alarm): 0 | 1 | 2 {
  if (alarm.status !== 'new' && alarm.status !== 'acknowledged') return 2;
  if (alarm.escalatedAt) return 0;
  if (alarm.confirmOverdueAt || (alarm.status === 'new' && alarm.ackOverdueAt)) return 1;
  return 2;
}

/** The desk's order: escalated, then overdue, then the rest; newest first within each. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return urgency(a) - urgency(b) || Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Where `alarm` goes in a list sorted by compareAlarms (binary search: a flood of thousands stays cheap). */
function sortedIndex(list: readonly Alarm[], alarm: Alarm): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAlarms(list[mid]!, alarm) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every active alarm in the caller's scope, page by page: no cap, so no alarm is left off the desk. */
export function fetchActiveAlarms(): Promise<Alarm[]> {
  return fetchEvery<Alarm>('/api/alarms', { query: { status: 'active' }, pageSize: PAGE, overlap: PAGE_OVERLAP, keep: (a) => isAlarm(a) && a.status !== 'closed' });
}

export interface ActiveAlarmOptions {
  /** Called once for each alarm the screen had not shown before (live or caught up after a reconnect). */
  onArrive?(alarm: Alarm): void;
}

/**
 * The duty room's list of all active alarms, escalated and overdue first, then newest first: a snapshot from
 * the API kept current by socket events.
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
      list.splice(sortedIndex(list, incoming), 0, incoming);
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
    // Escalated or overdue now: it moves up to where its urgency puts it.
    list.splice(index, 1);
    list.splice(sortedIndex(list, incoming), 0, incoming);
    if (announce && incoming.count > current.count) highlight(incoming.id);
  }

  /** The snapshot in place of the list; rows not seen before are highlighted. */
  function take(snapshot: Alarm[]): void {
    const known = new Set(working.map((a) => a.id));
    working = snapshot.sort(compareAlarms);
    const shown = new Set(working.map((a) => a.id));
    for (const id of [...fresh]) if (!shown.has(id)) forget(id);
    if (!loaded.value) return;
    // Caught up after a reconnect: what arrived meanwhile is announced like a live alarm.
    for (const a of working) {
      if (known.has(a.id)) continue;
      highlight(a.id);
      options.onArrive?.(a);
    }
  }

  const live = useLiveList<Alarm, Alarm[]>({ fetch: fetchActiveAlarms, take, apply, failed: (e) => void (error.value = e) });

  /** One "alarm" event from the socket. */
  function receive(alarm: Alarm): void {
    live.receive(alarm, true);
  }

  /** The answer to one of our own steps (ack, confirm, close): shown at once, not announced. */
  function put(alarm: Alarm): void {
    live.receive(alarm, false);
  }

  /** Replaces the list with the server's active alarms, with the pushes that arrived meanwhile on top. */
  async function refresh(): Promise<void> {
    if (!(await live.refresh())) return;
    show();
    loaded.value = true;
    error.value = null;
  }

  function dispose(): void {
    live.stop();
    if (frame !== null) cancelAnimationFrame(frame);
    for (const timer of highlightTimers.values()) clearTimeout(timer);
    highlightTimers.clear();
  }

  return { alarms, fresh, loaded, error, receive, put, refresh, dispose };
}
