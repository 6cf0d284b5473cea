// Demo mode: on an empty database, seed the demo province, its fleet and one user per role,
// and write the fleet's credentials to DATA_DIR/demo-fleet.json for the simulator.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DEMO_PASSWORD, type Users } from '../auth/users.js';
import type { Provisioning } from '../devices/provisioning.js';
import type { Store } from '../store/store.js';
import { parseFleetFile, type FleetFile } from '../../contracts/fleet-file.js';
import { demoDevices, demoSites, demoUsers } from './province.js';
import { seedDemoDuties } from './duties.js';
import { seedDemoHistory } from './history.js';
import { seedDemoChecks } from './checks.js';

/** The demo's devices and how they sign in, as the fleet file lists them. */
export type DemoDevices = FleetFile['devices'];

export function fleetFilePath(dataDir: string): string {
  return join(dataDir, 'demo-fleet.json');
}

/** Seeds once; later starts read the fleet file back. Returns null when the fleet's secrets are not at hand. */
export async function seedDemo(deps: { store: Store; provisioning: Provisioning; users: Users; dataDir: string; devices: number; logger: Logger }): Promise<FleetFile | null> {
  const { store, provisioning, users, logger } = deps;
  for (const u of demoUsers) await users.ensureUser({ ...u, siteIds: [...u.siteIds] }, DEMO_PASSWORD);
  const path = fleetFilePath(deps.dataDir);

  if ((await store.countSites()) > 0) {
    try {
      return parseFleetFile(JSON.parse(await readFile(path, 'utf8')), path);
    } catch (err) {
      logger.warn({ err: (err as Error).message, path }, 'database already seeded but the demo fleet file is unreadable: no simulated fleet');
      return null;
    }
  }

  const sites = demoSites();
  for (const site of sites) await provisioning.saveSite(site);
  const devices = demoDevices(sites, deps.devices);
  const secrets = await provisioning.provisionMany(devices);
  await seedDemoHistory(store, sites, Date.now());
  await seedDemoChecks(store, sites, Date.now());
  const demoOperators = new Map(demoUsers.filter((u) => u.role === 'operator').flatMap((u) => u.siteIds.map((siteId) => [siteId, u.username] as const)));
  await seedDemoDuties(store, sites, Date.now(), demoOperators);
  const fleet: FleetFile = {
    devices: devices.map((d) => ({ id: d.id, family: d.family, secret: secrets.get(d.id)!, heartbeatSec: d.heartbeatSec, siteId: d.siteId, zone: d.zone ?? undefined, ...(d.gbAddress ? { gbAddress: d.gbAddress } : {}) })),
  };
  await mkdir(deps.dataDir, { recursive: true });
  await writeFile(path, JSON.stringify(fleet), { mode: 0o600 });
  await chmod(path, 0o600);
  logger.info({ sites: sites.length, devices: devices.length, path }, 'demo province seeded');
  return fleet;
}
