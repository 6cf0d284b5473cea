// A role and its scope as a request body gives them (users, API tokens), checked against the registry.
import { z } from 'zod';
import { RegionCode, Role, type User } from '../../contracts/records.js';
import { HttpError, type Services } from './context.js';

export const ScopeBody = z.object({
  role: Role,
  regionCode: RegionCode.nullish().describe('bureau: the region it supervises'),
  siteIds: z.array(z.string().min(1)).max(1000).optional().describe('safety_manager, operator, logistics: their institutions'),
});
export type ScopeBody = z.infer<typeof ScopeBody>;

/** The stored form of a role and its scope, or a 400 naming what is missing or unknown. */
export async function checkScope(services: Pick<Services, 'store' | 'regions'>, scope: ScopeBody): Promise<Pick<User, 'role' | 'regionCode' | 'siteIds'>> {
  if (scope.role === 'admin') return { role: 'admin', regionCode: null, siteIds: [] };
  if (scope.role === 'bureau') {
    if (!scope.regionCode) throw new HttpError(400, 'body.regionCode: a bureau needs a region code');
    if (!services.regions.get(scope.regionCode)) throw new HttpError(400, `body.regionCode: unknown region ${scope.regionCode}`);
    return { role: 'bureau', regionCode: scope.regionCode, siteIds: [] };
  }
  const siteIds = [...new Set(scope.siteIds ?? [])];
  if (siteIds.length === 0) throw new HttpError(400, `body.siteIds: role ${scope.role} needs at least one institution`);
  for (const id of siteIds) if (!(await services.store.getSite(id))) throw new HttpError(400, `body.siteIds: unknown institution ${id}`);
  return { role: scope.role, regionCode: null, siteIds };
}
