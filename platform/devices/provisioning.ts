// Registering institutions and devices. A device's secret is shown once, stored only as a hash.
import { hashSecret, newDeviceSecret, SECRET_COST } from '../auth/hash.js';
import { HttpError } from '../errors.js';
import type { RegionRegistry } from '../registry/regions.js';
import type { NewDevice, Site } from '../schemas.js';
import type { SiteCodes, Store } from '../store/store.js';
import type { DeviceEntry, Directory } from '../registry/sites.js';

export class Provisioning {
  constructor(
    private readonly store: Store,
    private readonly regions: RegionRegistry,
    private readonly directory: Directory,
    /** Told of each device provisioned one by one (the rules engine starts watching it). */
    private readonly onProvisioned: (device: DeviceEntry) => Promise<void> = async () => undefined,
  ) {}

  /** Province, city and county codes of a county-level region; 400 for anything else. */
  siteCodes(regionCode: string): SiteCodes {
    const lineage = this.regions.lineage(regionCode);
    const county = lineage[0];
    if (!county || county.level !== 'county') throw new HttpError(400, `regionCode: ${regionCode} is not a known county-level region code`);
    const city = lineage.find((r) => r.level === 'city')!;
    const province = lineage.find((r) => r.level === 'province')!;
    return { regionCode, cityCode: city.code, provinceCode: province.code };
  }

  async saveSite(site: Site): Promise<void> {
    await this.store.upsertSite(site, this.siteCodes(site.regionCode));
    this.directory.forgetSite(site.id);
  }

  async provisionDevice(device: NewDevice): Promise<{ id: string; secret: string }> {
    if (!(await this.store.getSite(device.siteId))) throw new HttpError(400, `siteId: no institution ${device.siteId}`);
    const secret = newDeviceSecret();
    const created = await this.store.createDevice(device, await hashSecret(secret, SECRET_COST));
    if (!created) throw new HttpError(409, `id: device ${device.id} already exists`);
    await this.onProvisioned({ ...device, heartbeatSec: device.heartbeatSec });
    return { id: device.id, secret };
  }

  /** Many devices at once (demo seeding); returns each device's secret. */
  async provisionMany(devices: readonly NewDevice[]): Promise<Map<string, string>> {
    const secrets = new Map<string, string>();
    const rows = await Promise.all(devices.map(async (device) => {
      const secret = newDeviceSecret();
      secrets.set(device.id, secret);
      return { device, secretHash: await hashSecret(secret, SECRET_COST) };
    }));
    await this.store.createDevices(rows);
    return secrets;
  }
}
