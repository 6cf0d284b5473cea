// Sites and devices as the hot path needs them, cached in memory (ingest must not query per message).
import type { DeviceFamily } from '../../gateway/payloads.js';
import type { Site } from '../schemas.js';
import type { Store } from '../store/store.js';
import type { Queryable } from '../store/executor.js';

export interface DeviceEntry {
  id: string;
  family: DeviceFamily;
  siteId: string;
  building: string | null;
  floor: string | null;
  zone: string | null;
  heartbeatSec: number;
}

/** Where a device is, as the duty room reads it: building / floor / zone (and a panel point's zone). */
export function describeLocation(device: Pick<DeviceEntry, 'building' | 'floor' | 'zone'>, pointZone?: unknown): string {
  return [device.building, device.floor, device.zone, typeof pointZone === 'string' ? pointZone : null].filter((p): p is string => Boolean(p)).join(' / ');
}

export class Directory {
  private readonly sites = new Map<string, Site>();
  private readonly devices = new Map<string, DeviceEntry>();

  constructor(private readonly store: Store) {}

  /** Inside a transaction, pass it as `q`: on PGlite a read beside an open transaction waits for it to end. */
  async site(id: string, q?: Queryable): Promise<Site | null> {
    const cached = this.sites.get(id);
    if (cached) return cached;
    const site = await this.store.getSite(id, q);
    if (site) this.sites.set(id, site);
    return site;
  }

  /** The cached site, for synchronous callers (the rules engine's context); null until first loaded. */
  cachedSite(id: string): Site | null {
    return this.sites.get(id) ?? null;
  }

  async device(id: string, q?: Queryable): Promise<DeviceEntry | null> {
    const cached = this.devices.get(id);
    if (cached) return cached;
    const device = await this.store.getDevice(id, [], q);
    if (!device) return null;
    const entry: DeviceEntry = { id: device.id, family: device.family, siteId: device.siteId, building: device.building, floor: device.floor, zone: device.zone, heartbeatSec: device.heartbeatSec };
    this.devices.set(id, entry);
    return entry;
  }

  forgetSite(id: string): void {
    this.sites.delete(id);
  }
}
