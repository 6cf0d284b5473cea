// The layers import one way (docs/architecture.md): dependency-cruiser reads the imports, .dependency-cruiser.cjs
// holds the rules, and .dependency-cruiser-known-violations.json the wrong imports of today, left for the work that
// removes them. Any other import that breaks a rule fails here. Pure: no server, no database.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

  it('the rules bite: a decision importing the store, a contract importing a decision, contracts/ importing the platform, the app importing the simulators, a cycle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firenet-layers-'));
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['.'] }),
        'platform/store/store.ts': "export class Store {}\n",
        'platform/rules/engine.ts': "import { Store } from '../store/store.js';\nexport const engine = new Store();\n",
        'platform/alarms/lifecycle.ts': "export type AlarmStatus = 'new' | 'closed';\n",
        'platform/schemas.ts': "import type { AlarmStatus } from './alarms/lifecycle.js';\nexport type Alarm = { status: AlarmStatus };\n",
        'contracts/device-api.ts': "import type { Alarm } from '../platform/schemas.js';\nexport type Frame = { alarm: Alarm };\n",
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
        'contracts-imports-upward: platform/schemas.ts → platform/alarms/lifecycle.ts',
        'no-simulators-in-product: platform/app.ts → simulators/x.ts',
        'contracts-stand-alone: contracts/device-api.ts → platform/schemas.ts',
      ]));
      expect(found.filter((v) => v.startsWith('no-circular: platform/notify/'))).not.toEqual([]);
      // downward imports are fine: the app wiring the engine, the engine's own folder
      expect(found.filter((v) => v.includes('platform/app.ts → platform/rules/engine.ts'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
