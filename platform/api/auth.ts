import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LoginBody, RefreshBody, TokenPair } from '../../contracts/http.js';
import { User } from '../../contracts/records.js';
import { caller, requirePerson } from './context.js';
import { codedError } from '../errors.js';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in; send the token as Authorization: Bearer', body: LoginBody, response: { 200: TokenPair } },
    // Per address (see server.ts); failures per username and address are counted by Users.
    config: { rateLimit: {} },
  }, async (request, reply) => {
    const lockedSec = app.services.users.loginLockedFor(request.body.username, request.ip);
    if (lockedSec > 0) {
      reply.header('retry-after', String(lockedSec));
      throw codedError(429, 'auth.locked', `too many failed sign-ins for this user from this address: try again in ${lockedSec} s`, { retryAfterSec: lockedSec });
    }
    const session = await app.services.users.login(request.body.username, request.body.password, request.ip);
    if (session === 'refused') throw codedError(401, 'auth.wrong_credentials', 'wrong username or password');
    if (session === 'disabled') throw codedError(403, 'auth.disabled', 'this account is disabled: ask an admin');
    return session;
  });

  app.post('/api/auth/refresh', {
    schema: { tags: ['auth'], summary: 'Spend a refresh token for a new token pair (each refresh token works once)', body: RefreshBody, response: { 200: TokenPair } },
  }, async (request) => {
    const pair = await app.services.users.refresh(request.body.refreshToken);
    if (!pair) throw codedError(401, 'auth.refresh_refused', 'refresh token invalid, expired or already used: sign in again');
    return pair;
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'End this session: its access and refresh tokens stop working', response: { 204: z.null() } },
  }, async (request, reply) => {
    requirePerson(request);
    await app.services.users.logout(request.headers.authorization!.slice('Bearer '.length));
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: User } } }, async (request) => caller(request));
};
