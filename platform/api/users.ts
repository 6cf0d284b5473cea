// People, managed by admins: list, create, change role, scope or password.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hashSecret } from '../auth/hash.js';
import { publicUser } from '../auth/users.js';
import { User } from '../../contracts/records.js';
import { checkScope, ScopeBody } from './scope-body.js';
import { auditBefore } from './audit.js';
import { HttpError, requirePerson } from './context.js';
import { page, paging } from './paging.js';

const Password = z.string().min(10, 'at least 10 characters').max(256);
const NewUser = ScopeBody.extend({ username: z.string().regex(/^[\w.@-]{2,64}$/, '2-64 letters, digits, _ . @ -'), password: Password });
const UserChange = ScopeBody.partial().extend({
  password: Password.optional(),
  disabled: z.boolean().optional().describe('true: refused at sign-in and on every token, sessions ended; false: allowed again'),
});

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, users } = app.services;

  app.get('/api/users', {
    schema: { tags: ['users'], summary: 'Every user, by username (admin)', querystring: z.object(paging(1000, 5000)), response: { 200: z.array(User) } },
  }, async (request, reply) => {
    requirePerson(request, 'admin');
    const { limit, offset } = request.query;
    const all = await store.listUsers();
    return page(reply, all.slice(offset, offset + limit).map(publicUser), all.length);
  });

  app.post('/api/users', {
    schema: { tags: ['users'], summary: 'Create a user (admin); bureaus need regionCode, site roles need siteIds', body: NewUser, response: { 201: User } },
  }, async (request, reply) => {
    requirePerson(request, 'admin');
    const { username, password, ...scope } = request.body;
    const checked = await checkScope(app.services, scope);
    if (await store.findUser(username)) throw new HttpError(409, `body.username: ${username} already exists`);
    const created = await store.createUser({ username, passwordHash: await hashSecret(password), ...checked });
    return reply.code(201).send(publicUser(created));
  });

  app.patch('/api/users/:id', {
    schema: {
      tags: ['users'], summary: 'Change a user’s role, scope or password, or disable or enable them (admin); their sessions end',
      params: z.object({ id: z.string() }), body: UserChange, response: { 200: User },
    },
  }, async (request) => {
    const admin = requirePerson(request, 'admin');
    const existing = await store.getUser(request.params.id);
    if (!existing) throw new HttpError(404, `no user ${request.params.id}`);
    auditBefore(request, { role: existing.role, regionCode: existing.regionCode, siteIds: existing.siteIds, disabled: existing.disabled });
    const { password, disabled, ...change } = request.body;
    const role = change.role ?? existing.role;
    const checked = await checkScope(app.services, {
      role,
      regionCode: change.regionCode === undefined && role === existing.role ? existing.regionCode : change.regionCode,
      siteIds: change.siteIds ?? (role === existing.role ? existing.siteIds : undefined),
    });
    if (existing.id === admin.id && checked.role !== 'admin') throw new HttpError(409, 'an admin cannot take away their own admin role');
    if (existing.id === admin.id && disabled) throw new HttpError(409, 'body.disabled: an admin cannot disable their own account');
    const updated = await store.updateUser(existing.id, { ...checked, disabled, passwordHash: password ? await hashSecret(password) : undefined });
    // A new password or a narrower scope must not be outlived by tokens issued under the old one.
    await users.endSessions(existing.id);
    return publicUser(updated!);
  });
};
