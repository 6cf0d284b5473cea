// Domain records as zod schemas: the single source of the types used by the store, the API and the sockets.
import { z } from 'zod';
import { DeviceFamily } from '../gateway/payloads.js';

export const RegionCode = z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 region code');
export const regionLevels = ['country', 'province', 'city', 'county'] as const;
export const RegionLevel = z.enum(regionLevels);

export const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: RegionLevel,
  parentCode: z.string().nullable(),
});
export type Region = z.infer<typeof Region>;

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');

export const Site = z.object({
  id: Id,
  name: z.string().min(1).max(128),
  kind: z.string().max(64).default('hospital'),
  regionCode: RegionCode,
  address: z.string().max(256).nullable().default(null),
  lat: z.number().min(-90).max(90).nullable().default(null),
  lng: z.number().min(-180).max(180).nullable().default(null),
});
export type Site = z.infer<typeof Site>;

export const NewDevice = z.object({
  id: Id,
  family: DeviceFamily,
  siteId: Id,
  model: z.string().max(64).nullable().default(null),
  building: z.string().max(64).nullable().default(null),
  floor: z.string().max(32).nullable().default(null),
  zone: z.string().max(128).nullable().default(null),
  heartbeatSec: z.number().int().min(10).max(86_400).default(300),
});
export type NewDevice = z.infer<typeof NewDevice>;

export const Device = NewDevice.extend({
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  online: z.boolean(),
  badMessages: z.number().int(),
  lastBadReason: z.string().nullable(),
  lastBadAt: z.string().nullable(),
});
export type Device = z.infer<typeof Device>;

export const alarmStatuses = ['new', 'acknowledged', 'confirmed', 'closed'] as const;
export const AlarmStatus = z.enum(alarmStatuses);

export const Alarm = z.object({
  id: z.string(),
  deviceId: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  regionCode: z.string(),
  family: DeviceFamily,
  type: z.string(),
  sourceKey: z.string(),
  status: AlarmStatus,
  count: z.number().int(),
  location: z.string(),
  data: z.record(z.string(), z.unknown()),
  raisedAt: z.string(),
  lastSeenAt: z.string(),
});
export type Alarm = z.infer<typeof Alarm>;

export const roles = ['admin', 'bureau', 'safety_manager', 'operator', 'logistics'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
  regionCode: z.string().nullable(),
  siteIds: z.array(z.string()),
});
export type User = z.infer<typeof User>;

export const OverviewRow = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'site']),
  institutions: z.number().int(),
  devices: z.number().int(),
  online: z.number().int(),
  onlineRate: z.number(),
  activeAlarms: z.number().int(),
});
export type OverviewRow = z.infer<typeof OverviewRow>;
