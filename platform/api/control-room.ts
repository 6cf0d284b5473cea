// The control room's duty over HTTP: certificates and the roster (safety managers), signing on and off with the
// handover (operators), who is on duty (everyone in scope; the alarm desk shows it), and 查岗 (bureaus ask, the
// operator on duty answers).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Certificate, CertificateState, DutyCheck, DutyCheckState, DutySession, Handover, NewCertificate, NewDutyCheck, NewShift, OnDuty, Shift } from '../../contracts/control-room.js';
import { Id, RegionCode } from '../../contracts/records.js';
import { TimeQuery } from '../../contracts/times.js';
import { dutyAnswerers, dutyCheckers, rosterKeepers } from '../auth/permissions.js';
import { InstitutionFilterQuery, splitInstitutionFilter, withInstitutionFilter } from './institution-filter.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';

const DAY_MS = 86_400_000;

export const controlRoomRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, controlRoom } = app.services;

  app.put('/api/control-room/certificates/:username', {
    schema: {
      tags: ['control room'],
      summary: 'Record an operator\'s 消防设施操作员 certificate (admins; safety managers for the operators of their institutions)',
      params: z.object({ username: z.string().min(1).max(64) }),
      body: NewCertificate,
      response: { 200: Certificate },
    },
  }, async (request) => {
    const user = requireRole(request, ...rosterKeepers);
    return controlRoom.putCertificate(request.params.username, request.body, user, scopes(user));
  });

  app.get('/api/control-room/certificates', {
    schema: {
      tags: ['control room'],
      summary: 'Certificates of the operators of institutions visible to the caller, soonest to expire first; state: valid, expiring (within 30 days), expired',
      querystring: z.object({ region: RegionCode.optional(), state: CertificateState.optional(), ...InstitutionFilterQuery.shape }),
      response: { 200: z.array(Certificate) },
    },
  }, async (request) => {
    const { rest: { region, state }, institution } = splitInstitutionFilter(request.query);
    return controlRoom.certificates(withInstitutionFilter(scopes(caller(request), region), institution), state);
  });

  app.post('/api/control-room/shifts', {
    schema: {
      tags: ['control room'],
      summary: 'Put a shift on a control room\'s roster (admins, safety managers): at least two of its operators certified to the shift\'s end, and the leader on duty (领导带班)',
      body: NewShift,
      response: { 201: Shift },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...rosterKeepers);
    return reply.code(201).send(await controlRoom.addShift(request.body, user, scopes(user)));
  });

  const ShiftParams = z.object({ id: z.string().max(64) });

  app.put('/api/control-room/shifts/:id', {
    schema: {
      tags: ['control room'],
      summary: 'Change a shift of the roster (admins, safety managers): its times, operators and leader, checked as a new shift is; its control room stays',
      params: ShiftParams,
      body: NewShift.omit({ siteId: true }),
      response: { 200: Shift },
    },
  }, async (request) => {
    const user = requireRole(request, ...rosterKeepers);
    return controlRoom.editShift(request.params.id, request.body, user, scopes(user));
  });

  app.delete('/api/control-room/shifts/:id', {
    schema: { tags: ['control room'], summary: 'Take a shift off the roster (admins, safety managers)', params: ShiftParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    const user = requireRole(request, ...rosterKeepers);
    await controlRoom.removeShift(request.params.id, scopes(user));
    return reply.code(204).send(null);
  });

  app.get('/api/control-room/shifts', {
    schema: {
      tags: ['control room'],
      summary: 'The roster: shifts visible to the caller overlapping [from, to) (default: from a day ago to a week ahead), earliest first',
      querystring: z.object({ region: RegionCode.optional(), siteId: Id.optional(), from: TimeQuery.optional(), to: TimeQuery.optional() }),
      response: { 200: z.array(Shift) },
    },
  }, async (request) => {
    const now = Date.now();
    const { region, siteId, from = now - DAY_MS, to = now + 7 * DAY_MS } = request.query;
    if (from >= to) throw new HttpError(400, 'querystring.from: must be before querystring.to');
    return store.controlRoom.shifts(scopes(caller(request), region), { siteId, from, to });
  });

  app.post('/api/control-room/sign-on', {
    schema: {
      tags: ['control room'],
      summary: 'The caller (an operator) signs on duty at a control room of theirs; 409 duty.signed_on if signed on there already',
      body: z.object({ siteId: Id }),
      response: { 201: DutySession },
    },
  }, async (request, reply) => {
    const user = requireRole(request, 'operator');
    return reply.code(201).send(await controlRoom.signOn(request.body.siteId, user, scopes(user)));
  });

  app.post('/api/control-room/sign-off', {
    schema: {
      tags: ['control room'],
      summary: 'The caller signs off duty, handing over what is still open and what happened; 409 duty.not_signed_on if not signed on there',
      body: Handover.extend({ siteId: Id }),
      response: { 200: DutySession },
    },
  }, async (request) => {
    const user = requireRole(request, 'operator');
    const { siteId, ...handover } = request.body;
    return controlRoom.signOff(siteId, handover, user, scopes(user));
  });

  app.get('/api/control-room/on-duty', {
    schema: {
      tags: ['control room'],
      summary: 'Per control room visible to the caller: who is signed on (with their certificate\'s state), the shift on the roster now and its leader, and whether two certified operators are on duty',
      querystring: z.object({ region: RegionCode.optional(), siteId: Id.optional(), ...InstitutionFilterQuery.shape }),
      response: { 200: z.array(OnDuty) },
    },
  }, async (request) => {
    const { rest: { region, siteId }, institution } = splitInstitutionFilter(request.query);
    return controlRoom.onDuty(withInstitutionFilter(scopes(caller(request), region), institution), siteId);
  });

  app.get('/api/control-room/handovers', {
    schema: {
      tags: ['control room'],
      summary: 'The handover log: finished duty sessions visible to the caller, newest first',
      querystring: z.object({ region: RegionCode.optional(), siteId: Id.optional(), ...paging(100, 1000) }),
      response: { 200: z.array(DutySession) },
    },
  }, async (request, reply) => {
    const { region, siteId, limit, offset } = request.query;
    const visible = scopes(caller(request), region);
    const filter = { siteId, open: false };
    const [items, total] = await Promise.all([store.controlRoom.sessions(visible, { ...filter, limit, offset }), store.controlRoom.countSessions(visible, filter)]);
    return page(reply, items, total);
  });

  app.post('/api/control-room/duty-checks', {
    schema: {
      tags: ['control room'],
      summary: '查岗: ask a control room in the caller\'s region (bureaus, admins) to answer on its desk within timeoutMin (default 10); its transmission device is asked too',
      body: NewDutyCheck,
      response: { 201: DutyCheck },
    },
  }, async (request, reply) => {
    const user = requireRole(request, ...dutyCheckers);
    return reply.code(201).send(await controlRoom.askDutyCheck(request.body.siteId, request.body.timeoutMin, user, scopes(user)));
  });

  app.post('/api/control-room/duty-checks/:id/answer', {
    schema: {
      tags: ['control room'],
      summary: 'Answer a 查岗 on the desk (the operator on duty, or the safety manager); 409 duty_check.missed when too late, duty_check.answered when answered already',
      params: z.object({ id: z.string().max(64) }),
      response: { 200: DutyCheck },
    },
  }, async (request) => {
    const user = requireRole(request, ...dutyAnswerers);
    return controlRoom.answerDutyCheck(request.params.id, user, scopes(user));
  });

  app.get('/api/control-room/duty-checks', {
    schema: {
      tags: ['control room'],
      summary: '查岗 visible to the caller, newest first: waiting, answered (by whom, when; and the transmission device\'s answer) or missed',
      querystring: z.object({
        region: RegionCode.optional(), siteId: Id.optional(), state: DutyCheckState.optional(), from: TimeQuery.optional(), to: TimeQuery.optional(),
        ...InstitutionFilterQuery.shape, ...paging(100, 1000),
      }),
      response: { 200: z.array(DutyCheck) },
    },
  }, async (request, reply) => {
    const { rest: { region, limit, offset, ...filter }, institution } = splitInstitutionFilter(request.query);
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [items, total] = await Promise.all([store.controlRoom.checks(visible, { ...filter, limit, offset }), store.controlRoom.countChecks(visible, filter)]);
    return page(reply, items, total);
  });
};
