// The layers import one way (docs/architecture.md): dependency-cruiser reads the imports, .dependency-cruiser.cjs
// holds the rules, and .dependency-cruiser-known-violations.json the wrong imports of today, left for the work that
// removes them. Any other import that breaks a rule fails here. Pure: no server, no database.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
  forbidden: NonNullable<ICruiseOptions['ruleSet']>['forbidden'];
  options: ICruiseOptions & { tsConfig: { fileName: string } };
};

async function violations(dir: string, targets: string[], knownViolations: ICruiseOptions['knownViolations'] = []): Promise<IViolation[]> {
  const { tsConfig, ...options } = config.options;
  const result = await cruise(
    targets,
    { ...options, baseDir: dir, validate: true, ruleSet: { forbidden: config.forbidden }, knownViolations },
    {},
    { tsConfig: extractTSConfig(join(dir, tsConfig.fileName)) },
  );
  return (result.output as ICruiseResult).summary.violations.filter((v) => v.rule.severity !== 'ignore');
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((c) => c.name).join(' → ') : v.to}`;

describe('layers', () => {
  it('no import runs from a lower layer up to a higher one, nor from the product to the simulators, beyond the known ones', async () => {
    const known = JSON.parse(await readFile(join(root, '.dependency-cruiser-known-violations.json'), 'utf8'));
    const found = await violations(root, ['main.ts', 'contracts', 'platform', 'gateway', 'simulators'], known);
    expect(found.map(describeViolation), 'imports that break .dependency-cruiser.cjs (docs/architecture.md says where they belong)').toEqual([]);
  });

  it('the rules bite: a decision importing the store, a contract importing a decision, contracts/ importing the platform, the store importing a decision, a route importing the store, the app importing the simulators, a cycle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firenet-layers-'));
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['.'] }),
        'platform/store/store.ts': "export class Store {}\n",
        'platform/rules/engine.ts': "import { Store } from '../store/store.js';\nexport const engine = new Store();\n",
        'platform/alarms/lifecycle.ts': "export type AlarmStatus = 'new' | 'closed';\n",
        'contracts/records.ts': "import type { AlarmStatus } from '../platform/alarms/lifecycle.js';\nexport type Alarm = { status: AlarmStatus };\n",
        'platform/errors.ts': "export class HttpError extends Error {}\n",
        'contracts/device-api.ts': "import { HttpError } from '../platform/errors.js';\nexport const refusal = new HttpError();\n",
        'platform/reports/figures.ts': "export type HazardCounts = Record<string, number>;\n",
        'platform/store/stats.ts': "import type { HazardCounts } from '../reports/figures.js';\nexport type Stats = HazardCounts;\n",
        'platform/api/alarms.ts': "import { Store } from '../store/store.js';\nexport const routes = new Store();\n",
        'platform/api/context.ts': "import { Store } from '../store/store.js';\nexport const context = new Store();\n",
        'simulators/x.ts': "export const fleet = 1;\n",
        'platform/app.ts': "import { fleet } from '../simulators/x.js';\nimport { engine } from './rules/engine.js';\nexport const app = [fleet, engine];\n",
        'platform/notify/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'platform/notify/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      const found = (await violations(dir, ['contracts', 'platform', 'simulators'])).map(describeViolation);
      expect(found).toEqual(expect.arrayContaining([
        'decide-imports-upward: platform/rules/engine.ts → platform/store/store.ts',
        'contracts-imports-upward: contracts/records.ts → platform/alarms/lifecycle.ts',
        'contracts-stand-alone: contracts/records.ts → platform/alarms/lifecycle.ts',
        'no-simulators-in-product: platform/app.ts → simulators/x.ts',
        'contracts-stand-alone: contracts/device-api.ts → platform/errors.ts',
        'store-knows-sql-and-contracts: platform/store/stats.ts → platform/reports/figures.ts',
        'edges-through-owners: platform/api/alarms.ts → platform/store/store.ts',
      ]));
      // an accepted exception (.dependency-cruiser.cjs, edgesReachingTheStore) is not reported
      expect(found.filter((v) => v.startsWith('edges-through-owners: platform/api/context.ts'))).toEqual([]);
      expect(found.filter((v) => v.startsWith('no-circular: platform/notify/'))).not.toEqual([]);
      // downward imports are fine: the app wiring the engine, the engine's own folder
      expect(found.filter((v) => v.includes('platform/app.ts → platform/rules/engine.ts'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the dashboard', () => {
  it('takes from the server only its contracts: records, HTTP bodies, rules and pushes come from contracts/', async () => {
    const src = join(root, 'dashboard/src');
    const files = (await readdir(src, { recursive: true })).filter((f) => /\.(ts|vue)$/.test(f));
    const outside: string[] = [];
    for (const file of files) {
      const text = await readFile(join(src, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(root, resolve(dirname(join(src, file)), spec!));
        if (!target.startsWith('dashboard/') && !target.startsWith('contracts/')) outside.push(`${file} → ${target}`);
      }
    }
    expect(files.length).toBeGreaterThan(50);
    expect(outside, 'dashboard imports of server code (the types belong in contracts/)').toEqual([]);
  });
});
