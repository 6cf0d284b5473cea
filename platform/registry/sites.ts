// Sites and devices as the hot path needs them, cached in memory (ingest must not query per message).
import type { AlarmDevice } from '../alarms/raise.js';
import type { Site } from '../schemas.js';
import type { Store } from '../store/store.js';

export class Directory {
  private readonly sites = new Map<string, Site>();
  private readonly devices = new Map<string, AlarmDevice>();

  constructor(private readonly store: Store) {}

  async site(id: string): Promise<Site | null> {
    const cached = this.sites.get(id);
    if (cached) return cached;
    const site = await this.store.getSite(id);
    if (site) this.sites.set(id, site);
    return site;
  }

  async device(id: string): Promise<AlarmDevice | null> {
    const cached = this.devices.get(id);
    if (cached) return cached;
    const device = await this.store.getDevice(id);
    if (!device) return null;
    const entry: AlarmDevice = { id: device.id, family: device.family, siteId: device.siteId, building: device.building, floor: device.floor, zone: device.zone };
    this.devices.set(id, entry);
    return entry;
  }

  forgetSite(id: string): void {
    this.sites.delete(id);
  }
}
