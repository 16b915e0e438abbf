// The other unit tests run from src/, where the worker entry is TypeScript and a tsx bootstrap
// loads it. This one compiles the package, as `tsc -b` does for dist/, and runs the compiled
// entry in a plain `node` child process: no tsx anywhere but for TypeScript handlers.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNodeScript, useFixtureDir } from './test-support/fixtures.js';

const packageDir = path.resolve(import.meta.dirname, '..');
const fx = useFixtureDir();
let buildDir: string;

beforeAll(async () => {
  // Inside the package (so `tsx` resolves as from dist/), inside dist/ (ignored by git and lint).
  fs.mkdirSync(path.join(packageDir, 'dist'), { recursive: true });
  buildDir = fs.mkdtempSync(path.join(packageDir, 'dist', '.test-build-'));
  const tsc = createRequire(path.join(packageDir, '..', '..', 'package.json')).resolve('typescript/bin/tsc');
  const args = ['-p', path.join(packageDir, 'tsconfig.json'), '--outDir', buildDir, '--composite', 'false', '--incremental', 'false', '--declaration', 'false', '--declarationMap', 'false'];
  await promisify(execFile)(process.execPath, [tsc, ...args]);
}, 60_000);

afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));

describe('the compiled package', () => {
  it('runs ESM, CommonJS and TypeScript handlers from worker/entry.js, reports errors, and exits cleanly', async () => {
    expect(fs.existsSync(path.join(buildDir, 'worker', 'entry.js'))).toBe(true);
    fx.write('handlers/esm.mjs', `export const handler = async (event) => { console.log('from esm'); return { esm: event.n }; };\n`);
    fx.write('handlers/common.cjs', `exports.handler = (event, context, callback) => callback(null, { cjs: context.functionName });\n`);
    fx.write('handlers/typed.ts', `type E = { n: number };\nexport const handler = async (event: E): Promise<never> => {\n  throw new Error('typed ' + event.n);\n};\n`);
    fx.write('handlers/dep.ts', `export const answer: number = 42;\n`);
    fx.write('handlers/dynamic.ts', `export const handler = async () => ({ answer: (await import('./dep.js')).answer });\n`);
    const broken = fx.write('handlers/broken.mjs', `export const handler = async () => {\n  return [;\n};\n`);
    const script = fx.write(
      'main.mjs',
      `import { createRuntime, resolveHandlerRef } from ${JSON.stringify(pathToFileURL(path.join(buildDir, 'index.js')).href)};
const logs = [];
const runtime = createRuntime({ onLog: (entry) => logs.push(entry.text) });
const invoke = (spec) => runtime.invoke({ functionName: 'fn', handler: resolveHandlerRef(${JSON.stringify(fx.dir)}, spec).value, event: { n: 5 }, requestId: 'r', timeoutMs: 10000 });
const outcomes = [];
for (const spec of ['handlers/esm.handler', 'handlers/common.handler', 'handlers/typed.handler', 'handlers/broken.handler', 'handlers/dynamic.handler']) outcomes.push(await invoke(spec));
await runtime.close();
console.log(JSON.stringify({ outcomes, logs, doneAt: Date.now() }));
`,
    );
    const { code, stdout, stderr, exitedAt } = await runNodeScript(script);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const report = JSON.parse(stdout) as { outcomes: Array<Record<string, string>>; logs: string[]; doneAt: number };
    const [esm, cjs, typed, syntax, dynamic] = report.outcomes;
    expect(esm).toEqual({ kind: 'ok', payload: '{"esm":5}' });
    expect(cjs).toEqual({ kind: 'ok', payload: '{"cjs":"fn"}' });
    expect(typed).toMatchObject({ kind: 'error', errorType: 'Error', errorMessage: 'typed 5' });
    expect(typed?.stack).toContain('typed.ts:3:');
    expect(syntax).toMatchObject({ kind: 'load-error' });
    expect(syntax?.message).toContain(`${broken}:2:`);
    // A module first imported while an async handler awaits it: the loop is not "empty" meanwhile.
    expect(dynamic).toEqual({ kind: 'ok', payload: '{"answer":42}' });
    expect(report.logs).toEqual(['from esm']);
    expect(exitedAt - report.doneAt).toBeLessThan(2000);
  });
});
