// The shapes the platform's API and socket send: the contracts' zod schemas (contracts/, one source of truth),
// named as the dashboard uses them; type-only imports are erased from the bundle.

/** What sign-in and refresh answer: a short-lived access token, the single-use refresh token for the next pair, and who signed in. */
export type SignedIn = TokenPair;
export type { Alarm, CommandRecord as Command, Device, User, WorkOrder } from '../../contracts/records';
import type { Alarm, Region, Ticket, WorkOrder } from '../../contracts/records';
import type { Notification } from '../../contracts/notification';
import type { TokenPair } from '../../contracts/http';

/** A push to an institution's viewers (rule notify effects, escalations, failed commands). */
export type { Notification };

// States and kinds as the records define them (not restated here).
export type AlarmFamily = Alarm['family'];
export type AlarmStatus = Alarm['status'];
export type AlarmOutcome = NonNullable<Alarm['outcome']>;
export type WorkOrderState = WorkOrder['state'];
// the categories a rule opens work orders in (the record keeps its category as text)
export type { WorkOrderCategory } from '../../contracts/rules';

/** The fields of a hazard ticket the device page lists (the tickets view has the full shape). */
export type TicketSummary = Pick<Ticket, 'id' | 'deviceId' | 'siteId' | 'siteName' | 'title' | 'titleEn' | 'level' | 'grade' | 'state' | 'count'
  | 'reportedAt' | 'lastSeenAt' | 'overdue' | 'location'>;

export type { DeviceDetail, TelemetryPoint, TelemetrySeries } from '../../contracts/http';

export type { Region } from '../../contracts/records';
export type RegionLevel = Region['level'];

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
