// Which device events are fire alarms, and what identifies "the same alarm again".
// Pure: plain data in, plain data out.
import { fireAlarmTypes, type DeviceEvent, type DeviceFamily } from '../../gateway/payloads.js';
import type { AlarmRaise } from '../store/store.js';

export interface AlarmDevice {
  id: string;
  family: DeviceFamily;
  siteId: string;
  building: string | null;
  floor: string | null;
  zone: string | null;
}

export interface AlarmSite {
  id: string;
  regionCode: string;
}

/**
 * A fire alarm event raises (or repeats) an alarm. Repeats are keyed by source: a detector
 * has one source; a panel has one per loop and point, so two points in alarm are two alarms.
 */
export function alarmRaiseFor(device: AlarmDevice, site: AlarmSite, event: DeviceEvent): AlarmRaise | null {
  if (!fireAlarmTypes.has(event.type)) return null;
  const { loop, point, zone } = event.data as { loop?: number; point?: number; zone?: string };
  const sourceKey = event.type === 'fire.alarm' ? `${event.type}:${loop}:${point}` : event.type;
  return {
    siteId: site.id,
    regionCode: site.regionCode,
    family: device.family,
    type: event.type,
    sourceKey,
    location: describeLocation(device, zone),
    data: event.data,
  };
}

export function describeLocation(device: Pick<AlarmDevice, 'building' | 'floor' | 'zone'>, pointZone?: string): string {
  return [device.building, device.floor, device.zone, pointZone].filter((p): p is string => Boolean(p)).join(' / ');
}
