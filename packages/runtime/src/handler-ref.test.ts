import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveHandlerRef } from './handler-ref.js';
import { useFixtureDir } from './test-support/fixtures.js';

const fx = useFixtureDir();
fx.write('handlers/items.ts', '');
fx.write('handlers/items.js', '');
fx.write('handlers/users.mjs', '');
fx.write('handlers/orders.cts', '');
fx.write('handlers/my.file.cjs', '');
fx.write('handlers/nested/deep.mts', '');
fx.write('index.js', '');
fx.write('empty/readme.md', '');

const ok = (spec: string) => {
  const result = resolveHandlerRef(fx.dir, spec);
  if (!result.ok) throw new Error(result.message);
  return { file: path.relative(fx.dir, result.value.file).split(path.sep).join('/'), exportName: result.value.exportName };
};

describe('resolveHandlerRef', () => {
  it.each([
    ['handlers/items.get', 'handlers/items.js', 'get'], // .js before .ts: Lambda's order
    ['handlers/users.list', 'handlers/users.mjs', 'list'],
    ['handlers/orders.create', 'handlers/orders.cts', 'create'],
    ['handlers/items.ts.get', 'handlers/items.ts', 'get'], // an exact file name wins
    ['./handlers/nested/deep.handler', 'handlers/nested/deep.mts', 'handler'],
    ['handlers/my.file.handler', 'handlers/my.file.cjs', 'handler'], // last dot first
    ['index.routes.get', 'index.js', 'routes.get'], // then Lambda's first-dot reading
    ['handlers\\users.list', 'handlers/users.mjs', 'list'], // Windows-style separators
  ])('%s → %s export %s', (spec, file, exportName) => {
    expect(ok(spec)).toEqual({ file, exportName });
  });

  it('resolves absolute specs and returns absolute files', () => {
    const result = resolveHandlerRef('/elsewhere', path.join(fx.dir, 'handlers/users.list'));
    expect(result).toEqual({ ok: true, value: { file: path.join(fx.dir, 'handlers/users.mjs'), exportName: 'list' } });
  });

  it.each(['handlers/items', 'handlers/items.', '.handler', ''])('rejects %j, which is not FILE.EXPORT', (spec) => {
    const result = resolveHandlerRef(fx.dir, spec);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('is not of the form FILE.EXPORT') });
  });

  it('names the paths it tried and suggests the closest file', () => {
    const result = resolveHandlerRef(fx.dir, 'handlers/itemz.get');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(
      `handler "handlers/itemz.get": no such file (tried handlers/itemz.js, handlers/itemz.mjs, handlers/itemz.cjs, handlers/itemz.ts, handlers/itemz.mts, handlers/itemz.cts in ${fx.dir})`,
    );
    expect(result.hint).toBe('did you mean "handlers/items.get"?');
  });

  it('lists the handler files of the folder when none is close', () => {
    expect(resolveHandlerRef(fx.dir, 'handlers/completely-different.get')).toMatchObject({
      ok: false,
      hint: 'handler files in "handlers/": items.js, items.ts, my.file.cjs, orders.cts, users.mjs',
    });
  });

  it('says when the folder does not exist or has no handler file', () => {
    expect(resolveHandlerRef(fx.dir, 'lambdas/items.get')).toMatchObject({ ok: false, hint: `the folder "lambdas/" does not exist in ${fx.dir}` });
    expect(resolveHandlerRef(fx.dir, 'empty/items.get')).toMatchObject({ ok: false, hint: expect.stringContaining('contains no .js') });
  });
});
