// Who hears about what: every change is pushed to the rooms of its site, every region above it, and admins. Records
// changed together are pushed together: one push per institution, of the list event (contracts/realtime.ts).
import { roomsFor } from '../auth/scope.js';
import type { RegionRegistry } from '../registry/regions.js';
import { liveLists, type LiveEventName, type LiveListName, type LivePayloads } from '../../contracts/realtime.js';
import type { Alarm, Ticket, WorkOrder } from '../../contracts/records.js';

/** What the publisher needs of the sockets (realtime/socket.ts implements it; app.ts hands it over once it listens). */
export interface Rooms {
  emit<E extends LiveEventName>(rooms: string[], event: E, payload: LivePayloads[E]): void;
}

export interface Publisher {
  alarm(alarm: Alarm): void;
  workorder(order: WorkOrder): void;
  ticket(ticket: Ticket): void;
  /** Records changed together (one batch): to each institution's viewers in one push, each record once. */
  alarms(alarms: readonly Alarm[]): void;
  workorders(orders: readonly WorkOrder[]): void;
  tickets(tickets: readonly Ticket[]): void;
  /** To the site's staff (or only those with `role`), and optionally to the county bureau or the whole lineage. */
  toSite<E extends LiveEventName>(siteId: string, regionCode: string, event: E, payload: LivePayloads[E], opts?: { role?: string; upTo?: 'county' | 'all' }): void;
  /** To a region's bureau and the bureau of the region above it (and admins). */
  toRegion<E extends LiveEventName>(regionCode: string, event: E, payload: LivePayloads[E]): void;
}

export function createPublisher(regions: RegionRegistry, realtime: () => Rooms | null): Publisher {
  const lineage = (code: string) => regions.lineage(code).map((r) => r.code);
  const emit = <E extends LiveEventName>(siteId: string, regionCode: string, event: E, payload: LivePayloads[E]) =>
    realtime()?.emit(roomsFor(siteId, lineage(regionCode)), event, payload);
  /** One push per institution: the record's own event if it is alone, else the list event. */
  const together = <L extends LiveListName>(list: L, records: readonly LivePayloads[(typeof liveLists)[L]][]) => {
    const bySite = new Map<string, typeof records[number][]>();
    for (const r of records) {
      const same = bySite.get(r.siteId);
      if (same) same.push(r);
      else bySite.set(r.siteId, [r]);
    }
    for (const [siteId, same] of bySite) {
      if (same.length === 1) emit(siteId, same[0]!.regionCode, liveLists[list], same[0]! as never);
      else emit(siteId, same[0]!.regionCode, list, same as never);
    }
  };
  return {
    alarm: (a) => emit(a.siteId, a.regionCode, 'alarm', a),
    workorder: (w) => emit(w.siteId, w.regionCode, 'workorder', w),
    ticket: (t) => emit(t.siteId, t.regionCode, 'ticket', t),
    alarms: (list) => together('alarms', list),
    workorders: (list) => together('workorders', list),
    tickets: (list) => together('tickets', list),
    toSite(siteId, regionCode, event, payload, opts = {}) {
      const rooms = ['all', opts.role ? `site:${siteId}:${opts.role}` : `site:${siteId}`];
      if (opts.upTo === 'county') rooms.push(`region:${regionCode}`);
      if (opts.upTo === 'all') rooms.push(...lineage(regionCode).map((c) => `region:${c}`));
      realtime()?.emit(rooms, event, payload);
    },
    toRegion(regionCode, event, payload) {
      realtime()?.emit(['all', ...lineage(regionCode).slice(0, 2).map((c) => `region:${c}`)], event, payload);
    },
  };
}
