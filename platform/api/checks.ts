// The 日周月 checks (issue 15): checklists and their versions, doing a check, its photos, each institution's
// rhythm, missed checks and completion. Safety managers (and admins) check their institutions; bureaus read their region.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Check, CheckCompletion, CheckItem, CheckItemCode, CheckRhythm, CheckRhythmPlan, CheckTemplate, InstitutionKind, MissedCheck } from '../../contracts/duties.js';
import { checkPerformers } from '../auth/permissions.js';
import { localMidnight } from '../duties/periods.js';
import { HazardGrade } from '../../contracts/rules.js';
import { RiskLevel } from '../../contracts/risks.js';
import { Id, RegionCode } from '../../contracts/records.js';
import { PlausibleIso, TimeQuery } from '../../contracts/times.js';
import { localDate } from '../reports/calendar.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { InstitutionFilterQuery, withInstitutionFilter } from './institution-filter.js';
import { page, paging } from './paging.js';
import { MAX_PHOTO_BYTES, sendStored, uploadedPhoto } from './photos.js';

/** A check may be recorded after the fact, never ahead of it (a few minutes of clock skew allowed). */
const SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const LocalDate = z.string().regex(/^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a local date YYYY-MM-DD between 2000 and 2099');
const TemplateParams = z.object({ id: z.string().max(64) });
const CheckParams = z.object({ id: z.string().max(64) });
const SiteParams = z.object({ id: Id });

export const checkRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, duties } = app.services;

  app.get('/api/check-templates', {
    schema: {
      tags: ['checks'], summary: 'The latest version of each checklist (per institution kind and rhythm); items are codes, or an admin\'s own words in `label`',
      querystring: z.object({ institutionKind: InstitutionKind.optional(), rhythm: CheckRhythm.optional() }),
      response: { 200: z.array(CheckTemplate) },
    },
  }, async (request) => {
    caller(request);
    return store.checks.currentTemplates(request.query);
  });

  app.get('/api/check-templates/:id/versions', {
    schema: { tags: ['checks'], summary: 'Every version of a checklist, newest first', params: TemplateParams, response: { 200: z.array(CheckTemplate) } },
  }, async (request) => {
    caller(request);
    const versions = await store.checks.templateVersions(request.params.id);
    if (!versions.length) throw new HttpError(404, `id: no checklist ${request.params.id}`);
    return versions;
  });

  app.put('/api/check-templates/:id', {
    schema: {
      tags: ['checks'], summary: 'Edit a checklist (admin): makes a new version; checks already done keep theirs. `basedOn`: the version edited (409 if another was made meanwhile)',
      params: TemplateParams,
      body: z.object({ items: z.array(CheckItem).min(1).max(100), basedOn: z.number().int().min(1).max(1_000_000).optional() }),
      response: { 200: CheckTemplate },
    },
  }, async (request) => duties.editTemplate(request.params.id, request.body.items, request.body.basedOn, caller(request)));

  app.post('/api/checks', {
    schema: {
      tags: ['checks'],
      summary: 'Record a check against the checklist of the institution\'s kind (safety managers, admins): every item pass or fail; a failed item is fixed on the spot (fixedOnSpotBy, 即知即改) or opens a hazard ticket linked to the check',
      body: z.object({
        siteId: Id,
        rhythm: CheckRhythm,
        templateVersion: z.number().int().min(1).max(1_000_000).optional().describe('the checklist version done against; default the latest'),
        performedAt: PlausibleIso.optional().describe('default now'),
        items: z.array(z.object({
          code: CheckItemCode,
          result: z.enum(['pass', 'fail']),
          note: z.string().max(2000).default(''),
          fixedOnSpotBy: z.string().trim().min(1).max(64).nullable().default(null),
          hazard: z.object({ level: RiskLevel.default('general'), grade: HazardGrade.default('general'), location: z.string().max(200).default('') }).optional(),
        })).min(1).max(100),
      }),
      response: { 201: Check },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...checkPerformers);
    const now = Date.now();
    const performedAt = request.body.performedAt === undefined ? now : Date.parse(request.body.performedAt);
    if (performedAt > now + SKEW_MS) throw new HttpError(400, 'body.performedAt: lies in the future');
    const check = await duties.submit({ ...request.body, performedAt }, user, scopes(user));
    return reply.code(201).send(check);
  });

  app.get('/api/checks', {
    schema: {
      tags: ['checks'], summary: 'Checks visible to the caller, newest first; from/to bound when they were performed [from, to)',
      querystring: z.object({
        region: RegionCode.optional(), siteId: Id.optional(), rhythm: CheckRhythm.optional(),
        from: TimeQuery.optional(), to: TimeQuery.optional(), ...InstitutionFilterQuery.shape, ...paging(100, 1000),
      }),
      response: { 200: z.array(Check) },
    },
  }, async (request, reply) => {
    const { region, siteId, rhythm, from, to, limit, offset, ...institution } = request.query;
    if (from !== undefined && to !== undefined && from >= to) throw new HttpError(400, 'querystring.from: must be before querystring.to');
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const filter = { siteId, rhythm, from, to };
    const [items, total] = await Promise.all([store.checks.list(visible, { ...filter, limit, offset }), store.checks.count(visible, filter)]);
    return page(reply, items, total);
  });

  app.get('/api/checks/missed', {
    schema: {
      tags: ['checks'], summary: 'Periods an institution owed checks for and did fewer (flagged the morning after), newest first',
      querystring: z.object({ region: RegionCode.optional(), siteId: Id.optional(), rhythm: CheckRhythm.optional(), ...InstitutionFilterQuery.shape, ...paging(200, 1000) }),
      response: { 200: z.array(MissedCheck) },
    },
  }, async (request, reply) => {
    const { region, siteId, rhythm, limit, offset, ...institution } = request.query;
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [items, total] = await Promise.all([store.checks.listMissed(visible, { siteId, rhythm, limit, offset }), store.checks.countMissed(visible, { siteId, rhythm })]);
    return page(reply, items, total);
  });

  const Completion = CheckCompletion;
  app.get('/api/checks/completion', {
    schema: {
      tags: ['checks'],
      summary: 'Checks done / owed per institution, per county and in all over local days [from, to) (default: this month so far); a period still running counts; per period done is at most what was owed',
      querystring: z.object({ region: RegionCode.optional(), siteId: Id.optional(), from: LocalDate.optional(), to: LocalDate.optional(), ...InstitutionFilterQuery.shape }),
      response: {
        200: z.object({
          from: z.string(), to: z.string(), total: Completion,
          regions: z.array(Completion.extend({ regionCode: z.string(), institutions: z.number().int() })),
          institutions: z.array(Completion.extend({ siteId: z.string(), siteName: z.string(), regionCode: z.string() })),
        }),
      },
    },
  }, async (request) => {
    const { region, siteId, from, to, ...institution } = request.query;
    const today = localDate(Date.now());
    const fromDate = from ?? `${today.slice(0, 7)}-01`;
    const toDate = to ?? localDate(localMidnight(today) + DAY_MS);
    const [fromMs, toMs] = [localMidnight(fromDate), localMidnight(toDate)];
    if (!(fromMs < toMs)) throw new HttpError(400, 'querystring.from: must be before querystring.to');
    if (toMs - fromMs > 366 * DAY_MS) throw new HttpError(400, 'querystring.to: at most a year after from');
    const visible = withInstitutionFilter([...scopes(caller(request), region), ...(siteId ? [{ siteIds: [siteId] }] : [])], institution);
    return duties.completion(visible, fromMs, toMs, { from: fromDate, to: toDate });
  });

  app.get('/api/checks/:id', {
    schema: { tags: ['checks'], summary: 'One check with its items, their photos and the hazard tickets they opened', params: CheckParams, response: { 200: Check } },
  }, async (request) => {
    const check = await store.checks.get(request.params.id, scopes(caller(request)));
    if (!check) throw new HttpError(404, `id: no check ${request.params.id}`);
    return check;
  });

  // Photos are sent as the raw image body, as for tickets.
  app.addContentTypeParser(/^image\/.*/, { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_req, body, done) => done(null, body));

  app.post('/api/checks/:id/items/:code/photos', {
    bodyLimit: MAX_PHOTO_BYTES,
    schema: {
      tags: ['checks'], summary: 'Attach a photo to an item of a check (raw JPEG, PNG or WebP body, at most 5 MiB): what failed, or what was fixed on the spot',
      params: CheckParams.extend({ code: CheckItemCode }), response: { 201: z.object({ id: z.string(), url: z.string() }) },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...checkPerformers);
    const check = await store.checks.get(request.params.id, scopes(user));
    if (!check) throw new HttpError(404, `id: no check ${request.params.id}`);
    if (!check.items.some((i) => i.code === request.params.code)) throw new HttpError(404, `code: the check has no item ${request.params.code}`);
    const { bytes, type } = uploadedPhoto(request.body);
    const id = await store.checks.addPhoto(check.id, request.params.code, type, bytes, user.username, Date.now());
    return reply.code(201).send({ id, url: `/api/checks/${check.id}/photos/${id}` });
  });

  app.get('/api/checks/:id/photos/:photoId', {
    schema: { tags: ['checks'], summary: 'A check photo', params: CheckParams.extend({ photoId: z.string().max(64) }) },
  }, async (request, reply) => {
    const check = await store.checks.get(request.params.id, scopes(caller(request)));
    const photo = check ? await store.checks.photo(check.id, request.params.photoId) : null;
    if (!photo) throw new HttpError(404, `photoId: no photo ${request.params.photoId}`);
    return sendStored(reply, photo);
  });

  app.get('/api/sites/:id/check-rhythm', {
    schema: { tags: ['checks'], summary: 'The checks an institution owes per day, ISO week and month (default one of each)', params: SiteParams, response: { 200: CheckRhythmPlan } },
  }, async (request) => {
    const site = (await store.listSites([...scopes(caller(request)), { siteIds: [request.params.id] }]))[0];
    if (!site) throw new HttpError(404, `id: no institution ${request.params.id}`);
    return store.checks.rhythm(site.id);
  });

  app.put('/api/sites/:id/check-rhythm', {
    schema: { tags: ['checks'], summary: 'Set the checks an institution owes per period (admin); 0: none of that rhythm', params: SiteParams, body: CheckRhythmPlan, response: { 200: CheckRhythmPlan } },
  }, async (request) => {
    requireRole(request, 'admin');
    if (!(await store.getSite(request.params.id))) throw new HttpError(404, `id: no institution ${request.params.id}`);
    await store.checks.setRhythm(request.params.id, request.body);
    return request.body;
  });
};
