// The audit log's edge: a hook that records every successful change a signed-in person makes
// through the API, and the page admins (everything) and bureaus (their region) read it from.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditLogEntry } from '../schemas.js';
import { HttpError, isRead, requireRole } from './context.js';

/** Body fields whose values say what a change was and can hold no secret; every other field is kept by name only. */
const KEPT_VALUES = new Set([
  'id', 'siteId', 'deviceId', 'family', 'name', 'username', 'role', 'regionCode', 'siteIds', 'readOnly', 'expiresAt',
  'disabled', 'enabled', 'to', 'action', 'outcome', 'assignee', 'level', 'grade', 'kind', 'title',
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
const created = new WeakMap<FastifyRequest, string>();
/** What a change replaced, as the route saw it before changing it (a user's role and scope). */
const replaced = new WeakMap<FastifyRequest, Record<string, unknown>>();

/** Keeps in the audit entry of `request` what its change replaces; only values that can hold no secret. */
export function auditBefore(request: FastifyRequest, values: Record<string, unknown>): void {
  replaced.set(request, values);
}

function createdId(payload: unknown): string | null {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return null;
  try {
    const body = JSON.parse(payload) as { id?: unknown; username?: unknown };
    return typeof body.id === 'string' ? body.id : typeof body.username === 'string' ? body.username : null;
  } catch {
    return null;
  }
}

/**
 * Adds the hooks that record every successful change to the audit log. Body values are kept only for the fields
 * of KEPT_VALUES (never passwords, secrets, tokens or free text); a creation is named by the id it created.
 */
export function auditChanges(app: FastifyInstance): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.user && reply.statusCode === 201) {
      const id = createdId(payload);
      if (id) created.set(request, id);
    }
    return payload;
  });
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const user = request.user;
    if (!user || isRead(request.method) || reply.statusCode >= 400 || !request.url.startsWith('/api/')) return;
    try {
      const params = (request.params ?? {}) as Record<string, string>;
      const body = request.body && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? request.body as Record<string, unknown> : {};
      const route = request.routeOptions.url ?? request.url;
      const path = request.url.split('?')[0]!;
      const made = created.get(request);
      await app.services.store.audit.record({
        at: Date.now(),
        actor: user.username,
        actorId: user.id,
        action: `${request.method} ${route}`,
        target: made ? `${path}/${made}` : path,
        details: {
          params, query: request.query ?? {}, fields: Object.keys(body), values: keptValues(body),
          ...(replaced.has(request) ? { before: replaced.get(request) } : {}),
          ...(made ? { created: made } : {}), status: reply.statusCode,
        },
        ip: request.ip,
        regionCodes: await concernedRegions(app, request, user, route, params, body),
      });
    } catch (err) {
      request.log.error({ err, url: request.url }, 'audit log write failed');
    }
  });
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
 * before and after.
 */
async function concernedRegions(app: FastifyInstance, request: FastifyRequest, user: NonNullable<FastifyRequest['user']>, route: string,
  params: Record<string, string>, body: Record<string, unknown>): Promise<string[]> {
  const { store, regions } = app.services;
  const codes = new Set<string>();
  const siteIds = new Set<string>(user.siteIds);
  if (user.regionCode) codes.add(user.regionCode);
  for (const v of [params.siteId, body.siteId]) if (typeof v === 'string') siteIds.add(v);
  if (Array.isArray(body.siteIds)) for (const v of body.siteIds) if (typeof v === 'string') siteIds.add(v);
  if (typeof body.regionCode === 'string') codes.add(body.regionCode);
  const before = replaced.get(request);
  if (typeof before?.regionCode === 'string') codes.add(before.regionCode);
  if (Array.isArray(before?.siteIds)) for (const v of before.siteIds) if (typeof v === 'string') siteIds.add(v);
  if (params.id) {
    const item = await siteOfItem(app, route, params.id);
    if (item) siteIds.add(item.siteId);
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

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/audit', {
    schema: {
      tags: ['audit'], summary: 'Changes made by people, newest first: admins see all, bureaus their region',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: { 200: z.array(AuditLogEntry) },
    },
  }, async (request) => {
    const user = requireRole(request, 'admin', 'bureau');
    if (user.role === 'bureau' && !user.regionCode) throw new HttpError(403, 'this bureau account has no region');
    return app.services.store.audit.list({ regionCode: user.role === 'bureau' ? user.regionCode! : undefined, limit: request.query.limit });
  });
};
