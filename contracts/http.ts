// The HTTP API's bodies and answers that are not records themselves: sign-in, the steps on work orders and hazard
// tickets, an institution's page. The routes validate with them, the dashboard types its calls with them.
import { z } from 'zod';
import { DeviceFamily } from './device-api.js';
import { Alarm, Device, Region, Site, Ticket, User } from './records.js';
import { HazardCounts, Inspection } from './reports.js';
import { PlausibleIso } from './times.js';

const Count = z.number().int();

// ---- sign-in

export const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
/** What sign-in and refresh answer: a short-lived access token, the single-use refresh token for the next pair, and who signed in. */
export const TokenPair = z.object({
  token: z.string().describe('access token: Authorization: Bearer <token>'),
  expiresAt: z.string(),
  refreshToken: z.string().describe('single use: POST /api/auth/refresh before expiresAt for the next pair'),
  refreshExpiresAt: z.string(),
  user: User,
});
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(256) });
export type TokenPair = z.infer<typeof TokenPair>;

// ---- steps on records

export const WorkOrderAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assignee: z.string().min(1).max(64), note: z.string().max(1000).optional() }),
  z.object({ action: z.literal('fix'), note: z.string().max(1000).optional() }),
  z.object({ action: z.literal('verify'), note: z.string().max(1000).optional() }),
  /** The fix did not hold: back to the assignee. */
  z.object({ action: z.literal('reject'), note: z.string().min(1).max(1000) }),
]);
export type WorkOrderAction = z.infer<typeof WorkOrderAction>;

const Text = z.string().trim().min(1).max(2000);

/** 五落实: responsibility (owner), funds, measures, deadline, contingency plan. */
export const FiveInPlace = z.object({
  owner: Text,
  funds: Text,
  measures: Text,
  deadline: PlausibleIso,
  contingencyPlan: Text,
});
export type FiveInPlace = z.infer<typeof FiveInPlace>;

export const TicketTransition = z.discriminatedUnion('to', [
  /** A major hazard is registered with its acceptance criteria (验收标准) too. */
  FiveInPlace.extend({ to: z.literal('registered'), acceptanceCriteria: z.string().trim().max(2000).optional(), note: z.string().max(2000).optional() }),
  z.object({ to: z.literal('rectifying'), note: z.string().max(2000).optional() }),
  z.object({ to: z.literal('pending_verification'), note: Text }),
  /** A major hazard's rectification verified by the institution; the county bureau approves its closing. */
  z.object({ to: z.literal('verified'), note: z.string().max(2000).optional() }),
  z.object({ to: z.literal('closed'), note: z.string().max(2000).optional() }),
]);
export type TicketTransition = z.infer<typeof TicketTransition>;

// ---- a device's page

/** A message from the device that was refused (bad topic, payload or size). */
export const BadMessage = z.object({ topic: z.string(), reason: z.string(), size: z.number(), receivedAt: z.string() });

/** GET /api/devices/:id: the device with its latest refused messages. */
export const DeviceDetail = Device.extend({ recentBadMessages: z.array(BadMessage) });
export type DeviceDetail = z.infer<typeof DeviceDetail>;

/** A reading as stored (raw), or a bucket's rollup. */
export const TelemetryPoint = z.union([
  z.object({ t: z.string(), port: z.number().nullable(), value: z.union([z.number(), z.boolean()]) }),
  z.object({ t: z.string(), port: z.number().nullable(), min: z.number(), max: z.number(), avg: z.number(), last: z.number(), count: z.number().int() }),
]);
export type TelemetryPoint = z.infer<typeof TelemetryPoint>;

export const TelemetryStep = z.enum(['raw', '1m', '1h']);

/** GET /api/devices/:id/telemetry: a metric's history over a span. */
export const TelemetrySeries = z.object({ deviceId: z.string(), metric: z.string(), step: TelemetryStep, from: z.string(), to: z.string(), points: z.array(TelemetryPoint) });
export type TelemetrySeries = z.infer<typeof TelemetrySeries>;

// ---- an institution's page

/** GET /api/sites/:id/page: one institution's page in one answer. */
export const SitePage = z.object({
  site: Site,
  /** The regions the institution lies in, province first (the country left out). */
  lineage: z.array(Region),
  figures: z.object({
    devices: Count,
    online: Count,
    /** null: no devices. */
    onlineRate: z.number().nullable(),
    activeAlarms: Count,
    openHazards: HazardCounts,
    overdueRectifications: Count,
    /** Inspections of the last 30 days, by kind of the 日周月 rhythm. */
    checks: z.object({ daily: Count, weekly: Count, monthly: Count }),
  }),
  /** Every device counted by family: how many, online, offline, disabled. */
  families: z.array(z.object({ family: DeviceFamily, devices: Count, online: Count, offline: Count, disabled: Count })),
  /** Active alarms, newest first. */
  alarms: z.array(Alarm),
  /** Open hazard tickets, newest first. */
  tickets: z.array(Ticket),
  /** The latest inspections, newest first. */
  inspections: z.array(Inspection),
});
export type SitePage = z.infer<typeof SitePage>;
