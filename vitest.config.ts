import { defineConfig } from 'vitest/config';

// Five tiers, each a project: `vitest run --project unit` runs one (see package.json's test:* scripts).
const tier = (name: string) => ({ extends: true as const, test: { name, include: [`tests/${name}/**/*.test.ts`] } });
// The cluster's tests run several FireNet nodes, PostgreSQL, Redis, HAProxy and 5,000 devices at once: alone, after
// the other tiers, one file at a time, so neither they nor a browser test starve on two cores.
const cluster = { extends: true as const, test: { name: 'cluster', include: ['tests/cluster/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } };

export default defineConfig({
  test: {
    // Starts PostgreSQL unless only the unit tier runs.
    globalSetup: ['tests/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: files run two at a time; each starts its own servers on ephemeral loopback ports.
    maxWorkers: 2,
    projects: [tier('unit'), tier('store'), tier('platform'), tier('browser'), cluster],
  },
});
