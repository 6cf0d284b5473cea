// Provisions simulated devices on any running FireNet over its HTTP API, when no fleet file is at hand.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DeviceFamily } from '../contracts/device-api.js';
import type { FleetDevice } from '../contracts/fleet-file.js';

const LoginResponse = z.object({ token: z.string().min(1) });
const Site = z.object({ id: z.string().min(1), name: z.string(), regionCode: z.string() });
export type Site = z.infer<typeof Site>;
const Provisioned = z.object({ id: z.string().min(1), secret: z.string().min(1) });

export interface ProvisionOptions {
  /** Base URL of the platform, e.g. http://127.0.0.1:8080. */
  api: string;
  token: string;
  count: number;
  logger: Logger;
  /** Prefix of the device ids; a per-run tag follows it so reruns do not collide. Default "sim". */
  idPrefix?: string;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
}

/** A health institution's typical mix: mostly detectors, one panel per building, some chargers and cabinets. */
const familyMix: ReadonlyArray<{ family: DeviceFamily; tag: string; share: number; model: string; heartbeatSec: number }> = [
  { family: 'smoke_detector', tag: 'sd', share: 0.7, model: 'JTY-GD-SIM', heartbeatSec: 60 },
  { family: 'fire_panel', tag: 'fp', share: 0.05, model: 'JB-QB-SIM', heartbeatSec: 60 },
  { family: 'charging_station', tag: 'cs', share: 0.15, model: 'CDZ-SIM-10', heartbeatSec: 30 },
  { family: 'hazmat_cabinet', tag: 'hc', share: 0.1, model: 'WHG-SIM', heartbeatSec: 30 },
];

const zonesByFamily: Record<DeviceFamily, readonly string[]> = {
  smoke_detector: ['3F 内科病区', '4F 外科病区', '6F 儿科病区', '1F 急诊科', '2F 门诊大厅', '7F ICU'],
  fire_panel: ['1F 消防控制室'],
  charging_station: ['室外 电动自行车棚', 'B1 充电区'],
  hazmat_cabinet: ['3F 检验科', 'B1 药库', '5F 病理科'],
  transmission_device: ['1F 消防控制室'],
};

export class ApiError extends Error {
  constructor(readonly status: number, readonly url: string, detail: string) {
    super(`${url} answered ${status}: ${detail}`);
    this.name = 'ApiError';
  }
}

async function call<T>(schema: z.ZodType<T>, url: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  } catch (err) {
    throw new Error(`cannot reach ${url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, url, text.slice(0, 300) || res.statusText);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url} did not answer JSON: ${text.slice(0, 120)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${url} answered an unexpected shape: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const endpoint = (api: string, path: string): string => new URL(path, api.endsWith('/') ? api : `${api}/`).toString();

export async function login(api: string, username: string, password: string): Promise<string> {
  const { token } = await call(LoginResponse, endpoint(api, 'api/auth/login'), {
    method: 'POST',
    body: JSON.stringify({ username, password }),
  });
  return token;
}

export async function listSites(api: string, token: string): Promise<Site[]> {
  return call(z.array(Site), endpoint(api, 'api/sites'), { headers: { authorization: `Bearer ${token}` } });
}

type FamilyMix = (typeof familyMix)[number];
const GOLDEN = 0.618033988749895;
const firstFamilies: readonly DeviceFamily[] = ['smoke_detector', 'charging_station', 'hazmat_cabinet', 'fire_panel'];

/** The family of the i-th provisioned device: the first four cover every family, then a golden-ratio walk follows the shares. */
export function familyFor(i: number): FamilyMix {
  const first = firstFamilies[i];
  if (first) return familyMix.find((m) => m.family === first) as FamilyMix;
  const x = (i * GOLDEN) % 1;
  let acc = 0;
  for (const mix of familyMix) {
    acc += mix.share;
    if (x < acc) return mix;
  }
  return familyMix[0] as FamilyMix;
}

/** Registers `count` devices spread over the platform's sites and returns them as fleet-file entries. */
export async function provisionDevices(options: ProvisionOptions): Promise<FleetDevice[]> {
  const { api, token, count, logger } = options;
  const sites = await listSites(api, token);
  if (!sites.length) throw new Error(`${endpoint(api, 'api/sites')} lists no sites; create a site first`);
  const runTag = Date.now().toString(36).slice(-5);
  const prefix = `${options.idPrefix ?? 'sim'}-${runTag}`;
  const devices: FleetDevice[] = new Array(count);
  let next = 0;
  let failed = false;

  const worker = async (): Promise<void> => {
    while (next < count && !failed) {
      const i = next++;
      const mix = familyFor(i);
      const site = sites[i % sites.length] as Site;
      const zones = zonesByFamily[mix.family];
      const zone = zones[Math.floor(i / sites.length) % zones.length] as string;
      const body = { id: `${prefix}-${mix.tag}-${String(i + 1).padStart(5, '0')}`, family: mix.family, siteId: site.id, model: mix.model, zone, heartbeatSec: mix.heartbeatSec };
      const { id, secret } = await call(Provisioned, endpoint(api, 'api/devices'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      }).catch((err: unknown) => {
        failed = true; // the other workers stop instead of repeating the same error
        throw err;
      });
      devices[i] = { id, family: mix.family, secret, heartbeatSec: mix.heartbeatSec, siteId: site.id, zone };
    }
  };
  logger.info({ api, count, sites: sites.length, prefix }, 'provisioning devices');
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, count) }, worker));
  logger.info({ count }, 'devices provisioned');
  return devices;
}
