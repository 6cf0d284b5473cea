// What route plugins are given: the services (decorated on the instance) and the caller.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Users } from '../auth/users.js';
import type { AlarmService } from '../alarms/service.js';
import type { WorkOrderService } from '../workorders/service.js';
import type { TicketService } from '../tickets/service.js';
import type { RuleRunner } from '../rules/runner.js';
import type { Registry } from 'prom-client';
import type { Provisioning } from '../devices/provisioning.js';
import type { RegionRegistry } from '../registry/regions.js';
import type { Role, User } from '../schemas.js';
import type { Store } from '../store/store.js';
import { HttpError } from '../errors.js';
import { scopeOf } from '../auth/scope.js';
import type { SiteScope } from '../registry/scope.js';

export { HttpError };

export interface Services {
  store: Store;
  users: Users;
  regions: RegionRegistry;
  provisioning: Provisioning;
  alarms: AlarmService;
  workorders: WorkOrderService;
  tickets: TicketService;
  rules: RuleRunner;
  metrics: Registry;
  telemetryWindow: { rawDays: number; rollupDays: number };
  health(): Promise<Record<string, unknown>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    user: User | null;
  }
}


/** The signed-in caller; 401 when there is none. */
export function caller(request: FastifyRequest): User {
  if (!request.user) throw new HttpError(401, 'sign in first: Authorization: Bearer <token> from POST /api/auth/login');
  return request.user;
}

export function requireRole(request: FastifyRequest, ...allowed: Role[]): User {
  const user = caller(request);
  if (!allowed.includes(user.role)) throw new HttpError(403, `role ${user.role} may not do this`);
  return user;
}

export async function readBearer(request: FastifyRequest, _reply: FastifyReply, users: Users): Promise<void> {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  request.user = token ? await users.authenticate(token) : null;
  if (token && !request.user) throw new HttpError(401, 'token invalid or expired: sign in again');
}

/** The caller's scope, narrowed by an optional `?region=` filter (that region and everything below it). */
export function scopes(user: User, region?: string): SiteScope[] {
  const own = scopeOf(user);
  return region === undefined ? [own] : [own, { region }];
}
