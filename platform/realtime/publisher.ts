// Who hears about what: every change is pushed to the rooms of its site, every region above it, and admins.
import { roomsFor } from '../auth/scope.js';
import type { RegionRegistry } from '../registry/regions.js';
import type { LiveEventName, LivePayloads } from '../../contracts/realtime.js';
import type { Alarm, Ticket, WorkOrder } from '../../contracts/records.js';

/** What the publisher needs of the sockets (realtime/socket.ts implements it; app.ts hands it over once it listens). */
export interface Rooms {
  emit<E extends LiveEventName>(rooms: string[], event: E, payload: LivePayloads[E]): void;
}

export interface Publisher {
  alarm(alarm: Alarm): void;
  workorder(order: WorkOrder): void;
  ticket(ticket: Ticket): void;
  /** To the site's staff (or only those with `role`), and optionally to the county bureau or the whole lineage. */
  toSite<E extends LiveEventName>(siteId: string, regionCode: string, event: E, payload: LivePayloads[E], opts?: { role?: string; upTo?: 'county' | 'all' }): void;
  /** To a region's bureau and the bureau of the region above it (and admins). */
  toRegion<E extends LiveEventName>(regionCode: string, event: E, payload: LivePayloads[E]): void;
}

export function createPublisher(regions: RegionRegistry, realtime: () => Rooms | null): Publisher {
  const lineage = (code: string) => regions.lineage(code).map((r) => r.code);
  const emit = <E extends LiveEventName>(siteId: string, regionCode: string, event: E, payload: LivePayloads[E]) =>
    realtime()?.emit(roomsFor(siteId, lineage(regionCode)), event, payload);
  return {
    alarm: (a) => emit(a.siteId, a.regionCode, 'alarm', a),
    workorder: (w) => emit(w.siteId, w.regionCode, 'workorder', w),
    ticket: (t) => emit(t.siteId, t.regionCode, 'ticket', t),
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
