import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModuleGraphEntry } from '../worker-slot.js';
import { createTestRuntime, payloadOf, useFixtureDir } from '../test-support/fixtures.js';

const fx = useFixtureDir();
fx.write('lib/word.mjs', `import { suffix } from './suffix.mjs';\nexport const word = () => 'w' + suffix;`);
fx.write('lib/suffix.mjs', `export const suffix = '!';`);
fx.write('lib/legacy.cjs', `module.exports = require('./legacy-dep.cjs');`);
fx.write('lib/legacy-dep.cjs', `module.exports = { n: 1 };`);
fx.write('lib/typed.ts', `export const typed = (n: number): string => 't' + n;`);
fx.write('handlers/esm.mjs', `import { word } from '../lib/word.mjs';\nimport legacy from '../lib/legacy.cjs';\nexport const handler = async () => word() + legacy.n;`);
fx.write('handlers/ts.ts', `import { typed } from '../lib/typed.ts';\nexport const handler = async (): Promise<string> => typed(2);`);

describe('module graph (what a watcher must watch)', () => {
  it('reports every local file the handler loaded: ESM imports, CommonJS requires, nested', async () => {
    const graphs: ModuleGraphEntry[] = [];
    const { invoke } = createTestRuntime({ onModules: (entry) => graphs.push(entry) });
    const ref = fx.ref('handlers/esm.handler');
    expect(payloadOf(await invoke(ref))).toBe('w!1');
    await expect.poll(() => graphs.length).toBe(1);
    expect(graphs[0]!.handler).toEqual(ref);
    expect(graphs[0]!.files).toEqual(
      ['handlers/esm.mjs', 'lib/word.mjs', 'lib/suffix.mjs', 'lib/legacy.cjs', 'lib/legacy-dep.cjs'].map((f) => path.join(fx.dir, f)).sort(),
    );
  });

  it('includes TypeScript modules loaded through tsx, and nothing from node_modules', async () => {
    const graphs: ModuleGraphEntry[] = [];
    const { invoke } = createTestRuntime({ onModules: (entry) => graphs.push(entry) });
    expect(payloadOf(await invoke(fx.ref('handlers/ts.handler')))).toBe('t2');
    await expect.poll(() => graphs.length).toBe(1);
    expect(graphs[0]!.files).toEqual(expect.arrayContaining([path.join(fx.dir, 'handlers/ts.ts'), path.join(fx.dir, 'lib/typed.ts')]));
    expect(graphs[0]!.files.filter((f) => f.includes('node_modules'))).toEqual([]);
  });

  it("is reported once per handler file until the code reloads: later workers of that file skip the tracking", async () => {
    const graphs: ModuleGraphEntry[] = [];
    const { runtime } = createTestRuntime({ onModules: (entry) => graphs.push(entry) });
    const ref = fx.ref('handlers/esm.handler');
    const call = (functionName: string) => runtime.invoke({ functionName, handler: ref, event: {}, requestId: functionName, timeoutMs: 10_000 });
    expect(payloadOf(await call('first'))).toBe('w!1');
    await expect.poll(() => graphs.length).toBe(1);
    // Another function on the same file (a route a config edit added): a new worker, no report.
    // (A tracking worker posts its graph before its first result, on the same port.)
    expect(payloadOf(await call('second'))).toBe('w!1');
    expect(graphs).toHaveLength(1);
    // After a reload (the code changed), the file's graph is reported again, by the workers
    // started warm for the new code.
    await runtime.reload();
    expect(payloadOf(await call('first'))).toBe('w!1');
    await expect.poll(() => graphs.length).toBeGreaterThanOrEqual(2);
  });
});
