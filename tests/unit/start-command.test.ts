// How FireNet is started (platform/cluster/local/start-command.ts): npm start's script is the one place its allocator
// settings and Node options are written; the local cluster and the benchmarks read them from there.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStartScript, startCommand } from '../../platform/cluster/local/start-command.js';

describe('the start command', () => {
  it('splits the variables set before node from the Node options before the entry point', () => {
    expect(parseStartScript('A_B=1 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=32768 node --x=1 --y dist/main.js')).toEqual({
      env: { A_B: '1', GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=32768' },
      nodeArgs: ['--x=1', '--y'],
    });
    expect(parseStartScript('node dist/main.js')).toEqual({ env: {}, nodeArgs: [] });
  });

  it('refuses a script it cannot read rather than starting the nodes some other way', () => {
    expect(() => parseStartScript('tsx main.ts')).toThrow(/does not run node/);
    expect(() => parseStartScript('cd dist && node main.js')).toThrow(/other than a variable/);
  });

  it('reads npm start: the allocator returns freed memory and V8 compiles on one thread', () => {
    const { env, nodeArgs } = startCommand(fileURLToPath(new URL('../..', import.meta.url)));
    expect(env.GLIBC_TUNABLES).toMatch(/glibc\.malloc\.mmap_threshold=\d+/);
    expect(nodeArgs).toContain('--v8-pool-size=1');
  });
});
