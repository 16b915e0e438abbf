import { describe, expect, it } from 'vitest';
import { compileGateway } from './compile-gateway.js';
import { resolveConfig } from './config/resolve-config.js';

describe('compileGateway', () => {
  it('compiles routes into a matcher in priority order, with names and templates precomputed', () => {
    const resolved = resolveConfig({
      stage: 'dev',
      routes: { $default: 'h.d', 'ANY /{proxy+}': 'h.p', 'GET /pets/{id}': 'h.i', 'GET /pets/dog': 'h.s' },
    });
    if (!resolved.ok) throw new Error('invalid');
    const model = compileGateway(resolved.config);
    expect(model.stage).toBe('dev');
    expect(model.cors).toBeUndefined();
    expect(model.matcher.routes.map((r) => r.target.routeKey)).toEqual(['GET /pets/dog', 'GET /pets/{id}', 'ANY /{proxy+}', '$default']);
    const match = model.matcher.match('GET', '/pets/7');
    expect(match?.target).toMatchObject({ routeKey: 'GET /pets/{id}', routePath: '/pets/{id}', integration: { functionName: 'h-i' } });
    expect(match?.pathParameters).toEqual({ id: '7' });
    expect(model.matcher.routes.at(-1)!.target.routePath).toBeUndefined();
  });

  it('compiles CORS only when configured', () => {
    const resolved = resolveConfig({ cors: { allowOrigins: ['https://a.example'] }, routes: {} });
    if (!resolved.ok) throw new Error('invalid');
    expect(compileGateway(resolved.config).cors).toBeDefined();
  });
});
