// The socket.io events: what the platform pushes to the dashboards, by name. The server's `Server` and the
// dashboard's `io()` socket are both typed with this map, so an unknown name or a wrong payload does not compile.
import type { DutyCheck } from './control-room.js';
import type { Notification } from './notification.js';
import type { Alarm, CommandRecord, Ticket, WorkOrder } from './records.js';

/** Every event the platform pushes; the dashboard listens to each. */
export const liveEvents = ['alarm', 'alarms', 'alarm.escalated', 'workorder', 'workorders', 'ticket', 'tickets', 'notification', 'command', 'duty.check'] as const;
export type LiveEventName = (typeof liveEvents)[number];

/**
 * Records changed together (by one batch of device events: a fire's detectors, a power cut's offline devices) reach
 * the viewers of the same institution as one push of the list event, each record once; a record changed alone comes
 * as its own event. A listener of `alarm` listens to `alarms` too, and takes each alarm of it as one `alarm`.
 */
export const liveLists = { alarms: 'alarm', workorders: 'workorder', tickets: 'ticket' } as const satisfies Partial<Record<LiveEventName, LiveEventName>>;
export type LiveListName = keyof typeof liveLists;

/** Each event's payload (the records of contracts/records.ts). Every push is the whole record as it stands after the change (never a diff). */
export interface LivePayloads {
  /** An alarm was raised or changed. */
  alarm: Alarm;
  /** Several alarms of one institution raised or changed together. */
  alarms: Alarm[];
  /** An unconfirmed alarm past its escalation mark (to the site's safety managers and the county bureau). */
  'alarm.escalated': Alarm;
  workorder: WorkOrder;
  workorders: WorkOrder[];
  /** A hazard ticket was reported or changed. */
  ticket: Ticket;
  tickets: Ticket[];
  /** To an institution's viewers: rule notify effects, escalations, failed commands. */
  notification: Notification;
  /** A downlink command was acknowledged, refused or failed. */
  command: CommandRecord;
  /** A 查岗 was asked of a control room, answered (on the desk or by its transmission device) or missed. */
  'duty.check': DutyCheck;
}

/** socket.io's map of what the server emits, for `Server<ClientToServerEvents, LiveEvents>`. */
export type LiveEvents = { [K in LiveEventName]: (payload: LivePayloads[K]) => void };

/** The dashboard sends nothing over the socket: it acts over HTTP, and its rooms follow from who signed in. */
export type ClientToServerEvents = Record<never, never>;
