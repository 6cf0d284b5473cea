// Fuzzing the HTTP API with fast-check: every route of /openapi.json (read at run time), as an admin and as an
// institution's safety manager, with generated path params, query strings and JSON bodies: NUL and lone surrogates,
// huge, negative and non-finite-looking numbers, prototype keys, wrong types, and valid bodies (from the route's own
// schema) with one part mutated. A fixed seed (FUZZ_SEED); FUZZ_RUNS inputs per route and caller (`npm run fuzz` runs
// many); FUZZ_STORE=postgres runs it against PostgreSQL instead of PGlite.
// Properties: no 5xx, ever; the process keeps answering; every successful change has its audit entry.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { createDatabase } from '../helpers/postgres.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 42);
/** `postgres`: against the shared PostgreSQL server instead of PGlite. */
const STORE = process.env.FUZZ_STORE ?? 'pglite';
const REQUEST_TIMEOUT_MS = 15_000;

type Schema = Record<string, any>;
interface Parameter { name: string; in: 'path' | 'query'; required?: boolean; schema: Schema }
interface Route { method: string; path: string; parameters: Parameter[]; body: { type: string; schema: Schema } | null }
interface Caller { name: string; token: string; login: () => Promise<string> }
/** One request as generated: the path with its params filled in, a query string, and a body as sent. */
interface Input { path: string; query: string; body: { type: string; text: string | Uint8Array } | null }

let fn: TestFireNet;
let routes: Route[] = [];
let callers: Caller[] = [];
/** Real ids to put in paths and bodies, so that inputs get past "no such item" to the code behind it. */
const known: Record<string, string[]> = {};

const SITE = 'fuzz-jh';
const OTHER_SITE = 'fuzz-hd';

beforeAll(async () => {
  // limits that would turn the fuzzer's own sign-ins into 429s are lifted: the fuzzer looks for 5xx
  const database: Record<string, string> = STORE === 'postgres' ? { DATABASE_URL: await createDatabase(inject('postgresUrl'), `fuzz_${randomUUID().replaceAll('-', '')}`) } : {};
  fn = await startTestFireNet({ LOGIN_RATE_PER_MIN: '1000000', LOGIN_MAX_FAILURES: '1000000', ...database });
  await fn.provisionSite(SITE, '220281', '蛟河市模糊测试医院');
  await fn.provisionSite(OTHER_SITE, '220282', '桦甸市模糊测试医院');
  const devices = ['fuzz-sd-1', 'fuzz-sd-2'];
  for (const id of devices) {
    const client = await fn.connectDevice(id, await fn.provisionDevice({ id, family: 'smoke_detector', siteId: SITE, zone: '门诊楼' }));
    await client.publishAsync(deviceTopic(id, 'events'), eventPayload(`${id}-smoke`, 'smoke.alarm'), { qos: 1 });
    await client.publishAsync(deviceTopic(id, 'events'), eventPayload(`${id}-fault`, 'fault'), { qos: 1 });
  }
  const alarm = await eventually(async () => (await fn.api<any[]>('/api/alarms?deviceId=fuzz-sd-1')).body[0]?.id as string | undefined, 5000, 'an alarm');
  const order = await eventually(async () => (await fn.api<any[]>('/api/workorders?deviceId=fuzz-sd-1')).body[0]?.id as string | undefined, 5000, 'a work order');
  const ticket = (await fn.api<{ id: string }>('/api/tickets', { body: { siteId: SITE, title: '安全出口上锁', level: 'general' } })).body.id;
  const photo = await fetch(`${fn.httpUrl}/api/tickets/${ticket}/photos`, {
    method: 'POST', headers: { authorization: `Bearer ${fn.adminToken}`, 'content-type': 'image/png' }, body: Uint8Array.from([...PNG, 0, 0, 0, 0]),
  });
  const photoId = ((await photo.json()) as { id: string }).id;
  const victim = (await fn.api<{ id: string }>('/api/users', { body: { username: 'fuzz-victim', password: 'victim-password', role: 'operator', siteIds: [SITE] } })).body.id;
  await fn.api('/api/users', { body: { username: 'fuzz-safety', password: 'safety-password', role: 'safety_manager', siteIds: [SITE] } });
  const token = (await fn.api<{ id: string }>('/api/tokens', { body: { name: '模糊测试', role: 'bureau', regionCode: '220281' } })).body.id;
  await fn.api('/api/periods/spring', { method: 'PUT', body: { label: '春节', from: '2030-01-20T00:00:00+08:00', to: '2030-02-10T00:00:00+08:00' } });
  const rule = (await fn.api<{ id: string }[]>('/api/rules')).body[0]!.id;
  Object.assign(known, {
    siteId: [SITE, OTHER_SITE], deviceId: devices, regionCode: ['220281', '220282', '220000', '000000'],
    alarms: [alarm], workorders: [order], tickets: [ticket], users: [victim], tokens: [token], rules: [rule], periods: ['spring'],
    devices, regions: ['220281', '220200'], photoId: [photoId],
    from: [String(Date.now() - 86_400_000), '2024-01-01T00:00:00+08:00'], to: [String(Date.now() + 60_000), new Date().toISOString()],
    month: ['2024-02', new Date().toISOString().slice(0, 7)],
  });

  const doc = await (await fetch(`${fn.httpUrl}/openapi.json`)).json() as { paths: Record<string, Record<string, any>> };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => {
    const content = op.requestBody?.content as Record<string, { schema: Schema }> | undefined;
    const [type, media] = Object.entries(content ?? {})[0] ?? [];
    return { method: method.toUpperCase(), path, parameters: (op.parameters ?? []) as Parameter[], body: type ? { type, schema: media!.schema } : null };
  }));
  const login = (username: string, password: string) => () => fn.login(username, password);
  callers = [
    { name: 'admin', token: fn.adminToken, login: login('admin', 'test-admin-password') },
    { name: 'safety_manager', token: await fn.login('fuzz-safety', 'safety-password'), login: login('fuzz-safety', 'safety-password') },
  ];
}, 120_000);
afterAll(() => fn?.stop());

// ---- generators ----

const codeUnit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d', '\ude00', '\u202e', '\ufeff') },
);
/** Text no store can keep: a NUL or a lone surrogate somewhere in it. */
const unstorable = fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom('\u0000', '\ud800', '\udfff', '\udc00\ud800', '\ud83d'), fc.string({ maxLength: 6 }))
  .map(([a, bad, b]) => `${a}${bad}${b}`);
const nastyString = fc.oneof(
  { weight: 3, arbitrary: unstorable },
  { weight: 3, arbitrary: fc.constantFrom(
    '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800', '😀', '__proto__', 'constructor', 'prototype', 'toString',
    'hasOwnProperty', '../../etc/passwd', '%00', "'; drop table users; --", '<script>alert(1)</script>', 'NaN', 'Infinity', '-1',
    '1e308', '-0', '0x10', '9'.repeat(400), '医'.repeat(300), 'true', 'null', '[]', '{}', '2000-01-01T00:00:00Z', '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z', '1970-01-01T00:00:00+14:00', '2020-02-30T00:00:00Z', '1000000000000000', '-1000000000000000',
  ) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const nastyNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -0, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 63, 1e15, -1, 0.5, 5e-324, 0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype');

/** A JSON value of any shape, nasty leaves, prototype keys included; kept as JSON text so `__proto__` survives. */
const nastyJson: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString.map(json),
    nastyNumber.map(json),
    fc.boolean().map(json),
    fc.constant('null'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(nastyString, protoKey), tie('value')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`),
  ),
})).value;

/** JSON text; lone surrogates are written as \u escapes, which JSON.stringify does too. */
function json(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** A value that the route's own schema accepts, mostly: real ids where a field names one. */
function fromSchema(schema: Schema | undefined, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(null);
  const realIds = known[name === 'siteIds' ? 'siteId' : name];
  if (realIds && schema.type !== 'array') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...realIds) }, { weight: 1, arbitrary: plain(schema, name, depth) });
  return plain(schema, name, depth);
}

function plain(schema: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  const choices = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (choices) return fc.oneof(...choices.map((s) => fromSchema(s, name, depth + 1)));
  const type = Array.isArray(schema.type) ? fc.constantFrom(...(schema.type as string[])) : fc.constant(schema.type as string | undefined);
  return type.chain((t) => {
    switch (t) {
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const required = new Set((schema.required ?? []) as string[]);
        const fields = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, fromSchema(s, k, depth + 1)]));
        const extra = schema.additionalProperties && typeof schema.additionalProperties === 'object'
          ? fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fromSchema(schema.additionalProperties as Schema, '', depth + 1), { maxKeys: 2 })
          : fc.constant({});
        return fc.tuple(fc.record(fields, { requiredKeys: [...required] }), extra).map(([a, b]) => ({ ...b, ...a }));
      }
      case 'array': {
        const item = fromSchema(schema.items as Schema, name === 'siteIds' ? 'siteId' : '', depth + 1);
        const minLength = (schema.minItems as number | undefined) ?? 0;
        return fc.array(item, { minLength, maxLength: Math.min((schema.maxItems as number | undefined) ?? minLength + 3, minLength + 3) });
      }
      case 'string': return stringOf(schema);
      case 'integer': return fc.integer({ min: Math.max(schema.minimum ?? -1e6, Number.MIN_SAFE_INTEGER), max: Math.min(schema.maximum ?? 1e6, Number.MAX_SAFE_INTEGER) });
      case 'number': return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, minExcluded: schema.exclusiveMinimum === true });
      case 'boolean': return fc.boolean();
      case 'null': return fc.constant(null);
      default: return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
    }
  });
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = Math.min((schema.maxLength as number | undefined) ?? 24, 200);
  if (schema.format === 'date-time') {
    // mostly plausible, sometimes at the edges of what ISO-8601 (and a JS Date) allows
    return fc.oneof(
      { weight: 3, arbitrary: fc.date({ min: new Date('2001-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) },
      { weight: 1, arbitrary: fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00+14:00', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59-14:00', '2000-01-01T00:00:00+00:01') },
    );
  }
  if (schema.format === 'uri') return fc.constantFrom('http://127.0.0.1:9/hook', 'https://example.invalid/hook');
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern as string)).filter((s) => s.length >= min && s.length <= max);
  return fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }).filter((s) => s.trim().length >= min);
}

/** A valid value with one part (the whole, a field, an element) replaced by something nasty, or removed. */
function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.nat(), nastyJson, fc.boolean()).map(([value, pick, replacement, remove]) => {
    const spots = spotsOf(value);
    const spot = spots[pick % spots.length]!;
    return render(value, spot, remove ? undefined : replacement);
  });
}

/** Every place in `value` that a mutation can hit, as key paths ([] is the whole value). */
function spotsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const inner = Array.isArray(value)
    ? value.flatMap((v, i) => spotsOf(v, [...at, i]))
    : value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => spotsOf(v, [...at, k])) : [];
  return [at, ...inner];
}

/** `value` as JSON text with the part at `spot` replaced by the JSON text `replacement` (removed when undefined). */
function render(value: unknown, spot: (string | number)[], replacement: string | undefined, at: (string | number)[] = []): string {
  const here = at.length === spot.length && at.every((k, i) => k === spot[i]);
  if (here) return replacement ?? 'null';
  if (Array.isArray(value)) {
    return `[${value.flatMap((v, i) => (replacement === undefined && isSpot([...at, i], spot) ? [] : [render(v, spot, replacement, [...at, i])])).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([k]) => !(replacement === undefined && isSpot([...at, k], spot)));
    return `{${entries.map(([k, v]) => `${json(k)}:${render(v, spot, replacement, [...at, k])}`).join(',')}}`;
  }
  return json(value);
}

function isSpot(path: (string | number)[], spot: (string | number)[]): boolean {
  return path.length === spot.length && path.every((k, i) => k === spot[i]);
}

/** Percent-encodes `text` as a browser would, and a lone surrogate as its (invalid) three UTF-8-style bytes. */
function encode(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** Raw URL text that no encoder would make: bad escapes and separators. */
const rawUrlPiece = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%80', '%ED%A0%80', '%2F', '..', '%2e%2e', '%FF', '%00', '+', '%20', ';', '%u0000');

function pathParam(route: Route, name: string): fc.Arbitrary<string> {
  const collection = route.path.split('/')[2] ?? '';
  const real = known[name === 'id' || name === 'name' || name === 'code' ? collection : name] ?? [];
  return fc.oneof(
    { weight: real.length ? 4 : 0, arbitrary: real.length ? fc.constantFrom(...real).map(encode) : fc.constant('x') },
    { weight: 4, arbitrary: nastyString.map(encode) },
    { weight: 2, arbitrary: rawUrlPiece },
  );
}

function queryOf(route: Route): fc.Arbitrary<string> {
  const params = route.parameters.filter((p) => p.in === 'query');
  const value = (p: Parameter) => fc.oneof(
    { weight: 6, arbitrary: fromSchema(p.schema, p.name).map((v) => encode(String(v))) },
    { weight: 2, arbitrary: nastyString.map(encode) },
    { weight: 1, arbitrary: rawUrlPiece },
  );
  // a required parameter is mostly there, an optional one half the time
  const pairs = params.map((p) => fc.option(value(p).map((v) => `${p.name}=${v}`), { nil: undefined, freq: p.required ? 10 : 2 }));
  const extra = fc.option(fc.tuple(fc.oneof(nastyString.map(encode), protoKey), nastyString.map(encode), fc.boolean())
    .map(([k, v, twice]) => (twice ? `${k}=${v}&${k}=${v}` : `${k}=${v}`)), { nil: undefined, freq: 3 });
  return fc.tuple(fc.tuple(...pairs), extra).map(([chosen, more]) => [...chosen, more].filter((p) => p !== undefined).join('&'));
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const rawJsonText = fc.constantFrom('{', '[1,', '"\\ud800"', 'nul', '{"a":1,"a":2}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`, '1e400', '-', '""', 'true');

function bodyOf(route: Route): fc.Arbitrary<Input['body']> {
  if (route.method === 'GET') return fc.constant(null);
  if (route.method === 'POST' && route.path.endsWith('/photos')) {
    return fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 256 }), fc.constantFrom('image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'))
      .map(([magic, bytes, type]) => ({ type, text: magic ? Uint8Array.from([...PNG, ...bytes]) : bytes }));
  }
  if (route.body?.type === 'text/csv') {
    // id,family,model,institution,building,floor,zone,heartbeat_sec: mostly a good row, sometimes a cell gone bad
    const good = fc.tuple(
      fc.stringMatching(/^fz-[a-z0-9]{6}$/), fc.constantFrom('smoke_detector', 'fire_panel', 'charging_station', 'hazmat_cabinet'), fc.constantFrom('', 'JTY-GD'),
      fc.constantFrom(...(known.siteId ?? ['x'])), fc.constantFrom('', '门诊楼'), fc.constantFrom('', '3F'), fc.constantFrom('', '东区'), fc.constantFrom('', '300', '60'),
    );
    const cell = fc.oneof(nastyString, fc.constantFrom('"a,b"', '"', '""', '9'.repeat(20), '-1', '1e308'));
    const row = fc.tuple(good, fc.option(fc.tuple(fc.nat(7), cell), { freq: 3 })).map(([cells, bad]) => {
      const out = [...cells] as string[];
      if (bad) out[bad[0]] = bad[1];
      return out.map((c) => (/[",\n\r]/.test(c) && !c.startsWith('"') ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
    });
    return fc.tuple(fc.boolean(), fc.array(row, { maxLength: 4 }), fc.constantFrom('\n', '\r\n'))
      .map(([header, rows, eol]) => ({ type: 'text/csv', text: [...(header ? ['id,family,model,institution,building,floor,zone,heartbeat_sec'] : []), ...rows].join(eol) }));
  }
  const schema = route.body?.schema;
  const valid = fromSchema(schema);
  return fc.oneof(
    { weight: route.body ? 3 : 0, arbitrary: valid.map((v) => ({ type: 'application/json', text: json(v) })) },
    { weight: route.body ? 5 : 1, arbitrary: mutated(valid).map((text) => ({ type: 'application/json', text })) },
    { weight: 2, arbitrary: nastyJson.map((text) => ({ type: 'application/json', text })) },
    { weight: 1, arbitrary: rawJsonText.map((text) => ({ type: 'application/json', text })) },
    { weight: route.body ? 0 : 3, arbitrary: fc.constant(null) },
  );
}

function inputOf(route: Route): fc.Arbitrary<Input> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return fc.tuple(fc.tuple(...names.map((n) => pathParam(route, n))), queryOf(route), bodyOf(route)).map(([values, query, body]) => ({
    path: names.reduce((p, n, i) => p.replace(`{${n}}`, values[i]!), route.path), query, body,
  }));
}

// ---- the properties ----

async function send(caller: Caller, route: Route, input: Input): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${caller.token}` };
  if (input.body) headers['content-type'] = input.body.type;
  const url = `${fn.httpUrl}${input.path}${input.query ? `?${input.query}` : ''}`;
  const res = await fetch(url, { method: route.method, headers, body: input.body?.text as BodyInit | undefined, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: res.status, text: await res.text() };
}

function describeInput(caller: Caller, route: Route, input: Input): string {
  const body = input.body ? (typeof input.body.text === 'string' ? input.body.text.slice(0, 500) : `<${input.body.text.length} bytes>`) : '';
  return `${caller.name}: ${route.method} ${input.path}${input.query ? `?${input.query}` : ''} ${input.body?.type ?? ''} ${body}`;
}

async function latestAudit(): Promise<{ action: string; details: { status?: number } } | undefined> {
  return (await fn.api<any[]>('/api/audit?limit=1', { token: callers[0]!.token })).body[0];
}

describe('HTTP fuzzing over every route of /openapi.json', () => {
  it('finds the routes in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => r.method !== 'GET').length).toBeGreaterThan(20);
  });

  for (const who of ['admin', 'safety_manager']) {
    it(`never answers 5xx, keeps answering and audits every successful change, as ${who}`, async () => {
      const caller = callers.find((c) => c.name === who)!;
      const failures: string[] = [];
      for (const route of routes) {
        // fast-check shrinks a failure: the last one seen is the smallest input that still fails
        let smallest = '';
        const fail = (message: string) => { smallest = message; throw new Error(message); };
        await fc.assert(fc.asyncProperty(inputOf(route), async (input) => {
          const what = describeInput(caller, route, input);
          const res = await send(caller, route, input).catch((err: Error) => ({ status: 0, text: err.message }));
          if (res.status === 0 || res.status >= 500) fail(`${res.status} for ${what}\n  ${res.text.slice(0, 300)}`);
          // a sign-out ends the caller's own session: sign in again (before reading the audit log as admin)
          if (route.path === '/api/auth/logout' && res.status < 300) caller.token = await caller.login();
          if (route.method !== 'GET' && res.status < 300) {
            const action = `${route.method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
            const entry = await latestAudit();
            if (entry?.action !== action || entry.details.status !== res.status) {
              fail(`${res.status} with no audit entry for ${what}\n  latest entry: ${JSON.stringify(entry)?.slice(0, 300)}`);
            }
          }
        }), { seed: SEED, numRuns: RUNS }).catch((err: Error) => { failures.push(smallest || err.message.slice(0, 1000)); });
        const health = await fetch(`${fn.httpUrl}/api/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        if (health.status !== 200) failures.push(`after ${route.method} ${route.path}: /api/health answered ${health.status}`);
      }
      expect(failures).toEqual([]);
    }, 600_000);
  }
});
