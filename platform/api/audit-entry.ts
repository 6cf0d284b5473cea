// What an audit entry says of a request: who, which route, its params and query, the body's field names and
// the values that can hold no secret, and every region the change concerns.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEntry, User } from '../../contracts/records.js';

/** Body fields whose values say what a change was and can hold no secret; every other field is kept by name only. */
const KEPT_VALUES = new Set([
  'id', 'siteId', 'deviceId', 'family', 'name', 'username', 'role', 'regionCode', 'siteIds', 'readOnly', 'expiresAt',
  'disabled', 'enabled', 'to', 'action', 'outcome', 'assignee', 'level', 'grade', 'kind', 'title',
  // a command to a transmission device (GB/T 26875.3): what was asked, and how long the duty room had
  'type', 'timeoutMin',
  // a monthly report submitted, approved or returned (and why); a scorecard rule's weights
  'month', 'reason', 'metric', 'points', 'threshold', 'step', 'cap', 'active',
]);
const MAX_VALUE_CHARS = 200;

function keptValues(body: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!KEPT_VALUES.has(key) || value === undefined) continue;
    kept[key] = typeof value === 'string' && value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
  }
  return kept;
}

/** The id (or username) a 201 reply created: read from the reply as it is sent, never its other fields (secrets). */
export function createdId(payload: unknown): string | null {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return null;
  try {
    const body = JSON.parse(payload) as { id?: unknown; username?: unknown };
    return typeof body.id === 'string' ? body.id : typeof body.username === 'string' ? body.username : null;
  } catch {
    return null;
  }
}

/** The entry of a request that may change something, as known before it runs (the status comes with the answer). */
export async function auditEntryOf(app: FastifyInstance, request: FastifyRequest, user: User): Promise<AuditEntry> {
  const params = (request.params ?? {}) as Record<string, string>;
  const body = request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? request.body as Record<string, unknown> : {};
  const route = request.routeOptions.url ?? request.url;
  return {
    at: Date.now(),
    actor: user.username,
    actorId: user.id,
    action: `${request.method} ${route}`,
    target: request.url.split('?')[0]!,
    details: { params, query: request.query ?? {}, fields: Object.keys(body), values: keptValues(body) },
    ip: request.ip,
    regionCodes: await concernedRegions(app, user, route, params, body),
  };
}

/** The institution an item named by a route's :id belongs to. */
function siteOfItem(app: FastifyInstance, route: string, id: string): Promise<{ siteId: string } | null> | null {
  const { store } = app.services;
  if (route.startsWith('/api/devices/:id')) return store.getDevice(id);
  if (route.startsWith('/api/alarms/:id')) return store.alarms.get(id);
  if (route.startsWith('/api/workorders/:id')) return store.workorders.get(id);
  if (route.startsWith('/api/tickets/:id')) return store.tickets.get(id);
  return null;
}

/**
 * The regions a change concerns, each with its ancestors, so the bureaus above read it: the actor's own, any
 * institution or region the request names, the institution of the item it changes, and a changed user's scope
 * before (read here, ahead of the change) and after (from the body).
 */
async function concernedRegions(app: FastifyInstance, user: User, route: string, params: Record<string, string>, body: Record<string, unknown>): Promise<string[]> {
  const { store, regions } = app.services;
  const codes = new Set<string>();
  const siteIds = new Set<string>(user.siteIds);
  if (user.regionCode) codes.add(user.regionCode);
  for (const v of [params.siteId, body.siteId]) if (typeof v === 'string') siteIds.add(v);
  if (Array.isArray(body.siteIds)) for (const v of body.siteIds) if (typeof v === 'string') siteIds.add(v);
  if (typeof body.regionCode === 'string') codes.add(body.regionCode);
  if (params.id) {
    const item = await siteOfItem(app, route, params.id);
    if (item) siteIds.add(item.siteId);
    if (route.startsWith('/api/reports/submissions/:id')) {
      const report = await store.submissions.get(params.id);
      if (report?.level === 'site') siteIds.add(report.subject);
      else if (report) codes.add(report.subject);
    }
    if (route.startsWith('/api/users/:id')) {
      const changed = await store.getUser(params.id);
      if (changed?.regionCode) codes.add(changed.regionCode);
      for (const id of changed?.siteIds ?? []) siteIds.add(id);
    }
  }
  for (const id of siteIds) {
    const site = await store.getSite(id);
    if (site) codes.add(site.regionCode);
  }
  return [...new Set([...codes].flatMap((c) => regions.lineage(c).map((r) => r.code)))];
}
