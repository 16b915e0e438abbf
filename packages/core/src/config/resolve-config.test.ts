import { describe, expect, it } from 'vitest';
import { resolveConfig } from './resolve-config.js';
import { formatIssue } from './issues.js';
import { defineConfig } from './define-config.js';
import { configJsonSchema } from './json-schema.js';

const issuesOf = (input: unknown) => {
  const result = resolveConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.issues.map(formatIssue);
};

const AUTH = { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['client'] } };

describe('resolveConfig: defaults and shorthands', () => {
  it('expands a handler shorthand with API Gateway defaults', () => {
    const result = resolveConfig({ routes: { 'GET /hello': 'handlers/hello.handler' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.stage).toBe('$default');
    expect(result.config.devTokens).toBe(true);
    expect(result.config.routes[0]).toMatchObject({
      key: { kind: 'route', method: 'GET', path: '/hello' },
      integration: { type: 'lambda', handler: 'handlers/hello.handler', payloadFormatVersion: '2.0', timeoutMs: 30_000, environment: {} },
      authorizer: undefined,
    });
  });

  it('converts timeout seconds to ms and keeps route options', () => {
    const result = resolveConfig({
      authorizers: AUTH,
      routes: {
        'GET /items/{id}': { handler: 'h.get', timeout: 1.5, payloadFormatVersion: '1.0', environment: { A: 'b' }, authorizer: 'main', authorizationScopes: ['r'] },
        'ANY /proxy/{proxy+}': { url: 'http://127.0.0.1:9000/{proxy}' },
      },
    });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.routes[0]!.integration).toMatchObject({ timeoutMs: 1500, payloadFormatVersion: '1.0', environment: { A: 'b' } });
    expect(result.config.routes[0]!.authorizationScopes).toEqual(['r']);
    expect(result.config.routes[1]!.integration).toEqual({ type: 'http', url: 'http://127.0.0.1:9000/{proxy}', method: undefined, timeoutMs: 30_000 });
    expect(result.config.authorizers.main!.identitySource).toBe('$request.header.Authorization');
  });

  it('accepts inline handler functions (programmatic configs)', () => {
    const fn = async () => 'ok';
    const result = resolveConfig({ routes: { 'GET /x': { handler: fn } } });
    expect(result.ok && result.config.routes[0]!.integration).toMatchObject({ handler: fn });
  });

  it('defineConfig is the identity and keeps literal types', () => {
    const config = defineConfig({ routes: { 'GET /a': 'h.a' } });
    expect(config).toEqual({ routes: { 'GET /a': 'h.a' } });
  });
});

describe('resolveConfig: errors name the field and suggest the fix', () => {
  it('unknown top-level key with did-you-mean', () => {
    expect(issuesOf({ route: {} })).toEqual(expect.arrayContaining(['route: unknown key "route" (did you mean "routes"?)']));
  });

  it('unknown key inside a route object', () => {
    expect(issuesOf({ routes: { 'GET /x': { handlr: 'h.x' } } })).toContain('routes["GET /x"].handlr: unknown key "handlr" (did you mean "handler"?)');
  });

  it('unknown authorizer with did-you-mean (DESIGN.md example)', () => {
    expect(issuesOf({ authorizers: AUTH, routes: { 'GET /items/{id}': { handler: 'h.get', authorizer: 'mian' } } })).toEqual([
      'routes["GET /items/{id}"].authorizer: no authorizer named "mian" (did you mean "main"?)',
    ]);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('an inherited name is no authorizer: "authorizer": "%s" is an error', (name) => {
    expect(issuesOf({ authorizers: AUTH, routes: { 'GET /x': { handler: 'h.x', authorizer: name } } })).toEqual([
      expect.stringMatching(new RegExp(`^routes\\["GET /x"\\]\\.authorizer: no authorizer named "${name}" \\(`)),
    ]);
    expect(issuesOf({ routes: { 'GET /x': { handler: 'h.x', authorizer: name } } })).toEqual([
      `routes["GET /x"].authorizer: no authorizer named "${name}" (define it under "authorizers")`,
    ]);
  });

  it('"__proto__" as a name the user picks is refused, where zod would drop it without a word', () => {
    // JSON.parse keeps "__proto__" as an own key, as a JSON or YAML config file does.
    const config = JSON.parse(`{
      "stageVariables": { "__proto__": "x", "constructor": "kept" },
      "authorizers": { "__proto__": { "type": "jwt", "issuer": "https://i.example.com", "audience": ["a"] } },
      "routes": { "__proto__": "h.x", "GET /x": { "handler": "h.x", "environment": { "__proto__": "y" } } }
    }`);
    const hint = '(JavaScript gives this key a special meaning; choose another name)';
    expect(issuesOf(config)).toEqual([
      `stageVariables.__proto__: "__proto__" cannot be used as a name ${hint}`,
      `authorizers.__proto__: "__proto__" cannot be used as a name ${hint}`,
      `routes.__proto__: "__proto__" cannot be used as a name ${hint}`,
      `routes["GET /x"].environment.__proto__: "__proto__" cannot be used as a name ${hint}`,
    ]);
  });

  it('other inherited names are ordinary names: a stage variable and an authorizer called "constructor"', () => {
    const result = resolveConfig({
      stageVariables: { constructor: 'c', toString: 't' },
      authorizers: { constructor: AUTH.main },
      routes: { 'GET /x': { handler: 'h.x', authorizer: 'constructor' } },
    });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.stageVariables).toEqual({ constructor: 'c', toString: 't' });
    expect(result.config.authorizers.constructor).toMatchObject({ name: 'constructor', issuer: AUTH.main.issuer });
  });

  it('§1.1 malformed route keys: greedy not last, partial variable, bad method', () => {
    const issues = issuesOf({ routes: { 'GET /a/{proxy+}/b': 'h.a', 'GET /a/x{id}': 'h.b', 'FETCH /c': 'h.c' } });
    expect(issues).toHaveLength(3);
    expect(issues[0]).toMatch(/^routes\["GET \/a\/\{proxy\+\}\/b"\]: .*last/);
    expect(issues[1]).toMatch(/^routes\["GET \/a\/x\{id\}"\]: /);
    expect(issues[2]).toMatch(/^routes\["FETCH \/c"\]: /);
  });

  it('routes that match exactly the same requests conflict', () => {
    expect(issuesOf({ routes: { 'GET /items/{id}': 'h.a', 'GET /items/{name}': 'h.b' } })).toEqual([
      expect.stringContaining('routes["GET /items/{name}"]: matches exactly the same requests as "GET /items/{id}"'),
    ]);
  });

  it('§3.1 identitySource must be one header or query selection', () => {
    const auth = { main: { ...AUTH.main, identitySource: '$request.header.Authorization, $request.header.X' } };
    expect(issuesOf({ authorizers: auth, routes: {} })[0]).toMatch(/^authorizers\.main\.identitySource: /);
  });

  it('§3.1 audience holds 1 to 50 entries', () => {
    expect(issuesOf({ authorizers: { main: { ...AUTH.main, audience: [] } }, routes: {} })[0]).toMatch(/^authorizers\.main\.audience: /);
  });

  it('§1.2 stage names are $default or letters, digits, - and _', () => {
    expect(issuesOf({ stage: 'a/b', routes: {} })[0]).toMatch(/^stage: a stage name is "\$default" or 1 to 128 letters/);
    expect(resolveConfig({ stage: 'dev_2-x', routes: {} }).ok).toBe(true);
    expect(resolveConfig({ stage: '$default', routes: {} }).ok).toBe(true);
  });

  it('scopes without an authorizer', () => {
    expect(issuesOf({ routes: { 'GET /x': { handler: 'h.x', authorizationScopes: ['a'] } } })[0]).toMatch(/authorizationScopes: scopes need a JWT authorizer/);
  });

  it('timeout outside API Gateway\'s 50 ms – 30 s', () => {
    expect(issuesOf({ routes: { 'GET /x': { handler: 'h.x', timeout: 31 } } })[0]).toMatch(/^routes\["GET \/x"\]\.timeout: /);
  });

  it('§2.1 CORS errors are reported with their path', () => {
    expect(issuesOf({ cors: { allowOrigins: ['*'], allowCredentials: true }, routes: {} }).join('\n')).toMatch(/cors\./);
  });

  it('a route value of the wrong type explains the three forms', () => {
    expect(issuesOf({ routes: { 'GET /x': 42 } })[0]).toMatch(/^routes\["GET \/x"\]: .*\(a route is "FILE.EXPORT"/);
  });
});

describe('traps (warnings for localgw check)', () => {
  const warnings = (input: unknown) => {
    const result = resolveConfig(input);
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    return result.warnings.map(formatIssue);
  };
  const cors = { allowOrigins: ['https://www.example.com'], allowMethods: ['GET'], allowHeaders: ['authorization'] };

  it('§1.7 CORS + authorizer on $default without OPTIONS /{proxy+} → preflights get 401', () => {
    expect(warnings({ cors, authorizers: AUTH, routes: { $default: { handler: 'h.x', authorizer: 'main' } } })).toEqual([
      expect.stringContaining('routes.$default: catches browser preflights (OPTIONS) and requires authorizer "main", so preflights will get 401'),
    ]);
  });

  it('§1.7 an unauthenticated OPTIONS /{proxy+} route removes the trap', () => {
    expect(warnings({ cors, authorizers: AUTH, routes: { $default: { handler: 'h.x', authorizer: 'main' }, 'OPTIONS /{proxy+}': 'h.options' } })).toEqual([]);
  });

  it('§1.7 an ANY route with an authorizer catches its own preflights; OPTIONS /{proxy+} does not outrank it', () => {
    const result = warnings({ cors, authorizers: AUTH, routes: { 'ANY /user': { handler: 'h.x', authorizer: 'main' }, 'OPTIONS /{proxy+}': 'h.options' } });
    expect(result).toEqual([expect.stringContaining('routes["ANY /user"]: catches browser preflights')]);
  });

  it('no CORS configured, no warning', () => {
    expect(warnings({ authorizers: AUTH, routes: { $default: { handler: 'h.x', authorizer: 'main' } } })).toEqual([]);
  });
});

describe('JSON Schema generated from the same source', () => {
  it('describes routes, forbids unknown keys and documents fields', () => {
    const schema = configJsonSchema() as any;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['routes']);
    expect(schema.properties.cors.properties.maxAge.description).toMatch(/-1 to 86400/);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['stage', 'stageVariables', 'cors', 'authorizers', 'routes', 'devTokens']));
  });
});

describe('resolveConfig: Lambda REQUEST authorizers (§5), mapping (§6.2) and throttling (§7.1)', () => {
  const request = (extra: object = {}) => ({ type: 'request', handler: 'auth.check', payloadFormatVersion: '2.0', ...extra });

  it('resolves identity sources, the default TTL and simple responses', () => {
    const result = resolveConfig({
      authorizers: { key: request({ enableSimpleResponses: true, identitySource: ['$request.header.x-api-key', '$context.routeKey'] }), open: request() },
      routes: { 'GET /a': { handler: 'h.a', authorizer: 'key' } },
    });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.authorizers.key).toMatchObject({ type: 'request', enableSimpleResponses: true, resultTtlMs: 300_000, payloadFormatVersion: '2.0' });
    expect(result.config.authorizers.key!.type === 'request' && result.config.authorizers.key!.identitySource.map((s) => s.expression)).toEqual([
      '$request.header.x-api-key',
      '$context.routeKey',
    ]);
    expect(result.config.authorizers.open).toMatchObject({ resultTtlMs: 0, identitySource: [] });
  });

  it('rejects what API Gateway rejects, naming the field', () => {
    expect(issuesOf({ authorizers: { a: { type: 'request', handler: 'auth.check' } }, routes: {} })).toEqual([expect.stringMatching(/^authorizers\.a\.payloadFormatVersion: /)]);
    expect(issuesOf({ authorizers: { a: request({ payloadFormatVersion: '1.0', enableSimpleResponses: true }) }, routes: {} })).toEqual([
      'authorizers.a.enableSimpleResponses: simple responses are supported only with payload format version 2.0 (set "payloadFormatVersion": "2.0", or remove "enableSimpleResponses" and answer with an IAM policy)',
    ]);
    expect(issuesOf({ authorizers: { a: request({ resultTtlInSeconds: 60 }) }, routes: {} })).toEqual([
      expect.stringMatching(/^authorizers\.a\.resultTtlInSeconds: caching needs at least one identity source/),
    ]);
    expect(issuesOf({ authorizers: { a: request({ resultTtlInSeconds: 3601, identitySource: ['$request.header.x'] }) }, routes: {} })).toEqual([expect.stringMatching(/^authorizers\.a\.resultTtlInSeconds: /)]);
    expect(issuesOf({ authorizers: { a: request({ identitySource: ['$request.header.x', '$request.body.token'] }) }, routes: {} })).toEqual([
      expect.stringMatching(/^authorizers\.a\.identitySource\[1\]: "\$request\.body\.token" is not an identity source/),
    ]);
    expect(issuesOf({ authorizers: { a: request() }, routes: { 'GET /a': { handler: 'h.a', authorizer: 'a', authorizationScopes: ['s'] } } })).toEqual([
      expect.stringMatching(/^routes\["GET \/a"\]\.authorizationScopes: authorization scopes are supported only for JWT authorizers/),
    ]);
    expect(issuesOf({ authorizers: { a: request({ identitySorce: [] }) }, routes: {} })).toEqual(['authorizers.a.identitySorce: unknown key "identitySorce" (did you mean "identitySource"?)']);
  });

  it('compiles parameter mappings and throttling, route limits over the API default', () => {
    const result = resolveConfig({
      throttle: { rateLimit: 10, burstLimit: 5 },
      routes: {
        'GET /a': { handler: 'h.a', requestParameters: { 'overwrite:header.x-user': '$context.requestId' }, responseParameters: { '500': { 'overwrite:statuscode': '503' } } },
        'GET /b': { url: 'http://127.0.0.1:1/b', throttle: { rateLimit: 1, burstLimit: 1 } },
      },
    });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.config.routes[0]!.requestMapping?.operations).toHaveLength(1);
    expect(result.config.routes[0]!.responseMapping?.byStatus.has(500)).toBe(true);
    expect(result.config.routes[0]!.throttle).toEqual({ rateLimit: 10, burstLimit: 5 });
    expect(result.config.routes[1]!.throttle).toEqual({ rateLimit: 1, burstLimit: 1 });
  });

  it('reports a reserved mapping target at its key, in API Gateway\'s words', () => {
    expect(issuesOf({ routes: { 'GET /a': { url: 'http://127.0.0.1:1/', requestParameters: { 'overwrite:header.Connection': 'x' } } } })).toEqual([
      'routes["GET /a"].requestParameters["overwrite:header.Connection"]: Invalid mapping expression specified: Validation Result: warnings : [], errors : [Operations on header Connection are restricted] (API Gateway reserves this header: access-control-*, apigw-*, x-amz-*, x-amzn-*, Authorization, Connection, Content-Length, Origin, X-Forwarded-*, Via and the other hop-by-hop headers cannot be mapped)',
    ]);
  });
});

describe('resolveConfig: a function\'s runtime (issue 19)', () => {
  it('keeps a Lambda runtime identifier and a custom runtime\'s bootstrap on routes and REQUEST authorizers', () => {
    const result = resolveConfig({
      authorizers: { py: { type: 'request', handler: 'auth/app.check', payloadFormatVersion: '2.0', runtime: 'python3.13' } },
      routes: {
        'GET /report': { handler: 'reports/app.handler', runtime: 'python3.12' },
        'GET /go': { handler: 'go/bootstrap', runtime: 'provided.al2023', bootstrap: 'go/dist/bootstrap' },
        'GET /node': { handler: 'h.node', runtime: 'nodejs22.x' },
        'GET /plain': 'h.plain',
      },
    });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const integration = (key: string) => result.config.routes.find((r) => r.key.routeKey === key)!.integration;
    expect(integration('GET /report')).toMatchObject({ handler: 'reports/app.handler', runtime: 'python3.12' });
    expect(integration('GET /go')).toMatchObject({ runtime: 'provided.al2023', bootstrap: 'go/dist/bootstrap' });
    expect(integration('GET /node')).toMatchObject({ runtime: 'nodejs22.x' });
    expect(integration('GET /plain')).not.toHaveProperty('runtime');
    expect(result.config.authorizers.py).toMatchObject({ runtime: 'python3.13' });
  });

  it('a name that is not a Lambda runtime identifier is an error with did-you-mean', () => {
    expect(issuesOf({ routes: { 'GET /x': { handler: 'app.handler', runtime: 'pyhton3.12' } } })).toEqual([
      'routes["GET /x"].runtime: "pyhton3.12" is not a Lambda runtime identifier (did you mean "python3.12"?)',
    ]);
    expect(issuesOf({ routes: { 'GET /x': { handler: 'app.handler', runtime: 'provided.al2024' } } })).toEqual([
      'routes["GET /x"].runtime: "provided.al2024" is not a Lambda runtime identifier (did you mean "provided.al2023"?)',
    ]);
    expect(issuesOf({ authorizers: { a: { type: 'request', handler: 'auth.check', payloadFormatVersion: '2.0', runtime: 'cobol' } }, routes: {} })).toEqual([
      expect.stringMatching(/^authorizers\.a\.runtime: "cobol" is not a Lambda runtime identifier \(e\.g\. /),
    ]);
  });

  it('a Lambda runtime localgw cannot run, an inline function with a runtime, and a bootstrap without a custom runtime are errors', () => {
    expect(issuesOf({ routes: { 'GET /x': { handler: 'App::handleRequest', runtime: 'java21' } } })).toEqual([
      expect.stringMatching(/^routes\["GET \/x"\]\.runtime: localgw cannot run java21 functions \(it runs Node\.js/),
    ]);
    expect(issuesOf({ routes: { 'GET /x': { handler: () => 'x', runtime: 'python3.12' } } })).toEqual([
      expect.stringMatching(/^routes\["GET \/x"\]\.runtime: a python3\.12 function needs a file handler/),
    ]);
    expect(issuesOf({ routes: { 'GET /x': { handler: 'app.handler', runtime: 'python3.12', bootstrap: 'bootstrap' } } })).toEqual([
      'routes["GET /x"].bootstrap: a bootstrap executable belongs to custom runtimes (add "runtime": "provided.al2023", or remove "bootstrap")',
    ]);
  });
});
