// Sites and devices as the hot path needs them, cached in memory (ingest must not query per message).
import type { Site } from '../../contracts/records.js';
import type { DevicePlace, Store } from '../store/store.js';
import { LookupBatch } from './lookup-batch.js';
import type { Queryable } from '../store/executor.js';

export type DeviceEntry = DevicePlace;

/** Where a device is, as the duty room reads it: building / floor / zone (and a panel point's zone). */
export function describeLocation(device: Pick<DeviceEntry, 'building' | 'floor' | 'zone'>, pointZone?: unknown): string {
  return [device.building, device.floor, device.zone, typeof pointZone === 'string' ? pointZone : null].filter((p): p is string => Boolean(p)).join(' / ');
}

export class Directory {
  // Promises, not values: a burst of messages from a device not yet cached makes one query, not one each.
  private readonly sites = new Map<string, Promise<Site | null>>();
  private readonly devices = new Map<string, Promise<DeviceEntry | null>>();
  private readonly loadedSites = new Map<string, Site>();
  /** Devices not cached yet, looked up together (after a restart every device's first message misses at once). */
  private readonly lookups: LookupBatch<DeviceEntry>;

  constructor(private readonly store: Store) {
    this.lookups = new LookupBatch(async (ids) => new Map((await store.devicePlaces(ids)).map((d) => [d.id, d])));
  }

  /** Inside a transaction, pass it as `q`: on PGlite a read beside an open transaction waits for it to end. */
  site(id: string, q?: Queryable): Promise<Site | null> {
    return this.cached(this.sites, id, async () => {
      const site = await this.store.getSite(id, q);
      if (site) this.loadedSites.set(id, site);
      return site;
    });
  }

  /** The cached site, for synchronous callers (the rules engine's context); null until first loaded. */
  cachedSite(id: string): Site | null {
    return this.loadedSites.get(id) ?? null;
  }

  device(id: string, q?: Queryable): Promise<DeviceEntry | null> {
    return this.cached(this.devices, id, async () => (q ? (await this.store.devicePlaces([id], q))[0] ?? null : this.lookups.load(id)));
  }

  forgetSite(id: string): void {
    this.sites.delete(id);
    this.loadedSites.delete(id);
  }

  /** Caches what was found; a miss or a failure is asked again next time. */
  private cached<T>(map: Map<string, Promise<T | null>>, id: string, load: () => Promise<T | null>): Promise<T | null> {
    const hit = map.get(id);
    if (hit) return hit;
    const loading = load().then((value) => {
      if (value === null) map.delete(id);
      return value;
    }, (err: unknown) => {
      map.delete(id);
      throw err;
    });
    map.set(id, loading);
    return loading;
  }
}
