// Registering institutions and devices. A device's secret is shown once, stored only as a hash.
import { HttpError } from '../errors.js';
import type { RegionRegistry } from '../registry/regions.js';
import { NewDevice, type Site } from '../../contracts/records.js';
import { parseCsv } from './csv.js';
import { csvProblem, problem, valueProblem, type ImportProblem } from '../../contracts/device-import.js';
import type { DeviceSecrets } from './secrets.js';
import type { SiteCodes, Store } from '../store/store.js';
import type { DeviceEntry, Directory } from '../registry/sites.js';

/** What else must happen when a device is disabled or its secret changes (app.ts wires the gateway and rules). */
export interface DeviceRevocation {
  /** Closes the device's MQTT connection at once, if it has one. */
  disconnect(deviceId: string): void;
  /** The rules engine stops watching the device (it must not go "offline"). */
  forget(deviceId: string): void;
}

/** A bulk import's columns; `institution` is the site id. */
export const IMPORT_COLUMNS = ['id', 'family', 'model', 'institution', 'building', 'floor', 'zone', 'heartbeat_sec', 'gb_address'] as const;
const REQUIRED_COLUMNS = ['id', 'family', 'institution'] as const;
export const MAX_IMPORT_ROWS = 20_000;
/** NewDevice's field names as the file spells them. */
const columnOf: Record<string, string> = { siteId: 'institution', heartbeatSec: 'heartbeat_sec', gbAddress: 'gb_address' };

/** A transmission device is known by its GB/T 26875.3 address, and only a transmission device has one. */
export function gbAddressProblem(device: Pick<NewDevice, 'family' | 'gbAddress'>): 'gb_address.required' | 'gb_address.not_allowed' | null {
  const isTransmission = device.family === 'transmission_device';
  if (isTransmission && !device.gbAddress) return 'gb_address.required';
  if (!isTransmission && device.gbAddress) return 'gb_address.not_allowed';
  return null;
}

const gbAddressMessages = {
  'gb_address.required': 'a transmission device needs its GB/T 26875.3 address (12 hex digits)',
  'gb_address.not_allowed': 'only a transmission device has a GB/T 26875.3 address',
} as const;

export type ImportResult = { ok: true; devices: { id: string; secret: string }[] } | { ok: false; errors: ImportProblem[] };

export class Provisioning {
  constructor(
    private readonly store: Store,
    private readonly regions: RegionRegistry,
    private readonly directory: Directory,
    private readonly secrets: DeviceSecrets,
    /** Told of each device provisioned one by one (the rules engine starts watching it). */
    private readonly onProvisioned: (device: DeviceEntry) => Promise<void> = async () => undefined,
    private readonly revocation: DeviceRevocation = { disconnect: () => undefined, forget: () => undefined },
    /** Told of each institution saved (a cluster's other nodes read it again: its name, deadlines, webhook). */
    private readonly onSiteSaved: (siteId: string) => void = () => undefined,
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
    this.onSiteSaved(site.id);
  }

  async provisionDevice(input: NewDevice): Promise<{ id: string; secret: string }> {
    const device = { ...input, gbAddress: input.gbAddress?.toUpperCase() ?? null };
    const wrongAddress = gbAddressProblem(device);
    if (wrongAddress) throw new HttpError(400, `gbAddress: ${gbAddressMessages[wrongAddress]}`);
    if (!(await this.store.getSite(device.siteId))) throw new HttpError(400, `siteId: no institution ${device.siteId}`);
    if (device.gbAddress && (await this.store.deviceByGbAddress(device.gbAddress))) throw new HttpError(409, `gbAddress: ${device.gbAddress} belongs to another device`);
    const { secret, hash } = this.secrets.issue();
    const created = await this.store.createDevice(device, hash);
    if (!created) throw new HttpError(409, `id: device ${device.id} already exists`);
    await this.onProvisioned({ ...device, heartbeatSec: device.heartbeatSec });
    return { id: device.id, secret };
  }

  /** Disables (closing its connection at once) or enables a device; false when it does not exist. */
  async setDisabled(deviceId: string, disabled: boolean): Promise<boolean> {
    if (!(await this.store.setDeviceDisabled(deviceId, disabled))) return false;
    if (disabled) {
      this.revocation.disconnect(deviceId);
      this.revocation.forget(deviceId);
    } else {
      const device = await this.directory.device(deviceId);
      if (device) await this.onProvisioned(device);
    }
    return true;
  }

  /** A new secret, shown this once; the old one stops working and a connection made with it is closed. */
  async rotateSecret(deviceId: string): Promise<string | null> {
    const { secret, hash } = this.secrets.issue();
    if (!(await this.store.setDeviceSecret(deviceId, hash))) return null;
    this.revocation.disconnect(deviceId);
    return secret;
  }

  /**
   * Devices from a CSV file, all or nothing: every bad row is reported (line, field, a code and what words it) and
   * then nothing is imported; otherwise every device is created in one transaction.
   */
  async importCsv(text: string): Promise<ImportResult> {
    const parsed = parseCsv(text);
    if (!parsed.ok) return { ok: false, errors: [csvProblem(parsed.line, parsed.fault, parsed.message)] };
    const [header, ...rows] = parsed.records;
    const columns = IMPORT_COLUMNS.join(',');
    if (!header) return { ok: false, errors: [problem(1, null, 'file.empty', `empty file: expected a header ${columns}`, { columns })] };
    const names = header.fields.map((f) => f.trim().toLowerCase());
    const errors: ImportProblem[] = [];
    for (const name of names) {
      if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) errors.push(problem(header.line, name, 'column.unknown', `unknown column; the columns are ${columns}`, { value: name, columns }));
    }
    for (const name of REQUIRED_COLUMNS) {
      if (!names.includes(name)) errors.push(problem(header.line, name, 'column.missing', 'required column missing'));
    }
    if (rows.length === 0) errors.push(problem(header.line, null, 'file.no_devices', 'no devices after the header'));
    if (rows.length > MAX_IMPORT_ROWS) errors.push(problem(header.line, null, 'file.too_many_rows', `at most ${MAX_IMPORT_ROWS} devices per file`, { max: MAX_IMPORT_ROWS }));
    if (errors.length) return { ok: false, errors };

    const devices: { line: number; device: NewDevice }[] = [];
    const siteRefs: { line: number; siteId: string }[] = []; // checked for every row, valid or not
    const seen = new Map<string, number>();
    const seenAddresses = new Map<string, number>();
    for (const row of rows) {
      if (row.fields.length !== names.length) {
        errors.push(problem(row.line, null, 'row.field_count', `${row.fields.length} fields, the header has ${names.length}`, { found: row.fields.length, expected: names.length }));
        continue;
      }
      const cell = (name: string) => {
        const i = names.indexOf(name);
        const value = i < 0 ? '' : row.fields[i]!.trim();
        return value === '' ? undefined : value;
      };
      const heartbeat = cell('heartbeat_sec');
      const result = NewDevice.safeParse({
        id: cell('id') ?? '', family: cell('family') ?? '', siteId: cell('institution') ?? '',
        model: cell('model') ?? null, building: cell('building') ?? null, floor: cell('floor') ?? null, zone: cell('zone') ?? null,
        heartbeatSec: heartbeat === undefined ? undefined : /^\d+$/.test(heartbeat) ? Number(heartbeat) : heartbeat,
        gbAddress: cell('gb_address')?.toUpperCase() ?? null,
      });
      if (!result.success) {
        // one problem per cell: an empty id is not also told it has characters it may not have
        const fields = new Set<string>();
        for (const issue of result.error.issues) {
          const key = String(issue.path[0] ?? '');
          if (fields.has(key)) continue;
          fields.add(key);
          const column = columnOf[key] ?? key;
          errors.push(valueProblem(row.line, column, cell(column) ?? '', issue));
        }
        const siteId = cell('institution');
        if (siteId && !fields.has('siteId')) siteRefs.push({ line: row.line, siteId });
        continue;
      }
      siteRefs.push({ line: row.line, siteId: result.data.siteId });
      const wrongAddress = gbAddressProblem(result.data);
      if (wrongAddress) errors.push(problem(row.line, 'gb_address', wrongAddress, gbAddressMessages[wrongAddress], { value: cell('gb_address') ?? '' }));
      const gb = result.data.gbAddress;
      if (gb && seenAddresses.has(gb)) errors.push(problem(row.line, 'gb_address', 'gb_address.duplicate', `${gb} is already on line ${seenAddresses.get(gb)}`, { value: gb, firstLine: seenAddresses.get(gb)! }));
      else if (gb) seenAddresses.set(gb, row.line);
      const first = seen.get(result.data.id);
      if (first !== undefined) errors.push(problem(row.line, 'id', 'id.duplicate', `${result.data.id} is already on line ${first}`, { value: result.data.id, firstLine: first }));
      else seen.set(result.data.id, row.line);
      devices.push({ line: row.line, device: result.data });
    }

    const siteIds = [...new Set(siteRefs.map((r) => r.siteId))];
    const known = new Set((await Promise.all(siteIds.map((id) => this.store.getSite(id)))).filter((s) => s !== null).map((s) => s.id));
    for (const { line, siteId } of siteRefs) {
      if (!known.has(siteId)) errors.push(problem(line, 'institution', 'institution.unknown', `no institution ${siteId}`, { value: siteId }));
    }
    const existing = new Set(await this.store.existingDeviceIds(devices.map((d) => d.device.id)));
    for (const { line, device } of devices) {
      if (existing.has(device.id)) errors.push(problem(line, 'id', 'id.exists', `device ${device.id} already exists`, { value: device.id }));
    }
    const taken = new Set(await this.store.existingGbAddresses(devices.flatMap((d) => (d.device.gbAddress ? [d.device.gbAddress] : []))));
    for (const { line, device } of devices) {
      if (device.gbAddress && taken.has(device.gbAddress)) errors.push(problem(line, 'gb_address', 'gb_address.exists', `${device.gbAddress} belongs to another device`, { value: device.gbAddress }));
    }
    // by line, and within a line in column order
    const column = (field: string | null) => (IMPORT_COLUMNS as readonly (string | null)[]).indexOf(field);
    if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line || column(a.field) - column(b.field)) };

    const secrets = await this.provisionMany(devices.map((d) => d.device));
    for (const { device } of devices) await this.onProvisioned(device);
    return { ok: true, devices: devices.map(({ device }) => ({ id: device.id, secret: secrets.get(device.id)! })) };
  }

  /** Many devices at once (demo seeding); returns each device's secret. */
  async provisionMany(devices: readonly NewDevice[]): Promise<Map<string, string>> {
    const secrets = new Map<string, string>();
    const rows = devices.map((device) => {
      const { secret, hash } = this.secrets.issue();
      secrets.set(device.id, secret);
      return { device, secretHash: hash };
    });
    await this.store.createDevices(rows);
    return secrets;
  }
}
