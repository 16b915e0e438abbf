import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestRuntime, useFixtureDir } from './test-support/fixtures.js';

const fx = useFixtureDir();

fx.write('ok.mjs', `export const handler = async () => 'ok';\n`);
fx.write('typed.ts', `export const handler = async (): Promise<string> => 'ok';\n`);
const broken = fx.write('broken.mjs', `export const handler = async () => {\n  return (;\n};\n`);
fx.write('exports.cjs', `exports.list = async () => [];\nexports.config = 42;\n`);
fx.write('exits.mjs', `process.exit(2);\n`);
// Counts its loads in a file next to it: one line per worker that loaded it.
const loads = path.join(fx.dir, 'loads.txt');
fx.write('counted.mjs', `import fs from 'node:fs';\nfs.appendFileSync(${JSON.stringify(loads)}, 'x\\n');\nexport const handler = async () => 'ok';\n`);

describe('verify()', () => {
  it('reports each broken handler with a message saying where to fix it, in order', async () => {
    const { runtime } = createTestRuntime();
    const missing = { file: path.join(fx.dir, 'missing.mjs'), exportName: 'handler' };
    const problems = await runtime.verify([
      fx.ref('ok.handler'),
      fx.ref('broken.handler'),
      fx.ref('typed.handler'),
      { file: fx.ref('exports.list').file, exportName: 'get' },
      fx.ref('exports.config'),
      missing,
      fx.ref('exits.handler'),
    ]);
    expect(problems.map((p) => [path.basename(p.handler.file), p.handler.exportName])).toEqual([
      ['broken.mjs', 'handler'],
      ['exports.cjs', 'get'],
      ['exports.cjs', 'config'],
      ['missing.mjs', 'handler'],
      ['exits.mjs', 'handler'],
    ]);
    const [syntax, noExport, notFunction, noFile, exits] = problems.map((p) => p.message);
    expect(syntax).toContain(`${broken}:2:11: SyntaxError: Unexpected token ';'`);
    expect(noExport).toMatch(/does not export "get" \(it exports: config, list\)/);
    expect(notFunction).toMatch(/export "config" of exports\.cjs is not a function \(it is a number\)/);
    expect(noFile).toBe(`file not found: ${missing.file}`);
    expect(exits).toMatch(/ended its worker while loading: Runtime\.ExitError: the worker exited with code 2/);
  });

  it('reports nothing for good handlers', async () => {
    const { runtime } = createTestRuntime();
    expect(await runtime.verify([fx.ref('ok.handler'), fx.ref('typed.handler')])).toEqual([]);
    expect(await runtime.verify([])).toEqual([]);
  });

  it('loads each distinct file and export once, and reports its problem for every entry naming it (issue 13.4)', async () => {
    const { runtime } = createTestRuntime();
    // 3,001 routes on one handler used to start 3,001 throwaway workers.
    const counted = Array.from({ length: 300 }, () => fx.ref('counted.handler'));
    expect(await runtime.verify(counted)).toEqual([]);
    expect(fs.readFileSync(loads, 'utf8')).toBe('x\n');
    const missing = { file: counted[0]!.file, exportName: 'nope' };
    const problems = await runtime.verify([missing, fx.ref('counted.handler'), { ...missing }, fx.ref('broken.handler'), missing]);
    expect(problems.map((p) => p.handler.exportName)).toEqual(['nope', 'nope', 'handler', 'nope']);
    expect(new Set(problems.filter((p) => p.handler.exportName === 'nope').map((p) => p.message)).size).toBe(1);
    expect(fs.readFileSync(loads, 'utf8')).toBe('x\nx\nx\n');
  });
});
