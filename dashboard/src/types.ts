// The shapes the platform's API and socket send, as the dashboard relies on them.

// The records, HTTP answers and pushes the server sends are typed by the contracts' zod schemas (one source of truth,
// contracts/); type-only imports are erased from the bundle.

/** What sign-in and refresh answer: a short-lived access token, the single-use refresh token for the next pair, and who signed in. */
export type SignedIn = TokenPair;
export type { Alarm, CommandRecord as Command, Device, User, WorkOrder } from '../../contracts/records';
import type { Alarm, CommandRecord as Command, Device, Region, Ticket, User, WorkOrder } from '../../contracts/records';
import type { Notification } from '../../contracts/notification';
import type { TokenPair } from '../../contracts/http';

/** A push to an institution's viewers (rule notify effects, escalations, failed commands). */
export type { Notification };

// States and kinds as the records define them (not restated here).
export type AlarmFamily = Alarm['family'];
export type AlarmStatus = Alarm['status'];
export type AlarmOutcome = NonNullable<Alarm['outcome']>;
export type WorkOrderState = WorkOrder['state'];
// the server keeps a work order's category as free text; these are the ones the dashboard words
export type WorkOrderCategory = 'offline' | 'battery' | 'fault' | 'power' | 'tamper' | 'false_alarms' | 'command_failed';

/** The fields of a hazard ticket the device page lists (the tickets view has the full shape). */
export type TicketSummary = Pick<Ticket, 'id' | 'deviceId' | 'siteId' | 'siteName' | 'title' | 'titleEn' | 'level' | 'grade' | 'state' | 'count'
  | 'reportedAt' | 'lastSeenAt' | 'overdue' | 'location'>;

export interface BadMessage {
  topic: string;
  reason: string;
  size: number;
  receivedAt: string;
}

export interface DeviceDetail extends Device {
  recentBadMessages: BadMessage[];
}


export type TelemetryPoint =
  | { t: string; port: number | null; value: number | boolean }
  | { t: string; port: number | null; min: number; max: number; avg: number; last: number; count: number };

export interface TelemetrySeries {
  deviceId: string;
  metric: string;
  step: 'raw' | '1m' | '1h';
  from: string;
  to: string;
  points: TelemetryPoint[];
}

export type { Region } from '../../contracts/records';
export type RegionLevel = Region['level'];

export interface RegionCounts extends Region {
  institutions: number;
  devices: number;
  online: number;
  /** 0..1 */
  onlineRate: number | null;
  activeAlarms: number;
}

export interface Overview {
  region: Region;
  children: RegionCounts[];
}

/** An alarm list read over HTTP keeps only the rows that look like alarms: a malformed one must not break the desk. */
export function isAlarm(value: unknown): value is Alarm {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    typeof a.id === 'string' &&
    typeof a.status === 'string' &&
    typeof a.type === 'string' &&
    typeof a.family === 'string' &&
    typeof a.raisedAt === 'string'
  );
}
