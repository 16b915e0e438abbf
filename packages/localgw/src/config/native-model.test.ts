import { describe, expect, it } from 'vitest';
import type { LocalgwConfig } from '@localgw/core';
import { loadConfig } from './load-config.js';

// The management API shows a native config as the model and, once it edits it, serves the
// edited model instead of the file. Served unedited, the model must give back the very config
// the file gives: same routes, handlers, function names, authorizers, CORS and limits.

const handler = async () => ({ statusCode: 200 });

const CONFIG: LocalgwConfig = {
  apiId: 'my-api',
  stage: 'dev',
  stageVariables: { backend: '127.0.0.1:9000' },
  cors: { allowOrigins: ['https://www.example.com'], allowMethods: ['GET'], maxAge: 300, allowCredentials: true },
  throttle: { rateLimit: 10, burstLimit: 5 },
  devTokens: false,
  idleTimeout: 12,
  authorizers: {
    main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['a', 'b'], jwks: './jwks.json' },
    query: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['a'], identitySource: '$request.querystring.token' },
    keys: { type: 'request', handler: 'auth/keys.handler', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: ['$request.header.x-api-key'], environment: { K: 'v' } },
    open: { type: 'request', handler: 'auth/open.handler', payloadFormatVersion: '1.0', resultTtlInSeconds: 0, functionName: 'opener' },
  },
  routes: {
    'GET /items/{id}': { handler: 'handlers/items.get', authorizer: 'main', authorizationScopes: ['items/read'], timeout: 5, environment: { TABLE: 't' } },
    'POST /items': { handler: 'handlers/items.create', payloadFormatVersion: '1.0', authorizer: 'keys', throttle: { rateLimit: 1, burstLimit: 1 } },
    'GET /shared': 'handlers/items.get',
    'GET /inline': { handler },
    'ANY /proxy/{proxy+}': { url: 'http://${stageVariables.backend}/{proxy}', method: 'get', timeout: 2, requestParameters: { 'append:header.x-from': 'localgw' }, responseParameters: { '500': { 'overwrite:statuscode': '502' } } },
    'GET /q': { handler: 'handlers/q.handler', authorizer: 'query', functionName: 'q-fn' },
    $default: { handler: 'handlers/fallback.handler', authorizer: 'open' },
  },
};

describe('a native config as the management model', () => {
  it('served unedited, gives back the config the file gives', async () => {
    const loaded = await loadConfig(CONFIG, '/project');
    const served = loaded.model!.serve(loaded.model!.api, {});
    // A REQUEST authorizer's function gets its name written out: the one localgw derives anyway.
    const keys = { ...loaded.config.authorizers.keys!, functionName: 'authorizer-keys' };
    expect(served.config).toEqual({ ...loaded.config, authorizers: { ...loaded.config.authorizers, keys } });
    expect(served.apiId).toBe('my-api');
  });

  it('an edit of the model is what is served', async () => {
    const loaded = await loadConfig(CONFIG, '/project');
    const api = structuredClone({ ...loaded.model!.api, routes: loaded.model!.api.routes.map((r) => ({ ...r })) });
    api.corsConfiguration = { allowOrigins: ['https://other.example.com'] };
    api.routes = api.routes.filter((r) => r.routeKey !== 'GET /shared');
    const served = loaded.model!.serve(api, {});
    expect(served.config.cors).toEqual({ allowOrigins: ['https://other.example.com'] });
    expect(served.config.routes.map((r) => r.key.routeKey)).not.toContain('GET /shared');
    // What the model has no field for stays: the JWT authorizer's local key set, dev tokens off.
    expect(served.config.authorizers.main).toMatchObject({ jwks: './jwks.json' });
    expect(served.config.devTokens).toBe(false);
  });
});
