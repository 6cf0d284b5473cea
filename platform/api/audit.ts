// The audit log's edge: every change a signed-in person or API token makes through the API is recorded in the
// transaction that makes it (store/audited.ts), and admins (everything) and bureaus (their region) read it.
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditLogEntry, AuditObject } from '../../contracts/records.js';
import { PendingAudit, settle, withPendingAudit } from '../store/audited.js';
import { auditEntryOf, createdId } from './audit-entry.js';
import { HttpError, isRead, requireRole } from './context.js';
import { page, paging } from './paging.js';

const pendings = new WeakMap<FastifyRequest, PendingAudit>();

/** Keeps in the audit entry of `request` what its change replaces; only values that can hold no secret. */
export function auditBefore(request: FastifyRequest, values: Record<string, unknown>): void {
  const pending = pendings.get(request);
  if (pending) pending.entry.details.before = values;
}

/** A request that may change something: not a read, by a signed-in caller, under /api/. */
function audited(request: FastifyRequest): boolean {
  return request.user !== null && !isRead(request.method) && request.url.startsWith('/api/');
}

/**
 * Adds the hooks that audit every change: before the handler, the request's entry is prepared and waits for the
 * first transaction that writes (which writes it, or fails and changes nothing); as the answer is sent, the entry
 * gets its status and what was created, or, for a successful request that wrote nothing, is written then.
 */
export function auditChanges(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    if (!audited(request)) return done();
    auditEntryOf(app, request, request.user!).then((entry) => {
      const pending = new PendingAudit(entry);
      pendings.set(request, pending);
      // the handler runs inside: its store calls find the entry they must carry
      withPendingAudit(pending, done);
    }, done);
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const pending = pendings.get(request);
    if (!pending || pending.settled) return payload;
    settle(pending);
    const created = reply.statusCode === 201 ? createdId(payload) : null;
    const outcome = { target: created ? `${pending.entry.target}/${created}` : pending.entry.target, status: reply.statusCode, created };
    const { audit } = app.services.store;
    try {
      if (pending.rowId !== null) await audit.complete(pending.rowId, outcome);
      else if (reply.statusCode < 400) {
        await audit.record({ ...pending.entry, target: outcome.target, details: { ...pending.entry.details, status: outcome.status, ...(created ? { created } : {}) } });
      }
    } catch (err) {
      request.log.error({ err, url: request.url, auditId: pending.rowId }, 'audit entry could not be completed');
    }
    return payload;
  });
  // a request whose answer was never sent (the caller went away) is settled all the same
  app.addHook('onResponse', async (request) => {
    const pending = pendings.get(request);
    if (pending) settle(pending);
  });
}

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/audit', {
    schema: {
      tags: ['audit'], summary: 'Changes made by people, newest first: admins see all, bureaus their region; `object` names the record the target points at (a ticket\'s title, a username, a device and its institution)',
      querystring: z.object(paging(100, 1000)),
      response: { 200: z.array(AuditLogEntry.extend({ object: AuditObject.nullable() })) },
    },
  }, async (request, reply) => {
    const user = requireRole(request, 'admin', 'bureau');
    if (user.role === 'bureau' && !user.regionCode) throw new HttpError(403, 'this bureau account has no region');
    const filter = { regionCode: user.role === 'bureau' ? user.regionCode! : undefined };
    const { audit } = app.services.store;
    const [items, total] = await Promise.all([audit.list({ ...filter, ...request.query }), audit.count(filter)]);
    const objects = await audit.objects(items.map((e) => e.target));
    return page(reply, items.map((e) => ({ ...e, object: objects.get(e.target) ?? null })), total);
  });
};
