import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ruleEditors } from '../auth/permissions.js';
import { Rule, RuleId, SpecialPeriod } from '../../contracts/rules.js';
import { PlausibleIso } from '../../contracts/times.js';
import { caller, HttpError, requireRole } from './context.js';

/** A period as given: its times plausible ones (a period is read back as stored, so only the input is bounded). */
const PeriodBody = SpecialPeriod.omit({ name: true }).extend({ from: PlausibleIso, to: PlausibleIso });
const Versioned = z.object({ version: z.number().int(), changedBy: z.string(), changedAt: z.string(), definition: Rule });

export const ruleRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, rules } = app.services;

  app.get('/api/rules', {
    schema: { tags: ['rules'], summary: 'Every rule at its current version', response: { 200: z.array(Versioned.extend({ id: z.string() })) } },
  }, async (request) => {
    caller(request);
    return store.rules.current();
  });

  app.get('/api/rules/:id/versions', {
    schema: { tags: ['rules'], summary: 'A rule\'s version history, newest first', params: z.object({ id: RuleId }), response: { 200: z.array(Versioned) } },
  }, async (request) => {
    caller(request);
    const history = await store.rules.history(request.params.id);
    if (history.length === 0) throw new HttpError(404, `id: no rule ${request.params.id}`);
    return history;
  });

  app.post('/api/rules', {
    schema: { tags: ['rules'], summary: 'Create a rule or save a new version of it (admin); takes effect at once', body: Rule, response: { 201: z.object({ id: z.string(), version: z.number().int() }) } },
  }, async (request, reply) => {
    const user = requireRole(request, ...ruleEditors);
    const version = await store.rules.save(request.body, user.username, Date.now());
    await rules.reloadRules();
    request.log.info({ ruleId: request.body.id, version, userId: user.id }, 'rule saved');
    return reply.code(201).send({ id: request.body.id, version });
  });

  app.patch('/api/rules/:id', {
    schema: { tags: ['rules'], summary: 'Switch a rule on or off (a new version)', params: z.object({ id: RuleId }), body: z.object({ enabled: z.boolean() }), response: { 200: z.object({ id: z.string(), version: z.number().int() }) } },
  }, async (request) => {
    const user = requireRole(request, ...ruleEditors);
    const [latest] = await store.rules.history(request.params.id);
    if (!latest) throw new HttpError(404, `id: no rule ${request.params.id}`);
    const version = await store.rules.save({ ...latest.definition, enabled: request.body.enabled }, user.username, Date.now());
    await rules.reloadRules();
    return { id: request.params.id, version };
  });

  app.get('/api/periods', {
    schema: { tags: ['rules'], summary: 'Named special periods (holidays, major events) in which rules are stricter', response: { 200: z.array(SpecialPeriod) } },
  }, async (request) => {
    caller(request);
    return store.rules.periods();
  });

  app.put('/api/periods/:name', {
    schema: { tags: ['rules'], summary: 'Define or change a special period (admin)', params: z.object({ name: z.string().min(1).max(64) }), body: PeriodBody, response: { 200: SpecialPeriod } },
  }, async (request) => {
    requireRole(request, ...ruleEditors);
    const period = { ...request.body, name: request.params.name };
    if (Date.parse(period.to) <= Date.parse(period.from)) throw new HttpError(400, 'body.to: must be after body.from');
    await store.rules.savePeriod(period);
    await rules.reloadRules();
    return period;
  });

  app.delete('/api/periods/:name', {
    schema: { tags: ['rules'], summary: 'Remove a special period (admin)', params: z.object({ name: z.string().min(1).max(64) }), response: { 204: z.null() } },
  }, async (request, reply) => {
    requireRole(request, ...ruleEditors);
    if (!(await store.rules.deletePeriod(request.params.name))) throw new HttpError(404, `name: no period ${request.params.name}`);
    await rules.reloadRules();
    return reply.code(204).send(null);
  });
};
