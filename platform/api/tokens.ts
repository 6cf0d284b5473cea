// API tokens for integrations, managed by admins: issue (the token is shown once), list, revoke.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiToken } from '../../contracts/records.js';
import { PlausibleIso } from '../../contracts/times.js';
import { checkScope, ScopeBody } from './scope-body.js';
import { HttpError, requirePerson } from './context.js';
import { page, paging } from './paging.js';

const NewApiToken = ScopeBody.extend({
  name: z.string().trim().min(2).max(80).describe('what the integration is, e.g. "省119联网平台"'),
  readOnly: z.boolean().default(true).describe('false lets the token act as its role (acknowledge alarms, move tickets...)'),
  expiresAt: PlausibleIso.optional().describe('unset: until revoked'),
});

export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users } = app.services;

  app.get('/api/tokens', {
    schema: { tags: ['tokens'], summary: 'API tokens for integrations, newest first, revoked ones included (admin; never the secrets)', querystring: z.object(paging(1000, 5000)), response: { 200: z.array(ApiToken) } },
  }, async (request, reply) => {
    requirePerson(request, 'admin');
    const { limit, offset } = request.query;
    const all = await users.apiTokens.list();
    return page(reply, all.slice(offset, offset + limit).map(({ secretHash: _, ...t }) => t), all.length);
  });

  app.post('/api/tokens', {
    schema: {
      tags: ['tokens'],
      summary: 'Issue an API token (admin): it sees what a user of its role and scope sees, and is read-only unless readOnly is false. '
        + 'The token is in the reply this once; send it as Authorization: Bearer (HTTP) or auth.token (socket.io).',
      body: NewApiToken,
      response: { 201: ApiToken.extend({ token: z.string() }) },
    },
  }, async (request, reply) => {
    const admin = requirePerson(request, 'admin');
    const { name, readOnly, expiresAt, ...scope } = request.body;
    const expires = expiresAt === undefined ? null : Date.parse(expiresAt);
    if (expires !== null && expires <= Date.now()) throw new HttpError(400, 'body.expiresAt: must be in the future');
    const issued = await users.apiTokens.issue({ name, scope: await checkScope(app.services, scope), readOnly, expiresAt: expires, createdBy: admin.username });
    const { secretHash: _, ...record } = issued.record;
    return reply.code(201).send({ ...record, token: issued.token });
  });

  app.delete('/api/tokens/:id', {
    schema: {
      tags: ['tokens'], summary: 'Revoke an API token (admin): refused at once, its live connections closed',
      params: z.object({ id: z.string().max(64) }), response: { 204: z.null() },
    },
  }, async (request, reply) => {
    requirePerson(request, 'admin');
    if (!(await users.revokeApiToken(request.params.id))) throw new HttpError(404, `id: no live API token ${request.params.id}`);
    return reply.code(204).send(null);
  });
};
