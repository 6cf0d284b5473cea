// What goes over the wire, checked with real requests against a real FireNet: one paging contract on every list
// (limit + offset, the total in X-Total-Count), compressed answers for clients that accept them, the dashboard's
// hashed files cached for good and index.html revalidated, and a CSP that lets the page show blob: images only.
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const ASSETS = fileURLToPath(new URL('../../dashboard/dist/assets/', import.meta.url));

let fn: TestFireNet;

beforeAll(async () => {
  fn = await startTestFireNet();
  for (let i = 1; i <= 5; i++) await fn.provisionSite(`pg-${i}`, '220281', `蛟河市分页医院 ${i}`);
  await fn.provisionSite('pg-cc', '220104', '长春市分页医院');
  for (let i = 1; i <= 4; i++) {
    const secret = await fn.provisionDevice({ id: `pg-sd-${i}`, family: 'smoke_detector', siteId: 'pg-1', zone: `${i}F` });
    const device = await fn.connectDevice(`pg-sd-${i}`, secret);
    await device.publishAsync(deviceTopic(`pg-sd-${i}`, 'events'), eventPayload(`pg-e-${i}`, 'smoke.alarm'), { qos: 1 });
  }
  for (let i = 1; i <= 7; i++) {
    expect((await fn.api('/api/tickets', { body: { siteId: 'pg-2', title: `疏散通道堵塞 ${i}`, level: 'general' } })).status).toBe(201);
  }
  await eventually(async () => (await fn.api<unknown[]>('/api/alarms?status=active')).body.length === 4, 5000, 'four alarms');
});
afterAll(() => fn?.stop());

/** A raw GET (no transparent decompression), with the admin's token unless `token` is null. */
function get(path: string, headers: Record<string, string> = {}, token: string | null = fn.adminToken): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(fn.httpUrl + path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function pageOf(path: string): Promise<{ ids: string[]; total: number }> {
  const res = await get(path);
  expect(res.status).toBe(200);
  const items = JSON.parse(res.body.toString('utf8')) as { id: string }[];
  return { ids: items.map((i) => i.id), total: Number(res.headers['x-total-count']) };
}

describe('paging: limit + offset, the total in X-Total-Count', () => {
  it.each([
    ['/api/alarms?status=active', 4],
    ['/api/tickets?status=open', 7],
    ['/api/devices?siteId=pg-1', 4],
    ['/api/sites?region=220281', 5],
  ])('%s walks page by page to exactly its total', async (path, expected) => {
    const all = await pageOf(path);
    expect(all.total).toBe(expected);
    expect(all.ids).toHaveLength(expected);
    // pages of 3 put together are the whole list, in the same order, none twice
    const walked: string[] = [];
    for (let offset = 0; offset < all.total; offset += 3) {
      const page = await pageOf(`${path}&limit=3&offset=${offset}`);
      expect(page.total).toBe(expected);
      walked.push(...page.ids);
    }
    expect(walked).toEqual(all.ids);
    // past the end: an empty page, the total still told
    expect(await pageOf(`${path}&limit=3&offset=${expected + 10}`)).toEqual({ ids: [], total: expected });
  });

  it('counts through the caller\'s scope and filters, on the other lists too', async () => {
    expect((await pageOf('/api/sites')).total).toBe(6);
    expect((await pageOf('/api/sites?region=220104')).total).toBe(1);
    expect((await pageOf('/api/workorders')).total).toBe(0);
    expect((await pageOf('/api/inspections')).total).toBe(0);
    expect((await pageOf('/api/users?limit=1')).ids).toHaveLength(1);
    expect((await pageOf('/api/users?limit=1')).total).toBeGreaterThanOrEqual(1);
    expect(Number((await get('/api/audit?limit=2')).headers['x-total-count'])).toBeGreaterThan(2);
    expect(Number((await get('/api/tokens')).headers['x-total-count'])).toBe(0);
  });

  it('refuses a bad offset with a 400 naming it', async () => {
    const res = await get('/api/tickets?offset=-1');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString()).message).toMatch(/querystring\.offset/);
  });
});

describe('compression', () => {
  it('compresses API JSON for a client that accepts br or gzip, and not for one that does not', async () => {
    const plain = await get('/api/sites');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);

    const gz = await get('/api/sites', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(gz.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    expect(gz.body.length).toBeLessThan(plain.body.length / 2);

    const br = await get('/api/sites', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    // the paging header survives compression
    expect(br.headers['x-total-count']).toBe('6');
  });

  it('compresses the dashboard\'s scripts and the OpenAPI document', async () => {
    const script = (await readdir(ASSETS)).find((f) => f.endsWith('.js'))!;
    const plain = await get(`/assets/${script}`, {}, null);
    expect(plain.status).toBe(200);
    const gz = await get(`/assets/${script}`, { 'accept-encoding': 'gzip' }, null);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const doc = await get('/openapi.json', { 'accept-encoding': 'br' }, null);
    expect(doc.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(doc.body).toString('utf8')).openapi).toMatch(/^3\./);
  });
});

describe('caching and security headers of the dashboard', () => {
  it('caches hashed assets for a year, immutable; index.html is revalidated', async () => {
    const files = await readdir(ASSETS);
    for (const file of [files.find((f) => f.endsWith('.js'))!, files.find((f) => f.endsWith('.css'))!]) {
      const res = await get(`/assets/${file}`, {}, null);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    for (const path of ['/', '/index.html']) {
      const res = await get(path, {}, null);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    // API answers are never the year-long kind
    expect(String((await get('/api/sites')).headers['cache-control'])).not.toMatch(/immutable/);
  });

  it('allows images from the page itself, data: and blob: (photos fetched with the token), nothing wider', async () => {
    const csp = String((await get('/', {}, null)).headers['content-security-policy']);
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/\*|upgrade-insecure-requests/);
  });
});
