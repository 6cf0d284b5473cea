// What a user may see: admins everything, bureaus their region and below, the others their institutions.
import type { SiteScope } from '../../contracts/scope.js';
import type { User } from '../../contracts/records.js';

export function scopeOf(user: User): SiteScope {
  if (user.role === 'admin') return {};
  if (user.role === 'bureau') return { region: user.regionCode ?? '' };
  return { siteIds: user.siteIds };
}

/** socket.io rooms a user's connection joins. */
export function roomsOf(user: User): string[] {
  if (user.role === 'admin') return ['all'];
  if (user.role === 'bureau') return [`region:${user.regionCode}`];
  // the site's room, and the site's room for this role (escalations go to its safety managers)
  return user.siteIds.flatMap((id) => [`site:${id}`, `site:${id}:${user.role}`]);
}

/** Rooms that must hear about something at a site: its institution, every region above it, and admins. */
export function roomsFor(siteId: string, regionLineage: readonly string[]): string[] {
  return ['all', `site:${siteId}`, ...regionLineage.map((code) => `region:${code}`)];
}
