import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HazardGrade } from '../../contracts/rules.js';
import { CriterionCode } from '../../contracts/hazard-criteria.js';
import { RiskLevel } from '../../contracts/risks.js';
import { Id, RegionCode, Ticket, TicketEvent } from '../../contracts/records.js';
import { TicketState, TicketTransition } from '../tickets/lifecycle.js';
import { ExtensionDecision, LiftSupervision, NewExtension, PutUpSupervision } from '../../contracts/ticket-supervision.js';
import { caller, HttpError, scopes } from './context.js';
import { page, paging } from './paging.js';
import { MAX_PHOTO_BYTES, sendStored, uploadedPhoto } from './photos.js';
import { InstitutionFilterQuery, withInstitutionFilter } from './institution-filter.js';

const Params = z.object({ id: z.string().max(64) });
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ticketRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, tickets } = app.services;

  app.get('/api/tickets', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'Hazard tickets visible to the caller; status=open lists all but closed; overdue=true lists those past the deadline of their state; supervised=true those under 挂牌督办; siteId one institution',
      querystring: z.object({
        status: z.union([TicketState, z.literal('open')]).optional(),
        level: RiskLevel.optional(),
        grade: HazardGrade.optional(),
        region: RegionCode.optional(),
        overdue: Flag.optional(),
        supervised: Flag.optional().describe('under a bureau\'s supervision (挂牌督办) not yet lifted'),
        deviceId: Id.optional(),
        siteId: Id.optional(),
        kind: InstitutionFilterQuery.shape.kind.describe('the institution\'s kind (not the hazard\'s)'),
        institutionGrade: InstitutionFilterQuery.shape.grade.describe('the institution\'s grade (grade is the hazard\'s)'),
        ownership: InstitutionFilterQuery.shape.ownership,
        keyUnit: InstitutionFilterQuery.shape.keyUnit,
        highRisk: InstitutionFilterQuery.shape.highRisk,
        ...paging(200, 1000),
      }),
      response: { 200: z.array(Ticket) },
    },
  }, async (request, reply) => {
    const { status, region, siteId, limit, offset, kind, institutionGrade, ownership, keyUnit, highRisk, ...rest } = request.query;
    const filter = { ...rest, open: status === 'open', state: status === 'open' ? undefined : status };
    // one institution: the caller's scope narrowed to it (nothing outside the scope)
    const visible = withInstitutionFilter([...scopes(caller(request), region), ...(siteId ? [{ siteIds: [siteId] }] : [])],
      { kind, grade: institutionGrade, ownership, keyUnit, highRisk });
    const [items, total] = await Promise.all([store.tickets.list(visible, { ...filter, limit, offset }), store.tickets.count(visible, filter)]);
    return page(reply, items, total);
  });

  app.post('/api/tickets', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'Report a hazard found by an inspection or by staff (上报)',
      body: z.object({
        siteId: Id,
        title: z.string().trim().min(1).max(200),
        description: z.string().max(4000).default(''),
        location: z.string().max(200).default(''),
        level: RiskLevel,
        grade: HazardGrade.default('general'),
        /** A 重大事故隐患 criterion (GET /api/hazard-criteria): makes it major, kept on the ticket. */
        criterion: CriterionCode.optional(),
        deviceId: Id.optional(),
      }),
      response: { 201: Ticket },
    },
  }, async (request, reply) => {
    const user = caller(request);
    return reply.code(201).send(await tickets.report(request.body, user, scopes(user)));
  });

  app.get('/api/tickets/:id', {
    schema: { tags: ['hazard tickets'], summary: 'One ticket with its full audit trail', params: Params, response: { 200: Ticket.extend({ events: z.array(TicketEvent) }) } },
  }, async (request) => {
    const ticket = await store.tickets.get(request.params.id, scopes(caller(request)));
    if (!ticket) throw new HttpError(404, `id: no ticket ${request.params.id}`);
    return { ...ticket, events: await store.tickets.events(ticket.id) };
  });

  app.post('/api/tickets/:id/transition', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'Move a ticket: registered (with the five in place; a major hazard with its acceptance criteria) -> rectifying -> pending_verification -> closed, or back to rectifying; '
        + 'a major hazard: pending_verification -> verified (the institution) -> closed (approved by the county bureau) or back to rectifying (with a reason)',
      params: Params,
      body: TicketTransition,
      response: { 200: Ticket },
    },
  }, async (request) => {
    const user = caller(request);
    return tickets.transition(request.params.id, request.body, user, scopes(user));
  });

  app.post('/api/tickets/:id/comments', {
    schema: { tags: ['hazard tickets'], summary: 'Comment on a ticket (bureaus supervising a major hazard, anyone in scope)', params: Params, body: z.object({ note: z.string().trim().min(1).max(2000) }), response: { 204: z.null() } },
  }, async (request, reply) => {
    const user = caller(request);
    await tickets.comment(request.params.id, request.body.note, user, scopes(user));
    return reply.code(204).send(null);
  });

  app.post('/api/tickets/:id/supervision', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'Put an open hazard under the bureau’s supervision (挂牌督办, bureaus and admins) until a deadline, with a note: kept as a record, the institution and the bureaus above notified; 409 if closed or up already',
      params: Params, body: PutUpSupervision, response: { 200: Ticket },
    },
  }, async (request) => {
    const user = caller(request);
    return tickets.putUp(request.params.id, request.body, user, scopes(user));
  });

  app.post('/api/tickets/:id/escalate', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'The former form of POST /api/tickets/:id/supervision: 挂牌督办 with a note, until the rectification deadline if it lies ahead, else 30 days',
      params: Params, body: z.object({ note: z.string().trim().min(1).max(2000) }), response: { 200: Ticket },
    },
  }, async (request) => {
    const user = caller(request);
    return tickets.putUp(request.params.id, request.body, user, scopes(user));
  });

  app.post('/api/tickets/:id/supervision/lift', {
    schema: {
      tags: ['hazard tickets'],
      summary: '摘牌: lift the hazard’s supervision once it is closed, by the bureau that put it up or one above (or an admin), with a note',
      params: Params, body: LiftSupervision, response: { 200: Ticket },
    },
  }, async (request) => {
    const user = caller(request);
    return tickets.lift(request.params.id, request.body.note, user, scopes(user));
  });

  app.post('/api/tickets/:id/extensions', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'Ask for a later rectification deadline with a reason (the institution\'s safety manager, while registered or rectifying); it applies once a bureau approves it',
      params: Params, body: NewExtension, response: { 200: Ticket },
    },
  }, async (request) => {
    const user = caller(request);
    return tickets.requestExtension(request.params.id, request.body, user, scopes(user));
  });

  app.post('/api/tickets/:id/extensions/:extensionId/decision', {
    schema: {
      tags: ['hazard tickets'],
      summary: 'A bureau (or an admin) approves the pending extension, which moves the rectification deadline, or refuses it; not the one who asked',
      params: Params.extend({ extensionId: z.string().max(64) }), body: ExtensionDecision, response: { 200: Ticket },
    },
  }, async (request) => {
    const user = caller(request);
    return tickets.decideExtension(request.params.id, request.params.extensionId, request.body, user, scopes(user));
  });

  // Photos are sent as the raw image body (Content-Type image/jpeg, image/png or image/webp).
  app.addContentTypeParser(/^image\/.*/, { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_req, body, done) => done(null, body));

  app.post('/api/tickets/:id/photos', {
    bodyLimit: MAX_PHOTO_BYTES,
    schema: { tags: ['hazard tickets'], summary: 'Attach a photo (raw JPEG, PNG or WebP body, at most 5 MiB)', params: Params, response: { 201: z.object({ id: z.string(), url: z.string() }) } },
  }, async (request, reply) => {
    const user = caller(request);
    const ticket = await store.tickets.get(request.params.id, scopes(user));
    if (!ticket) throw new HttpError(404, `id: no ticket ${request.params.id}`);
    const { bytes, type } = uploadedPhoto(request.body);
    const id = await store.tickets.addPhoto(ticket.id, type, bytes, user.username, Date.now());
    return reply.code(201).send({ id, url: `/api/tickets/${ticket.id}/photos/${id}` });
  });

  app.get('/api/tickets/:id/photos/:photoId', {
    schema: { tags: ['hazard tickets'], summary: 'A ticket photo', params: Params.extend({ photoId: z.string().max(64) }) },
  }, async (request, reply) => {
    const ticket = await store.tickets.get(request.params.id, scopes(caller(request)));
    const photo = ticket ? await store.tickets.photo(ticket.id, request.params.photoId) : null;
    if (!photo) throw new HttpError(404, `photoId: no photo ${request.params.photoId}`);
    return sendStored(reply, photo);
  });
};
