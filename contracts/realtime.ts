// The socket.io events: what the platform pushes to the dashboards, by name. The server's `Server` and the
// dashboard's `io()` socket are both typed with this map, so an unknown name or a wrong payload does not compile.
import type { DutyCheck } from './control-room.js';
import type { Notification } from './notification.js';
import type { Alarm, CommandRecord, Ticket, WorkOrder } from './records.js';

/** Every event the platform pushes; the dashboard listens to each. */
export const liveEvents = ['alarm', 'alarm.escalated', 'workorder', 'ticket', 'notification', 'command', 'duty.check'] as const;
export type LiveEventName = (typeof liveEvents)[number];

/** Each event's payload (the records of contracts/records.ts). Every push is the whole record as it stands after the change (never a diff). */
export interface LivePayloads {
  /** An alarm was raised or changed. */
  alarm: Alarm;
  /** An unconfirmed alarm past its escalation mark (to the site's safety managers and the county bureau). */
  'alarm.escalated': Alarm;
  workorder: WorkOrder;
  /** A hazard ticket was reported or changed. */
  ticket: Ticket;
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
