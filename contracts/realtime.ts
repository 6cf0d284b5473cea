// The socket.io events: what the platform pushes to the dashboards, by name. The server's `Server` and the
// dashboard's `io()` socket are both typed with this map, so an unknown name or a wrong payload does not compile.
import type { Notification } from './notification.js';

/** Every event the platform pushes; the dashboard listens to each. */
export const liveEvents = ['alarm', 'alarm.escalated', 'workorder', 'ticket', 'notification', 'command'] as const;
export type LiveEventName = (typeof liveEvents)[number];

/**
 * The records the pushes carry. Their zod schemas are still in platform/schemas.ts, which contracts/ may not import,
 * so they come in as a type parameter: platform/schemas.ts fills it in (`LivePayloads`).
 */
export interface LiveRecords {
  alarm: unknown;
  workOrder: unknown;
  ticket: unknown;
  command: unknown;
}

/** Each event's payload. Every push is the whole record as it stands after the change (never a diff). */
export interface LivePayloadsOf<R extends LiveRecords> {
  /** An alarm was raised or changed. */
  alarm: R['alarm'];
  /** An unconfirmed alarm past its escalation mark (to the site's safety managers and the county bureau). */
  'alarm.escalated': R['alarm'];
  workorder: R['workOrder'];
  /** A hazard ticket was reported or changed. */
  ticket: R['ticket'];
  /** To an institution's viewers: rule notify effects, escalations, failed commands. */
  notification: Notification;
  /** A downlink command was acknowledged, refused or failed. */
  command: R['command'];
}

/** socket.io's map of what the server emits, for `Server<ClientToServerEvents, ServerToClientEvents<…>>`. */
export type ServerToClientEvents<P extends Record<LiveEventName, unknown>> = { [K in LiveEventName]: (payload: P[K]) => void };

/** The dashboard sends nothing over the socket: it acts over HTTP, and its rooms follow from who signed in. */
export type ClientToServerEvents = Record<never, never>;
