import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.js';

describe('configuration', () => {
  it('runs on defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ HTTP_PORT: 8080, MQTT_PORT: 1883, MQTT_WS_PORT: 8083, DATA_DIR: './data', FIRENET_DEMO: true, LOG_LEVEL: 'info' });
    expect(c.DATABASE_URL).toBeUndefined();
  });
  it('listens for GB/T 26875.3 on 9026 unless GB26875_PORT says another port, or 0 for none', () => {
    expect(loadConfig({}).GB26875_PORT).toBe(9026);
    expect(loadConfig({ GB26875_PORT: '19026' }).GB26875_PORT).toBe(19026);
    expect(loadConfig({ GB26875_PORT: '0' }).GB26875_PORT).toBe(0);
    expect(() => loadConfig({ GB26875_PORT: '65536' })).toThrow(/GB26875_PORT:/);
  });
  it('has monthly reports due on the 21st, each level above two days later, unless said otherwise', () => {
    expect(loadConfig({})).toMatchObject({ REPORT_DUE_DAY: 21, REPORT_SUMMARY_DAYS: 2 });
    expect(loadConfig({ REPORT_DUE_DAY: '10', REPORT_SUMMARY_DAYS: '0' })).toMatchObject({ REPORT_DUE_DAY: 10, REPORT_SUMMARY_DAYS: 0 });
  });
  it('turns the demo off with FIRENET_DEMO=0', () => {
    expect(loadConfig({ FIRENET_DEMO: '0' }).FIRENET_DEMO).toBe(false);
  });
  it('runs as a cluster node only on PostgreSQL: CLUSTER_REDIS_URL without DATABASE_URL is refused, naming DATABASE_URL', () => {
    expect(() => loadConfig({ CLUSTER_REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/DATABASE_URL: cluster mode \(CLUSTER_REDIS_URL\) needs PostgreSQL/);
    const c = loadConfig({ CLUSTER_REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://db/firenet', CLUSTER_NODE_ID: 'node-2' });
    expect(c).toMatchObject({ CLUSTER_REDIS_URL: 'redis://127.0.0.1:6379', CLUSTER_NODE_ID: 'node-2' });
    expect(loadConfig({}).CLUSTER_REDIS_URL).toBeUndefined();
  });
  it.each([
    ['CLUSTER_REDIS_URL', 'http://redis'], ['CLUSTER_NODE_ID', 'node 1'],
    ['MQTT_PORT', 'abc'], ['HTTP_PORT', '70000'], ['FIRENET_DEMO', 'maybe'], ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'], ['FIRENET_ADMIN_PASSWORD', 'short'], ['REPORT_DUE_DAY', '29'], ['REPORT_DUE_DAY', '0'], ['REPORT_SUMMARY_DAYS', '-1'],
  ])('refuses a bad %s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});
