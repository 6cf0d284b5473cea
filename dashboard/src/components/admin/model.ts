// What the administration view reads and sends: users and API tokens with their role and scope, audit entries,
// and the names that scopes are shown by (institutions, regions), fetched once and shared.
import { reactive, shallowRef } from 'vue';
import { api } from '../../api';
import { fetchEvery, MAX_PAGE } from '../../paging';
import { ta } from '../../messages/admin';
import { ts } from '../../messages/shell';
import type { ApiToken, AuditLogEntry, AuditObject, Role, User } from '../../../../contracts/records';
import type { Site } from '../overview/model';

/** An audit entry with the record it names, by name. */
export type AuditEntry = AuditLogEntry & { object: AuditObject | null };
export type { ApiToken, AuditObject, Role, User };

/** In the order the role select lists them. */
export const roleOptions = ['operator', 'safety_manager', 'logistics', 'bureau', 'admin'] as const satisfies readonly Role[];

/** A role and its scope, as POST /api/users, PATCH /api/users/:id and POST /api/tokens take them. */
export type Scope = Pick<User, 'role' | 'regionCode' | 'siteIds'>;

export type IssuedApiToken = ApiToken & { token: string };

export const COUNTRY = '000000';

export function isSiteRole(role: Role): boolean {
  return role !== 'admin' && role !== 'bureau';
}

export function roleName(role: string): string {
  const text = ts(`role.${role}` as Parameters<typeof ts>[0]);
  return text.startsWith('role.') ? role : text;
}

/** What the server stores for a role: a bureau keeps only its region, site roles only their institutions. */
export function normalizedScope(scope: Scope): Scope {
  if (scope.role === 'admin') return { role: 'admin', regionCode: null, siteIds: [] };
  if (scope.role === 'bureau') return { role: 'bureau', regionCode: scope.regionCode, siteIds: [] };
  return { role: scope.role, regionCode: null, siteIds: [...new Set(scope.siteIds)] };
}

/** Why the scope cannot be sent yet, or null when it is complete. */
export function scopeProblem(scope: Scope): string | null {
  if (scope.role === 'bureau' && (!scope.regionCode || scope.regionCode === COUNTRY)) return ta('scope.regionNeeded');
  if (isSiteRole(scope.role) && scope.siteIds.length === 0) return ta('scope.sitesNeeded');
  return null;
}

// ---- names: institutions (GET /api/sites) and regions (GET /api/regions/:code, with its parents)

const sites = shallowRef<Site[]>([]);
const siteNames = reactive(new Map<string, string>());
const regionPaths = reactive(new Map<string, string>());
let sitesLoad: Promise<void> | null = null;
const regionLoads = new Map<string, Promise<void>>();

/** The institutions the signed-in user sees (an admin: all), loaded once per page. */
export function useSites(): { sites: typeof sites; reload: () => Promise<void> } {
  sitesLoad ??= loadSites();
  return { sites, reload: loadSites };
}

async function loadSites(): Promise<void> {
  try {
    const list = await fetchEvery<Site>('/api/sites', { pageSize: MAX_PAGE.sites });
    sites.value = [...list].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    siteNames.clear();
    for (const site of list) siteNames.set(site.id, site.name);
  } catch {
    sitesLoad = null; // the ids are shown meanwhile; the next use tries again
  }
}

export function siteName(id: string): string {
  return siteNames.get(id) ?? id;
}

/** "吉林省 吉林市 蛟河市" once known (the code until then); asks the server the first time a code is shown. */
export function regionName(code: string): string {
  const known = regionPaths.get(code);
  if (known !== undefined) return known;
  if (!regionLoads.has(code)) regionLoads.set(code, loadRegion(code));
  return code;
}

async function loadRegion(code: string): Promise<void> {
  try {
    const region = await api<{ name: string; lineage: { name: string; level: string }[] }>(`/api/regions/${encodeURIComponent(code)}`);
    const parents = region.lineage.filter((r) => r.level !== 'country').map((r) => r.name).reverse();
    regionPaths.set(code, [...parents, region.name].join(' '));
  } catch {
    regionLoads.delete(code);
  }
}

/** A role's scope in words: the bureau's region or the institutions' names. */
export function scopeText(scope: Scope): string {
  if (scope.role === 'admin') return ta('scope.all');
  if (scope.role === 'bureau') return scope.regionCode ? regionName(scope.regionCode) : '—';
  return scope.siteIds.map(siteName).join('、') || '—';
}
