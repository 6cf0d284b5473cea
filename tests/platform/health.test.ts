// /api/health tells a load balancer the truth: 503 "degraded", naming the part that is down, while PostgreSQL is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';

let pg: PostgresServer;
let fn: TestFireNet;

beforeAll(async () => {
  // its own server: the shared one must stay up for the other files
  pg = await startPostgres();
  fn = await startTestFireNet({ DATABASE_URL: pg.url });
});
afterAll(async () => {
  await fn?.stop();
  await pg?.stop();
});

const health = async () => {
  const res = await fetch(`${fn.httpUrl}/api/health`);
  return { status: res.status, body: await res.json() as any };
};

describe('GET /api/health', () => {
  it('answers 200 ok while every part is up', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', down: [], database: { kind: 'postgres', ok: true } });
  });

  it('answers 503 degraded naming the database while PostgreSQL is down, and 200 ok once it is back', async () => {
    await pg.down();
    const started = Date.now();
    const res = await health();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'degraded', down: ['database'], database: { kind: 'postgres', ok: false } });
    await pg.up();
    const back = await eventually(async () => { const r = await health(); return r.status === 200 && r; }, 15_000, 'health ok again');
    expect(back.body).toMatchObject({ status: 'ok', down: [], database: { ok: true } });
  });
});
