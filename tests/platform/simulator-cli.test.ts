// The simulator as a standalone program against a running FireNet: it provisions over the API and connects over MQTT.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let fn: TestFireNet;

beforeAll(async () => {
  fn = await startTestFireNet({ LOG_LEVEL: 'warn' });
  await fn.provisionSite('jh-rmyy', '220281', '蛟河市人民医院');
});
afterAll(() => fn?.stop());

function simulate(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/cli.ts', ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info' } });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run simulate', () => {
  it('provisions N devices through the API, connects them and sends telemetry', async () => {
    const { code, output } = await simulate(['--url', fn.mqttUrl, '--api', fn.httpUrl, '--user', 'admin', '--password', ADMIN_PASSWORD, '--devices', '8', '--rate', '0', '--duration', '6']);
    expect(code, output).toBe(0);
    const devices = (await fn.api<{ id: string; lastSeenAt: string | null }[]>('/api/devices')).body;
    expect(devices).toHaveLength(8);
    // every device reported soon after connecting (last-seen times are written every 2 s)
    await eventually(async () => (await fn.api<{ lastSeenAt: string | null }[]>('/api/devices')).body.every((d) => d.lastSeenAt !== null), 5000, 'all 8 devices seen');
    const health = (await fn.api('/api/health')).body;
    expect(health.gateway.connectsAccepted).toBeGreaterThanOrEqual(8);
    expect(health.gateway.connectsRefused).toEqual({});
    expect(health.gateway.badMessages).toBe(0);
    const telemetry = Object.entries(health.gateway.messagesIn as Record<string, number>).filter(([k]) => k.endsWith('/telemetry'));
    expect(telemetry.reduce((n, [, v]) => n + v, 0)).toBeGreaterThanOrEqual(8);
  });

  it('exits non-zero naming a bad flag', async () => {
    const { code, output } = await simulate(['--url', fn.mqttUrl, '--api', fn.httpUrl, '--user', 'admin', '--password', ADMIN_PASSWORD, '--devices', 'many']);
    expect(code).toBe(2);
    expect(output).toMatch(/--devices/);
  });
});
