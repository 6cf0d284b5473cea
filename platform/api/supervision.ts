// A bureau's 通报 and 约谈: issued by a bureau (or an admin) to institutions of its region, seen by those
// institutions and the bureaus above them, acknowledged by each institution's safety manager.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id, RegionCode, type User } from '../../contracts/records.js';
import { NewInterview, NewNotice, SupervisionKind, SupervisionRecord } from '../../contracts/supervision.js';
import { ticketSupervisors } from '../auth/permissions.js';
import { localDate } from '../reports/calendar.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;

  /** The institutions, all of them in the caller's region; 404 naming the first that is not. */
  const targets = async (user: User, siteIds: readonly string[], field: string) => {
    const sites = await store.listSites([...scopes(user), { siteIds: [...siteIds] }]);
    const missing = siteIds.find((id) => !sites.some((s) => s.id === id));
    if (missing) throw new HttpError(404, `${field}: no institution ${missing} in your region`);
    return sites;
  };
  const issue = async (user: User, kind: 'notice' | 'interview', siteIds: string[], title: string, findings: string, interview: SupervisionRecord['interview'], field: string) => {
    const sites = await targets(user, siteIds, field);
    const id = await store.supervision.add({ kind, regionCode: user.regionCode ?? sites[0]!.regionCode, issuedBy: user.username, at: Date.now(), title, findings, interview, siteIds: sites.map((s) => s.id) });
    return (await store.supervision.list([], { limit: 1 }, id))[0]!;
  };

  app.post('/api/supervision/notices', {
    schema: {
      tags: ['supervision'],
      summary: '通报: a bureau (or an admin) sends its findings to institutions of its region',
      body: NewNotice,
      response: { 201: SupervisionRecord },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...ticketSupervisors);
    const { title, findings, siteIds } = request.body;
    return reply.code(201).send(await issue(user, 'notice', [...new Set(siteIds)], title, findings, null, 'body.siteIds'));
  });

  app.post('/api/supervision/interviews', {
    schema: {
      tags: ['supervision'],
      summary: '约谈: a bureau (or an admin) records an interview with an institution\'s responsible person: when, who attended, the issues, the commitments made and the follow-up date',
      body: NewInterview,
      response: { 201: SupervisionRecord },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...ticketSupervisors);
    const { siteId, on, attendees, issues, commitments, followUpOn } = request.body;
    if (on > localDate(Date.now())) throw new HttpError(400, 'body.on: lies in the future');
    if (followUpOn < on) throw new HttpError(400, 'body.followUpOn: must not be before body.on');
    const site = (await targets(user, [siteId], 'body.siteId'))[0]!;
    return reply.code(201).send(await issue(user, 'interview', [site.id], `约谈 ${site.name}`, issues, { on, attendees, commitments, followUpOn }, 'body.siteId'));
  });

  app.get('/api/supervision', {
    schema: {
      tags: ['supervision'],
      summary: 'Notices and interviews concerning institutions visible to the caller, newest first, each with the institutions the caller sees and their acknowledgements; acknowledged=false: those still to acknowledge',
      querystring: z.object({ region: RegionCode.optional(), siteId: Id.optional(), kind: SupervisionKind.optional(), acknowledged: Flag.optional(), ...paging(100, 1000) }),
      response: { 200: z.array(SupervisionRecord) },
    },
  }, async (request, reply) => {
    const { region, limit, offset, ...filter } = request.query;
    const visible = scopes(caller(request), region);
    const [items, total] = await Promise.all([store.supervision.list(visible, { ...filter, limit, offset }), store.supervision.count(visible, filter)]);
    return page(reply, items, total);
  });

  app.post('/api/supervision/:id/acknowledge', {
    schema: {
      tags: ['supervision'],
      summary: 'The institution\'s safety manager acknowledges a notice or an interview for one institution of theirs; 409 if acknowledged already',
      params: z.object({ id: z.string().max(64) }),
      body: z.object({ siteId: Id }),
      response: { 200: SupervisionRecord },
    },
  }, async (request) => {
    const user = requireRole(request, 'safety_manager');
    const visible = [...scopes(user), { siteIds: [request.body.siteId] }];
    const [record] = await store.supervision.list(visible, { limit: 1 }, request.params.id);
    if (!record) throw new HttpError(404, `id: no notice or interview ${request.params.id} for ${request.body.siteId}`);
    if (!(await store.supervision.acknowledge(record.id, request.body.siteId, user.username, Date.now()))) {
      throw new HttpError(409, `id: ${record.id} is acknowledged already for ${request.body.siteId}`);
    }
    return (await store.supervision.list(scopes(user), { limit: 1 }, record.id))[0]!;
  });
};
