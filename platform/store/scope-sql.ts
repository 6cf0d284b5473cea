// A user's scope and a request's region filter as SQL on the sites table.
import { regionColumn, type SiteScope } from '../../contracts/scope.js';
import type { Where } from './rows.js';
import { institutionClauses } from './institutions.js';

export function scopeClauses(where: Where, scopes: readonly SiteScope[], siteAlias: string): Where {
  for (const scope of scopes) {
    if (scope.region !== undefined) {
      const column = regionColumn(scope.region);
      if (column) where.add(`${siteAlias}.${column} = ?`, scope.region);
    }
    if (scope.siteIds !== undefined) where.add(`${siteAlias}.id = any(?::text[])`, [...scope.siteIds]);
    if (scope.institution !== undefined) institutionClauses(where, scope.institution, siteAlias);
  }
  return where;
}
