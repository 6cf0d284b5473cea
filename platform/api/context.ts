// What route plugins are given: the services (decorated on the instance) and the caller.
import type { CommandService } from '../commands/service.js';
import type { ControlRoomService } from '../control-room/service.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Credential, Users } from '../auth/users.js';
import type { AlarmService } from '../alarms/service.js';
import type { WorkOrderService } from '../workorders/service.js';
import type { TicketService } from '../tickets/service.js';
import type { DutyService } from '../duties/service.js';
import type { MonthlySubmissions } from '../reports/submissions.js';
import type { ScorecardService } from '../scorecard/service.js';
import type { RuleRunner } from '../rules/runner.js';
import type { Registry } from 'prom-client';
import type { Provisioning } from '../devices/provisioning.js';
import type { RegionRegistry } from '../registry/regions.js';
import type { Role, User } from '../../contracts/records.js';
import type { Store } from '../store/store.js';
import { codedError, HttpError } from '../errors.js';
import { scopeOf } from '../auth/scope.js';
import { mayOpen, type ViewKey } from '../../contracts/views.js';
import type { SiteScope } from '../../contracts/scope.js';

export { HttpError };

export interface Services {
  store: Store;
  users: Users;
  regions: RegionRegistry;
  provisioning: Provisioning;
  alarms: AlarmService;
  workorders: WorkOrderService;
  tickets: TicketService;
  /** The institution's own duties: 日周月 checks, missed checks, completion (issue 15). */
  duties: DutyService;
  rules: RuleRunner;
  /** The monthly report submitted upward (每月报送, issue 16). */
  submissions: MonthlySubmissions;
  /** The scorecard (考核评估, issue 16). */
  scorecard: ScorecardService;
  commands: CommandService;
  controlRoom: ControlRoomService;
  metrics: Registry;
  telemetryWindow: { rawDays: number; rollupDays: number };
  /** When a device was last heard from, while that time is not yet written to the store (devices/last-seen.ts). */
  lastSeen(deviceId: string): number | undefined;
  health(): Promise<Record<string, unknown>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    user: User | null;
    /** How `user` signed in: a session or an API token. */
    credential: Credential | null;
  }
}


/** The signed-in caller; 401 when there is none. */
export function caller(request: FastifyRequest): User {
  if (!request.user) throw codedError(401, 'auth.required', 'sign in first: Authorization: Bearer <token> from POST /api/auth/login');
  return request.user;
}

export function requireRole(request: FastifyRequest, ...allowed: Role[]): User {
  const user = caller(request);
  if (!allowed.includes(user.role)) throw codedError(403, 'role.forbidden', `role ${user.role} may not do this`, { role: user.role });
  return user;
}

/** The caller, when their role has the dashboard view a route serves (contracts/views.ts); 403 role.forbidden otherwise. */
export function requireView(request: FastifyRequest, view: ViewKey): User {
  const user = caller(request);
  if (!mayOpen(user.role, view)) throw codedError(403, 'role.forbidden', `role ${user.role} has no ${view} view`, { role: user.role });
  return user;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isRead(method: string): boolean {
  return READS.has(method);
}

/** The caller as a signed-in person (of one of `allowed`, if given); API tokens may not manage people, tokens or sessions. */
export function requirePerson(request: FastifyRequest, ...allowed: Role[]): User {
  const user = allowed.length ? requireRole(request, ...allowed) : caller(request);
  if (request.credential?.kind !== 'session') throw codedError(403, 'token.person_only', 'API tokens may not do this: sign in as a person');
  return user;
}

/** Reads `Authorization: Bearer` (a session's access token or an API token); a read-only API token may only read. */
export async function readBearer(request: FastifyRequest, _reply: FastifyReply, users: Users): Promise<void> {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  const found = token ? await users.identify(token) : null;
  request.user = found?.user ?? null;
  request.credential = found?.credential ?? null;
  if (token && !found) throw codedError(401, 'auth.token_invalid', 'token invalid or expired, or its session was ended: sign in again');
  if (found?.credential.kind === 'api_token' && found.credential.readOnly && !isRead(request.method)) {
    throw codedError(403, 'token.read_only', 'this API token is read-only');
  }
}

/** The caller's scope, narrowed by an optional `?region=` filter (that region and everything below it). */
export function scopes(user: User, region?: string): SiteScope[] {
  const own = scopeOf(user);
  return region === undefined ? [own] : [own, { region }];
}
