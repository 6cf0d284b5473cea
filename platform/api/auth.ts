import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { User } from '../schemas.js';
import { caller, HttpError } from './context.js';

const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const LoginReply = z.object({ token: z.string(), expiresAt: z.string(), user: User });

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in; send the token as Authorization: Bearer', body: LoginBody, response: { 200: LoginReply } },
  }, async (request) => {
    const session = await app.services.users.login(request.body.username, request.body.password);
    if (!session) throw new HttpError(401, 'wrong username or password');
    return session;
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: User } } }, async (request) => caller(request));
};
