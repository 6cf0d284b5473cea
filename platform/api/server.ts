// The HTTP edge: Fastify with zod schemas (validation, serialisation and OpenAPI from one source),
// a uniform error shape, bearer-token sign-in, the route plugins and the dashboard bundle.
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import zlib from 'node:zlib';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { alarmRoutes } from './alarms.js';
import { authRoutes } from './auth.js';
import { readBearer, type Services } from './context.js';
import { deviceRoutes } from './devices.js';
import { healthRoutes } from './health.js';
import { overviewRoutes } from './overview.js';
import { reportRoutes } from './reports.js';
import { submissionRoutes } from './submissions.js';
import { scorecardRoutes } from './scorecard.js';
import { inspectionRoutes } from './inspections.js';
import { riskRoutes } from './risks.js';
import { controlRoomRoutes } from './control-room.js';
import { preparednessRoutes } from './preparedness.js';
import { supervisionRoutes } from './supervision.js';
import { hazardCriteriaRoutes } from './hazard-criteria.js';
import { regionRoutes } from './regions.js';
import { siteRoutes } from './sites.js';
import { sitePageRoutes } from './site-page.js';
import { ruleRoutes } from './rules.js';
import { ticketRoutes } from './tickets.js';
import { workOrderRoutes } from './workorders.js';
import { telemetryRoutes } from './telemetry.js';
import { metricsRoutes } from './metrics.js';
import { userRoutes } from './users.js';
import { tokenRoutes } from './tokens.js';
import { checkRoutes } from './checks.js';
import { institutionRoutes } from './institutions.js';
import { auditChanges, auditRoutes } from './audit.js';
import { refuseBadText } from './well-formed.js';

import { HttpError, statusCode } from '../errors.js';
export interface HttpLimits {
  /** Sign-in attempts per client address per minute. */
  loginPerMinute: number;
  /** Proxies whose X-Forwarded-For gives the client address (Fastify `trustProxy`); unset: the socket's address. */
  trustProxy?: string;
}

export async function buildHttp(deps: { services: Services; logger: Logger; dashboardDir: string; limits?: HttpLimits }): Promise<FastifyInstance> {
  // Requests are not logged one by one (the device stream would drown them); errors are.
  const app = Fastify({ loggerInstance: deps.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: 1024 * 1024, trustProxy: deps.limits?.trustProxy ?? false })
    .withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('services', deps.services);
  app.decorateRequest('user', null);
  app.decorateRequest('credential', null);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const fields = error.validation.map((v) => ({ field: `${where}.${v.instancePath.replace(/^\//, '').replaceAll('/', '.')}`.replace(/\.$/, ''), message: v.message ?? 'invalid' }));
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', code: 'invalid_field', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error, url: request.url }, 'request failed');
      return reply.code(status).send({ statusCode: status, error: 'Internal Server Error', code: 'internal', message: 'internal error; see the server log' });
    }
    // A stable code for programs and for the dashboard's words; the English message for people reading the API.
    const { fields, code, params } = error instanceof HttpError ? error : { fields: undefined, code: undefined, params: undefined };
    return reply.code(status).send({
      statusCode: status, error: httpReason(status), code: code ?? statusCode(status), message: error.message,
      ...(Array.isArray(fields) ? { fields } : {}), ...(params ? { params } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ statusCode: 404, error: 'Not Found', code: 'no_route', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  // Security headers. The dashboard is same-origin scripts and stylesheets, so helmet's default CSP fits, with two
  // changes: `upgrade-insecure-requests` goes, since FireNet is often reached over plain HTTP inside a hospital LAN;
  // images may also be `blob:` URLs, which is how the dashboard shows a hazard photo it fetched with the session's
  // token (an <img> cannot send it). Nothing else is widened: scripts, connections and frames stay same-origin.
  // No CORS plugin on purpose: cross-origin browsers get no Access-Control-Allow-Origin.
  await app.register(helmet, { contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null, 'img-src': ["'self'", 'data:', 'blob:'] } } });
  // gzip / brotli / deflate for JSON, CSV and the dashboard's files when the client accepts them (over 1 KiB);
  // images and already-compressed bodies are left alone.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip', 'deflate'], brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } });
  // Only routes that opt in (config.rateLimit) are limited: today, sign-in.
  await app.register(rateLimit, {
    global: false,
    max: deps.limits?.loginPerMinute ?? 20,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'auth.too_many_attempts',
      message: `too many sign-in attempts from this address: try again in ${context.after}`,
      params: { retryAfterSec: Math.ceil(context.ttl / 1000) },
    }),
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'FireNet API', version: '1.0.0', description: 'Smart fire-safety cloud for the health system. Sign in with POST /api/auth/login and send `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', (request, reply) => readBearer(request, reply, deps.services.users));
  refuseBadText(app);
  auditChanges(app);

  for (const routes of [healthRoutes, authRoutes, regionRoutes, siteRoutes, sitePageRoutes, deviceRoutes, alarmRoutes, workOrderRoutes, ticketRoutes, ruleRoutes, overviewRoutes, reportRoutes, submissionRoutes, scorecardRoutes, inspectionRoutes, riskRoutes, controlRoomRoutes, preparednessRoutes, supervisionRoutes, hazardCriteriaRoutes, telemetryRoutes, metricsRoutes, userRoutes, tokenRoutes, auditRoutes, checkRoutes, institutionRoutes]) {
    await app.register(routes);
  }

  if (existsSync(deps.dashboardDir)) {
    // Vite names the bundle's files by their content hash (assets/*): cached for a year, never revalidated.
    // index.html names the current ones, so it is revalidated on every load; other files (maps) for an hour.
    await app.register(fastifyStatic, {
      root: deps.dashboardDir, prefix: '/', wildcard: false, cacheControl: false,
      setHeaders: (reply, path) => { reply.header('cache-control', cacheControlFor(path, deps.dashboardDir)); },
    });
  } else {
    deps.logger.warn({ dashboardDir: deps.dashboardDir }, 'dashboard bundle not built (npm run build); serving the API only');
  }
  return app;
}

function cacheControlFor(file: string, root: string): string {
  const path = relative(root, file).split(sep).join('/');
  if (path.startsWith('assets/')) return 'public, max-age=31536000, immutable';
  if (path.endsWith('.html')) return 'no-cache';
  return 'public, max-age=3600';
}

function httpReason(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests' } as Record<number, string>)[status] ?? 'Error';
}
