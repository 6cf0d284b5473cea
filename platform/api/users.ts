// People, managed by admins: list, create, change role, scope or password.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hashSecret } from '../auth/hash.js';
import { publicUser } from '../auth/users.js';
import { RegionCode, Role, User } from '../schemas.js';
import { HttpError, requireRole } from './context.js';

const Password = z.string().min(10, 'at least 10 characters').max(256);
const Scope = z.object({
  role: Role,
  regionCode: RegionCode.nullish().describe('bureau: the region it supervises'),
  siteIds: z.array(z.string().min(1)).max(1000).optional().describe('safety_manager, operator, logistics: their institutions'),
});
const NewUser = Scope.extend({ username: z.string().regex(/^[\w.@-]{2,64}$/, '2-64 letters, digits, _ . @ -'), password: Password });
const UserChange = Scope.partial().extend({ password: Password.optional() });

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, regions } = app.services;

  /** The stored form of a role and its scope, or a 400 saying what is missing or unknown. */
  async function checkedScope(scope: z.infer<typeof Scope>): Promise<Pick<User, 'role' | 'regionCode' | 'siteIds'>> {
    if (scope.role === 'admin') return { role: 'admin', regionCode: null, siteIds: [] };
    if (scope.role === 'bureau') {
      if (!scope.regionCode) throw new HttpError(400, 'body.regionCode: a bureau needs a region code');
      if (!regions.get(scope.regionCode)) throw new HttpError(400, `body.regionCode: unknown region ${scope.regionCode}`);
      return { role: 'bureau', regionCode: scope.regionCode, siteIds: [] };
    }
    const siteIds = [...new Set(scope.siteIds ?? [])];
    if (siteIds.length === 0) throw new HttpError(400, `body.siteIds: role ${scope.role} needs at least one institution`);
    for (const id of siteIds) if (!(await store.getSite(id))) throw new HttpError(400, `body.siteIds: unknown institution ${id}`);
    return { role: scope.role, regionCode: null, siteIds };
  }

  app.get('/api/users', {
    schema: { tags: ['users'], summary: 'Every user (admin)', response: { 200: z.array(User) } },
  }, async (request) => {
    requireRole(request, 'admin');
    return (await store.listUsers()).map(publicUser);
  });

  app.post('/api/users', {
    schema: { tags: ['users'], summary: 'Create a user (admin); bureaus need regionCode, site roles need siteIds', body: NewUser, response: { 201: User } },
  }, async (request, reply) => {
    requireRole(request, 'admin');
    const { username, password, ...scope } = request.body;
    const checked = await checkedScope(scope);
    if (await store.findUser(username)) throw new HttpError(409, `body.username: ${username} already exists`);
    const created = await store.createUser({ username, passwordHash: await hashSecret(password), ...checked });
    return reply.code(201).send(publicUser(created));
  });

  app.patch('/api/users/:id', {
    schema: {
      tags: ['users'], summary: 'Change a user’s role, scope or password (admin); their sessions end',
      params: z.object({ id: z.string() }), body: UserChange, response: { 200: User },
    },
  }, async (request) => {
    const admin = requireRole(request, 'admin');
    const existing = await store.getUser(request.params.id);
    if (!existing) throw new HttpError(404, `no user ${request.params.id}`);
    const { password, ...change } = request.body;
    const role = change.role ?? existing.role;
    const checked = await checkedScope({
      role,
      regionCode: change.regionCode === undefined && role === existing.role ? existing.regionCode : change.regionCode,
      siteIds: change.siteIds ?? (role === existing.role ? existing.siteIds : undefined),
    });
    if (existing.id === admin.id && checked.role !== 'admin') throw new HttpError(409, 'an admin cannot take away their own admin role');
    const updated = await store.updateUser(existing.id, { ...checked, passwordHash: password ? await hashSecret(password) : undefined });
    // A new password or a narrower scope must not be outlived by tokens issued under the old one.
    await store.sessions.revokeAll(existing.id, Date.now());
    return publicUser(updated!);
  });
};
