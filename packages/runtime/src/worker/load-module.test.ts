import { describe, expect, it } from 'vitest';
import { createTestRuntime, payloadOf, useFixtureDir } from '../test-support/fixtures.js';

const fx = useFixtureDir();

fx.write('esm/package.json', '{ "type": "module" }');
fx.write('cjs/package.json', '{}');

const syntaxMjs = fx.write('bad/syntax.mjs', `export const handler = async () => {\n  return { ok: true ;\n};\n`);
const syntaxCjs = fx.write('bad/syntax.cjs', `exports.handler = async () => {\n  const = 1;\n};\n`);
const syntaxTs = fx.write('bad/syntax.ts', `export const handler = async (): Promise<number> => {\n  return 1 +;\n};\n`);
fx.write('bad/exports.mjs', `export const list = async () => [];\nexport const put = async () => null;\nexport const config = { table: 'x' };\n`);
fx.write('bad/missing-import.mjs', `import 'no-such-package-localgw';\nexport const handler = async () => 1;\n`);
fx.write('bad/init-throws.mjs', `throw new Error('cannot connect');\nexport const handler = async () => 1;\n`);

// TypeScript, in every module flavour; line 4 throws.
const tsBody = (label: string) => `interface Event { fail?: boolean }
type Result = { flavour: string };
export const handler = async (event: Event): Promise<Result> => {
  if (event.fail) throw new Error('${label} failed');
  return { flavour: '${label}' };
};
`;
fx.write('esm/handler.ts', tsBody('esm ts'));
fx.write('cjs/handler.ts', tsBody('cjs ts'));
fx.write('cjs/handler.mts', tsBody('mts'));
fx.write('esm/handler.cts', tsBody('cts'));
fx.write('esm/helper.ts', `export const double = (n: number): number => n * 2;\n`);
fx.write('esm/late.ts', `export const triple = (n: number): number => n * 3;\n`);
fx.write(
  'esm/imports.ts',
  `import { double } from './helper.js';
export const handler = async (event: { n: number }) => ({ doubled: double(event.n), later: (await import('./late.js')).triple(1) });
`,
);

describe('load errors → load-error outcome (500)', () => {
  it.each([
    ['an ES module', 'bad/syntax.mjs.handler', syntaxMjs, '2:21'],
    ['a CommonJS module', 'bad/syntax.cjs.handler', syntaxCjs, '2:9'],
    ['TypeScript', 'bad/syntax.ts.handler', syntaxTs, '2:13'],
  ])('a syntax error in %s names file:line:column', async (_title, spec, file, position) => {
    const { invoke } = createTestRuntime();
    const outcome = await invoke(fx.ref(spec));
    expect(outcome.kind).toBe('load-error');
    expect(outcome.kind === 'load-error' && outcome.message).toMatch(/^Runtime\.UserCodeSyntaxError: /);
    expect(outcome.kind === 'load-error' && outcome.message).toContain(`${file}:${position}: `);
  });

  it('a missing export lists the exports that exist', async () => {
    const { invoke } = createTestRuntime();
    expect(await invoke({ file: fx.ref('bad/exports.list').file, exportName: 'get' })).toEqual({
      kind: 'load-error',
      message: expect.stringMatching(/^Runtime\.HandlerNotFound: exports\.mjs does not export "get" \(it exports: config, list, put\)/),
    });
  });

  it('an export that is not a function says what it is', async () => {
    const { invoke } = createTestRuntime();
    expect(await invoke(fx.ref('bad/exports.config'))).toMatchObject({
      kind: 'load-error',
      message: expect.stringMatching(/export "config" of exports\.mjs is not a function \(it is an object\)/),
    });
  });

  it('a missing dependency is Runtime.ImportModuleError', async () => {
    const { invoke } = createTestRuntime();
    expect(await invoke(fx.ref('bad/missing-import.handler'))).toMatchObject({
      kind: 'load-error',
      message: expect.stringMatching(/^Runtime\.ImportModuleError: .*no-such-package-localgw/),
    });
  });

  it('an error thrown by top-level code says it happened while loading', async () => {
    const { invoke } = createTestRuntime();
    const outcome = await invoke(fx.ref('bad/init-throws.handler'));
    expect(outcome).toMatchObject({ kind: 'load-error', message: expect.stringMatching(/^Error: cannot connect \(thrown while loading .*init-throws\.mjs\)/) });
    expect(outcome.kind === 'load-error' && outcome.stack).toMatch(/init-throws\.mjs:1:7/);
  });
});

describe('TypeScript handlers (through tsx, no build step)', () => {
  it.each([
    ['.ts under "type": "module"', 'esm/handler', 'esm ts'],
    ['.ts in a CommonJS package', 'cjs/handler', 'cjs ts'],
    ['.mts', 'cjs/handler.mts', 'mts'],
    ['.cts', 'esm/handler.cts', 'cts'],
  ])('%s runs, and its stack points at the .ts line', async (_title, module, flavour) => {
    const { invoke } = createTestRuntime();
    const ref = fx.ref(`${module}.handler`);
    expect(payloadOf(await invoke(ref))).toEqual({ flavour });
    const outcome = await invoke(ref, { event: { fail: true } });
    expect(outcome).toMatchObject({ kind: 'error', errorMessage: `${flavour} failed` });
    const base = ref.file.split(/[\\/]/).pop()!;
    expect(outcome.kind === 'error' && outcome.stack).toContain(`${base}:4:`);
  });

  it('imports other TypeScript modules, statically and while the handler runs', async () => {
    const { invoke } = createTestRuntime();
    expect(payloadOf(await invoke(fx.ref('esm/imports.handler'), { event: { n: 21 } }))).toEqual({ doubled: 42, later: 3 });
  });
});
