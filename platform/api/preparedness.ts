// Training, emergency plans and drills (培训、预案、演练) with their photos and PDFs, each institution's standing
// against the required rhythm, and the on-site fire team (微型消防站) with its equipment checks.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EquipmentCheck, FireTeam, FireTeamSetup, NewEquipmentCheck, NewPreparednessRecord, PreparednessKind, PreparednessRecord, PreparednessStatus, PreparednessTopic } from '../../contracts/preparedness.js';
import { Id, RegionCode } from '../../contracts/records.js';
import { PlausibleDay as Day } from '../../contracts/times.js';
import { equipmentCheckers, preparednessKeepers } from '../auth/permissions.js';
import { preparednessStatus } from '../preparedness/requirements.js';
import { localDate } from '../reports/calendar.js';
import { InstitutionFilterQuery, splitInstitutionFilter, withInstitutionFilter } from './institution-filter.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';
import { isPdf, sendStored, sniffImage } from './photos.js';

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const preparednessRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;
  const today = () => localDate(Date.now());

  const siteInScope = async (siteId: string, scope: ReturnType<typeof scopes>, field = 'siteId') => {
    const site = (await store.listSites([...scope, { siteIds: [siteId] }]))[0];
    if (!site) throw new HttpError(404, `${field}: no institution ${siteId}`);
    return site;
  };

  app.post('/api/preparedness', {
    schema: {
      tags: ['preparedness'],
      summary: 'Record a training, an emergency plan or a drill (with its evaluation) at an institution in the caller\'s scope (admins, safety managers); attach photos and PDFs after',
      body: NewPreparednessRecord,
      response: { 201: PreparednessRecord },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...preparednessKeepers);
    const site = await siteInScope(request.body.siteId, scopes(user));
    if (request.body.on > today()) throw new HttpError(400, 'body.on: lies in the future');
    const record = await store.preparedness.add({ ...request.body, regionCode: site.regionCode }, user.username, Date.now());
    return reply.code(201).send(record);
  });

  app.get('/api/preparedness', {
    schema: {
      tags: ['preparedness'],
      summary: 'Training, plans and drills visible to the caller, newest first; from/to bound the day it took place [from, to)',
      querystring: z.object({
        region: RegionCode.optional(), siteId: Id.optional(), kind: PreparednessKind.optional(), topic: PreparednessTopic.optional(),
        from: Day.optional(), to: Day.optional(), ...paging(100, 1000),
      }),
      response: { 200: z.array(PreparednessRecord) },
    },
  }, async (request, reply) => {
    const { region, limit, offset, ...filter } = request.query;
    const visible = scopes(caller(request), region);
    const [items, total] = await Promise.all([store.preparedness.list(visible, { ...filter, limit, offset }), store.preparedness.count(visible, filter)]);
    return page(reply, items, total);
  });

  app.get('/api/preparedness/status', {
    schema: {
      tags: ['preparedness'],
      summary: 'Per institution visible to the caller: each required rhythm (half-yearly on-site drill, yearly plan and evacuation drills, yearly training, plans every three years), the latest record, when the next is due and whether it is overdue',
      querystring: z.object({ region: RegionCode.optional(), ...InstitutionFilterQuery.shape }),
      response: { 200: z.array(PreparednessStatus) },
    },
  }, async (request) => {
    const { rest: { region }, institution } = splitInstitutionFilter(request.query);
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [sites, latest] = await Promise.all([store.listSites(visible), store.preparedness.latest(visible)]);
    return sites.map((site) => ({
      siteId: site.id, siteName: site.name, regionCode: site.regionCode,
      ...preparednessStatus(latest.filter((l) => l.siteId === site.id), today()),
    }));
  });

  app.get('/api/preparedness/:id', {
    schema: { tags: ['preparedness'], summary: 'One training, plan or drill', params: z.object({ id: z.string().max(64) }), response: { 200: PreparednessRecord } },
  }, async (request) => {
    const record = await store.preparedness.get(request.params.id, scopes(caller(request)));
    if (!record) throw new HttpError(404, `id: no record ${request.params.id}`);
    return record;
  });

  // Attachments are sent as the raw body: a photo (JPEG, PNG, WebP) or a PDF, named by ?name=.
  app.addContentTypeParser(/^(image\/.*|application\/pdf)$/, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_req, body, done) => done(null, body));

  app.post('/api/preparedness/:id/attachments', {
    bodyLimit: MAX_ATTACHMENT_BYTES,
    schema: {
      tags: ['preparedness'],
      summary: 'Attach a photo (raw JPEG, PNG or WebP body) or a PDF (the plan, the evaluation report), at most 10 MiB (admins, safety managers)',
      params: z.object({ id: z.string().max(64) }),
      querystring: z.object({ name: z.string().trim().min(1).max(200).optional() }),
      response: { 201: z.object({ id: z.string(), url: z.string() }) },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...preparednessKeepers);
    const record = await store.preparedness.get(request.params.id, scopes(user));
    if (!record) throw new HttpError(404, `id: no record ${request.params.id}`);
    if (!Buffer.isBuffer(request.body)) throw new HttpError(415, 'body: send a photo (image/jpeg, image/png, image/webp) or a PDF (application/pdf)');
    const type = sniffImage(request.body) ?? (isPdf(request.body) ? 'application/pdf' : null);
    if (!type) throw new HttpError(415, 'body: not a JPEG, PNG or WebP image, nor a PDF');
    const name = request.query.name ?? (type === 'application/pdf' ? 'document.pdf' : 'photo');
    const id = await store.preparedness.addAttachment(record.id, name, type, request.body, user.username, Date.now());
    return reply.code(201).send({ id, url: `/api/preparedness/${record.id}/attachments/${id}` });
  });

  app.get('/api/preparedness/:id/attachments/:attachmentId', {
    schema: { tags: ['preparedness'], summary: 'An attachment of a training, plan or drill', params: z.object({ id: z.string().max(64), attachmentId: z.string().max(64) }) },
  }, async (request, reply) => {
    const record = await store.preparedness.get(request.params.id, scopes(caller(request)));
    const file = record ? await store.preparedness.attachment(record.id, request.params.attachmentId) : null;
    if (!file) throw new HttpError(404, `attachmentId: no attachment ${request.params.attachmentId}`);
    return sendStored(reply, file);
  });

  // the on-site fire team (微型消防站)

  app.get('/api/fire-teams', {
    schema: {
      tags: ['preparedness'],
      summary: 'The on-site fire teams (微型消防站) of the institutions visible to the caller: members, equipment, the latest equipment check',
      querystring: z.object({ region: RegionCode.optional(), siteId: Id.optional() }),
      response: { 200: z.array(FireTeam) },
    },
  }, async (request) => store.preparedness.fireTeams(scopes(caller(request), request.query.region), request.query.siteId));

  app.put('/api/fire-teams/:siteId', {
    schema: {
      tags: ['preparedness'],
      summary: 'Set an institution\'s fire team: its members and the equipment it keeps (admins, safety managers)',
      params: z.object({ siteId: Id }),
      body: FireTeamSetup,
      response: { 200: FireTeam },
    },
  }, async (request) => {
    const user = requireRole(request, ...preparednessKeepers);
    const site = await siteInScope(request.params.siteId, scopes(user), 'siteId');
    await store.preparedness.putFireTeam(site.id, request.body, user.username, Date.now());
    return (await store.preparedness.fireTeams([], site.id))[0]!;
  });

  app.post('/api/fire-teams/:siteId/checks', {
    schema: {
      tags: ['preparedness'],
      summary: 'Record a check of the fire team\'s equipment, item by item (the institution\'s people)',
      params: z.object({ siteId: Id }),
      body: NewEquipmentCheck,
      response: { 201: EquipmentCheck },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...equipmentCheckers);
    const site = await siteInScope(request.params.siteId, scopes(user), 'siteId');
    const on = request.body.on ?? today();
    if (on > today()) throw new HttpError(400, 'body.on: lies in the future');
    return reply.code(201).send(await store.preparedness.addCheck(site.id, on, request.body.items, user.username, Date.now()));
  });
};
