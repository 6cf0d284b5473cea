// The shapes the platform's API and socket send, as the dashboard relies on them.

export interface User {
  id: string;
  username: string;
  role: string;
  regionCode?: string;
  siteIds?: string[];
}

export interface LoginResponse {
  token: string;
  user: User;
}

export type AlarmFamily = 'smoke_detector' | 'fire_panel' | 'charging_station' | 'hazmat_cabinet';
export type AlarmType = 'smoke.alarm' | 'fire.alarm';
export type AlarmStatus = 'new' | 'acknowledged' | 'confirmed' | 'closed';

export interface Alarm {
  id: string;
  deviceId: string;
  siteId: string;
  siteName: string;
  regionCode: string;
  family: AlarmFamily;
  type: AlarmType;
  status: AlarmStatus;
  count: number;
  raisedAt: string;
  lastSeenAt: string;
  /** Zone/building/floor typed by people: always rendered as text. */
  location: string;
}

export type RegionLevel = 'country' | 'province' | 'city' | 'county';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
}

export interface RegionCounts extends Region {
  institutions: number;
  devices: number;
  online: number;
  /** 0..1 */
  onlineRate: number;
  activeAlarms: number;
}

export interface Overview {
  region: Region;
  children: RegionCounts[];
}

/** A socket payload is checked before it reaches the list: a malformed one must not break the screen. */
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
