import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { User } from '../schemas.js';
import { caller, HttpError, requirePerson } from './context.js';

const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const TokenPair = z.object({
  token: z.string().describe('access token: Authorization: Bearer <token>'),
  expiresAt: z.string(),
  refreshToken: z.string().describe('single use: POST /api/auth/refresh before expiresAt for the next pair'),
  refreshExpiresAt: z.string(),
  user: User,
});
const RefreshBody = z.object({ refreshToken: z.string().min(1).max(256) });

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in; send the token as Authorization: Bearer', body: LoginBody, response: { 200: TokenPair } },
    // Per address (see server.ts); failures per username and address are counted by Users.
    config: { rateLimit: {} },
  }, async (request, reply) => {
    const lockedSec = app.services.users.loginLockedFor(request.body.username, request.ip);
    if (lockedSec > 0) {
      reply.header('retry-after', String(lockedSec));
      throw new HttpError(429, `登录失败次数过多，请 ${Math.ceil(lockedSec / 60)} 分钟后再试 / too many failed sign-ins for this user from this address: try again in ${lockedSec} s`);
    }
    const session = await app.services.users.login(request.body.username, request.body.password, request.ip);
    if (session === 'refused') throw new HttpError(401, 'wrong username or password');
    if (session === 'disabled') throw new HttpError(403, '此账号已停用，请联系管理员 / this account is disabled: ask an admin');
    return session;
  });

  app.post('/api/auth/refresh', {
    schema: { tags: ['auth'], summary: 'Spend a refresh token for a new token pair (each refresh token works once)', body: RefreshBody, response: { 200: TokenPair } },
  }, async (request) => {
    const pair = await app.services.users.refresh(request.body.refreshToken);
    if (!pair) throw new HttpError(401, '刷新令牌无效、已过期或已使用，请重新登录 / refresh token invalid, expired or already used: sign in again');
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
