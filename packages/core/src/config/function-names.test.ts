import { describe, expect, it } from 'vitest';
import { MAX_FUNCTION_NAME_LENGTH, nameFunctions } from './function-names.js';
import { resolveConfig } from './resolve-config.js';

const namesOf = (routes: Record<string, unknown>) => {
  const resolved = resolveConfig({ routes });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  return Object.fromEntries(resolved.config.routes.map((r) => [r.key.routeKey, r.integration.type === 'lambda' ? r.integration.functionName : undefined]));
};

describe('function names (issue 13: unique, stable, one per function)', () => {
  it('routes with the same handler and environment invoke one function, named after the handler', () => {
    // `GET /items/{id}` and `GET /items/id` were both `GET_items_id` when names came from route keys.
    expect(namesOf({ 'GET /items/{id}': 'handlers/items.get', 'GET /items/id': 'handlers/items.get', 'GET /other': { handler: './handlers/items.get' } })).toEqual({
      'GET /items/{id}': 'handlers-items-get',
      'GET /items/id': 'handlers-items-get',
      'GET /other': 'handlers-items-get',
    });
  });

  it('a different environment is a different function; the first in config order keeps the plain name', () => {
    const names = namesOf({
      'GET /a': 'h.handler',
      'GET /b': { handler: 'h.handler', environment: { TABLE: 'b' } },
      'GET /c': { handler: 'h.handler', environment: { TABLE: 'b' } },
      'GET /d': { handler: 'h.handler', environment: { TABLE: 'd' } },
      // Another spec whose name would collide.
      'GET /e': 'h-handler.x',
      'GET /f': 'h.handler-2',
    });
    expect(names).toEqual({ 'GET /a': 'h-handler', 'GET /b': 'h-handler-2', 'GET /c': 'h-handler-2', 'GET /d': 'h-handler-3', 'GET /e': 'h-handler-x', 'GET /f': 'h-handler-2-2' });
    expect(new Set(Object.values(names).filter((n, i, all) => all.indexOf(n) === i)).size).toBe(5);
  });

  it('the same config gives the same names, whatever the order of environment keys', () => {
    const routes = { 'GET /x': { handler: 'h.handler', environment: { A: '1', B: '2' } }, 'GET /y': { handler: 'h.handler', environment: { B: '2', A: '1' } } };
    expect(namesOf(routes)).toEqual(namesOf(routes));
    expect(namesOf(routes)['GET /x']).toBe(namesOf(routes)['GET /y']);
  });

  it('inline functions are named after the first route using them', () => {
    const shared = async () => 'x';
    expect(namesOf({ 'GET /items/{id}': { handler: shared }, 'GET /items/id': { handler: async () => 'y' }, 'POST /items': { handler: shared }, $default: { handler: async () => 'z' } })).toEqual({
      'GET /items/{id}': 'GET-items-id',
      'GET /items/id': 'GET-items-id-2',
      'POST /items': 'GET-items-id',
      $default: 'default',
    });
  });

  it("stays within Lambda's 64 characters and charset, suffix included", () => {
    const long = `${'a'.repeat(80)}/h.handler`;
    const [first, second] = nameFunctions([
      { handler: long, environment: {}, routeKey: 'GET /1' },
      { handler: long, environment: { X: '1' }, routeKey: 'GET /2' },
    ]);
    expect(first).toHaveLength(MAX_FUNCTION_NAME_LENGTH);
    expect(second).toHaveLength(MAX_FUNCTION_NAME_LENGTH);
    expect(second).toMatch(/^a+-2$/);
    expect(nameFunctions([{ handler: 'ünïcode/ø.handler', environment: {}, routeKey: '$default' }])[0]).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});
