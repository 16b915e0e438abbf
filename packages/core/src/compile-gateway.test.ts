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

  it('a Lambda route keeps the function name its config sets (a template\'s FunctionName), else one from the route', () => {
    const resolved = resolveConfig({
      authorizers: { keys: { type: 'request', handler: 'a.h', payloadFormatVersion: '2.0', functionName: 'key-auth' } },
      routes: { 'GET /a': { handler: 'h.a', functionName: 'h-b' }, 'GET /b': 'h.b', 'GET /c': { handler: 'h.a', functionName: 'h-b' } },
    });
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const names = compileGateway(resolved.config).matcher.routes.map((r) => (r.target.integration.type === 'lambda' ? r.target.integration.functionName : ''));
    // A set name is kept (two routes to one template function share it); a derived one steps aside.
    expect(names).toEqual(['h-b', 'h-b-2', 'h-b']);
    expect(resolved.config.authorizers.keys).toMatchObject({ functionName: 'key-auth' });
    const bad = resolveConfig({ routes: { 'GET /a': { handler: 'h.a', functionName: 'no spaces' } } });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['routes["GET /a"].functionName']);
  });

  it('compiles CORS only when configured', () => {
    const resolved = resolveConfig({ cors: { allowOrigins: ['https://a.example'] }, routes: {} });
    if (!resolved.ok) throw new Error('invalid');
    expect(compileGateway(resolved.config).cors).toBeDefined();
  });
});
