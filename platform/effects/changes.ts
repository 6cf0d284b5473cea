// What a transaction changed, collected while it runs and published once it has committed. Each record is kept once,
// in its latest version, so a batch in which an alarm was raised, counted up and flagged pushes it once.
import type { DeviceEntry } from '../registry/sites.js';
import type { Action } from '../rules/actions.js';
import type { Alarm, Site, Ticket, WorkOrder } from '../../contracts/records.js';

/** A rule's action with the device and the institution it is about, as its owner applies it. */
export interface Decision {
  action: Action;
  device: DeviceEntry | null;
  site: Site;
}

export class Changes {
  readonly alarms = new Map<string, Alarm>();
  readonly workorders = new Map<string, WorkOrder>();
  readonly tickets = new Map<string, Ticket>();
  /** Commands and notifications, carried out once the records are committed. */
  readonly after: Action[] = [];

  alarm(a: Alarm): void {
    this.alarms.set(a.id, a);
  }

  workorder(w: WorkOrder): void {
    this.workorders.set(w.id, w);
  }

  ticket(t: Ticket): void {
    this.tickets.set(t.id, t);
  }

  /** Takes `other`'s changes in (an event's, once its part of a batch is safe); later versions win. */
  merge(other: Changes): void {
    for (const a of other.alarms.values()) this.alarm(a);
    for (const w of other.workorders.values()) this.workorder(w);
    for (const t of other.tickets.values()) this.ticket(t);
    this.after.push(...other.after);
  }

  get empty(): boolean {
    return this.alarms.size + this.workorders.size + this.tickets.size + this.after.length === 0;
  }
}
