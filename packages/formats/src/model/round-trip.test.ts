import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type LocalgwConfig } from '@localgw/core';
import { readServerless } from '../serverless/read-serverless.js';
import { readOpenApiFile } from '../openapi/import-openapi.js';
import { SECTION_1_7 } from '../test-support/fixtures.js';
import { memoryHost } from '../test-support/memory-host.js';
import { resolved, routeTableOf, schemaErrors, throughCloudFormation, throughOpenApi, undocumentedExtensions } from '../test-support/round-trip.js';
import { toLocalgwConfig } from './to-config.js';

// Issue 16: importing the export gives the same route table, CORS and authorizers, and the
// exported OpenAPI is a valid OpenAPI 3.0 document using only the extensions AWS documents.

const segment = fc.constantFrom('items', 'users', 'a-b', 'v1', 'x_y');
const path = fc.tuple(fc.array(segment, { maxLength: 3 }), fc.constantFrom('', '{id}', '{proxy+}')).map(([parts, tail]) => `/${[...parts, ...(tail ? [tail] : [])].join('/')}`);
const routeKey = fc.oneof({ weight: 1, arbitrary: fc.constant('$default') }, { weight: 8, arbitrary: fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'), path).map(([m, p]) => `${m} ${p}`) });
const handler = fc.constantFrom('src/items.list', 'src/items.get', 'handlers/app.handler', 'index.main');
const environment = fc.option(fc.dictionary(fc.constantFrom('TABLE', 'MODE', 'URL'), fc.constantFrom('items', 'local', 'http://127.0.0.1:1'), { minKeys: 1, maxKeys: 2 }), { nil: undefined });
const timeout = fc.option(fc.constantFrom(1, 5, 10, 29.5, 30), { nil: undefined });
const requestParameters = fc.option(fc.constantFrom({ 'append:header.x-request-id': '$context.requestId' }, { 'overwrite:querystring.v': '2', 'remove:header.cookie': "''" }), { nil: undefined });
const responseParameters = fc.option(fc.constantFrom({ '200': { 'append:header.x-api': 'local' } }, { '500': { 'overwrite:statuscode': '503' } }), { nil: undefined });
const throttle = fc.option(fc.record({ rateLimit: fc.constantFrom(1, 10.5, 100), burstLimit: fc.constantFrom(0, 5, 50) }), { nil: undefined });

const authorizers = fc.dictionary(
  fc.constantFrom('main', 'cognito', 'apiKey', 'partner'),
  fc.oneof(
    fc.record({ type: fc.constant('jwt' as const), issuer: fc.constantFrom('https://issuer.example.com', 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X'), audience: fc.constantFrom(['client'], ['a', 'b']), identitySource: fc.option(fc.constantFrom('$request.header.Authorization', '$request.querystring.token'), { nil: undefined }) }),
    fc.record({
      type: fc.constant('request' as const),
      handler: fc.constantFrom('auth/key.handler', 'auth/policy.handler'),
      payloadFormatVersion: fc.constantFrom('1.0' as const, '2.0' as const),
      identitySource: fc.option(fc.constantFrom(['$request.header.x-api-key'], ['$request.header.x-api-key', '$request.querystring.k']), { nil: undefined }),
      resultTtlInSeconds: fc.option(fc.constantFrom(0, 60, 300), { nil: undefined }),
    }),
  ),
  { maxKeys: 2 },
);

const cors = fc.option(
  fc.record(
    { allowOrigins: fc.constantFrom(['https://app.example.com'], ['*']), allowMethods: fc.constantFrom(['GET', 'POST'], ['*']), allowHeaders: fc.constantFrom(['authorization'], ['*']), exposeHeaders: fc.constant(['x-request-id']), maxAge: fc.constantFrom(0, 300) },
    { requiredKeys: ['allowOrigins'] },
  ),
  { nil: undefined },
);

const config: fc.Arbitrary<LocalgwConfig> = fc
  .record({
    authorizers,
    cors,
    throttle,
    stage: fc.option(fc.constantFrom('$default', 'dev'), { nil: undefined }),
    stageVariables: fc.option(fc.constant({ backend: '127.0.0.1:9000' }), { nil: undefined }),
    routes: fc.uniqueArray(
      fc.record({
        key: routeKey,
        lambda: fc.boolean(),
        handler,
        environment,
        payload: fc.option(fc.constantFrom('1.0' as const, '2.0' as const), { nil: undefined }),
        method: fc.option(fc.constantFrom('GET', 'post'), { nil: undefined }),
        timeout,
        authorizer: fc.option(fc.constantFrom('main', 'cognito', 'apiKey', 'partner'), { nil: undefined }),
        scopes: fc.option(fc.constantFrom(['items/read'], ['a', 'b']), { nil: undefined }),
        requestParameters,
        responseParameters,
        throttle,
      }),
      { minLength: 1, maxLength: 6, selector: (r) => r.key },
    ),
  })
  .map(({ routes, authorizers: auth, ...rest }) => {
    const out = { ...rest, ...(Object.keys(auth).length > 0 && { authorizers: auth }), routes: {} } as LocalgwConfig;
    for (const r of routes) {
      const a = r.authorizer !== undefined && Object.hasOwn(auth, r.authorizer) ? auth[r.authorizer]! : undefined;
      const shared = {
        ...(a && { authorizer: r.authorizer }),
        ...(a?.type === 'jwt' && r.scopes && { authorizationScopes: r.scopes }),
        ...(r.timeout !== undefined && { timeout: r.timeout }),
        ...(r.requestParameters && { requestParameters: r.requestParameters }),
        ...(r.responseParameters && { responseParameters: r.responseParameters }),
        ...(r.throttle && { throttle: r.throttle }),
      };
      out.routes[r.key] = (r.lambda
        ? { handler: r.handler, ...(r.environment && { environment: r.environment }), ...(r.payload && { payloadFormatVersion: r.payload }), ...shared }
        : { url: 'http://${stageVariables.backend}/x', ...(r.method && { method: r.method }), ...shared, ...(rest.stageVariables ? {} : { url: 'http://127.0.0.1:9000/x' }) }) as LocalgwConfig['routes'][string];
    }
    return JSON.parse(JSON.stringify(out)) as LocalgwConfig;
  })
  .filter((c) => resolveConfig(c).ok);

describe('export, then import (issue 16)', () => {
  it('a property over generated configs: OpenAPI keeps the route table, CORS and authorizers; the document is valid OpenAPI 3.0 with only documented extensions', async () => {
    await fc.assert(
      fc.asyncProperty(config, async (original) => {
        const { doc, config: back } = throughOpenApi(original);
        expect(routeTableOf(back, { routeThrottle: false })).toEqual(routeTableOf(resolved(original), { routeThrottle: false }));
        expect(await schemaErrors(doc)).toEqual([]);
        expect([...undocumentedExtensions(doc)]).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('a property over generated configs: CloudFormation keeps the route table (route throttling too), CORS, authorizers and the stage', () => {
    fc.assert(
      fc.property(config, (original) => {
        const { config: back } = throughCloudFormation(original);
        expect(routeTableOf(back)).toEqual(routeTableOf(resolved(original)));
      }),
      { numRuns: 150 },
    );
  });

  it('the §1.7 OpenAPI example and the §3.7 serverless.yml, exported both ways and imported again', async () => {
    const openapi = readOpenApiFile('openapi.yaml', memoryHost({ 'openapi.yaml': SECTION_1_7 })).apis[0]!;
    const functions = { listItems: 'src/items.list', getItem: 'src/items.get', admin: 'src/admin.handler', adminAuthorizer: 'src/auth.handler', fallback: 'src/fallback.handler' };
    const fromOpenApi = { ...toLocalgwConfig(openapi, [], { functions: Object.fromEntries(Object.entries(functions).map(([k, v]) => [k, { handler: v }])) }).config, stageVariables: { legacyHost: 'legacy.example.com' } };
    const sls = readServerless('serverless.yml', memoryHost({ 'serverless.yml': 'service: items\nprovider:\n  name: aws\n  httpApi:\n    cors: true\n    authorizers:\n      jwt: { identitySource: $request.header.Authorization, issuerUrl: https://issuer.example.com, audience: [web] }\nfunctions:\n  list: { handler: src/list.handler, events: [ { httpApi: { method: GET, path: /items, authorizer: { name: jwt, scopes: [read] } } } ] }\n  app: { handler: app.handler, events: [ { httpApi: "*" } ] }\n' }));
    const fromServerless = toLocalgwConfig(sls.apis[0]!, sls.functions).config;
    for (const original of [fromOpenApi, fromServerless]) {
      const viaOpenApi = throughOpenApi(original);
      expect(routeTableOf(viaOpenApi.config)).toEqual(routeTableOf(resolved(original)));
      expect(await schemaErrors(viaOpenApi.doc)).toEqual([]);
      expect(routeTableOf(throughCloudFormation(original).config)).toEqual(routeTableOf(resolved(original)));
    }
  });

  it('the schema check is real: a document without paths, or with an operation without responses, is refused', async () => {
    expect(await schemaErrors({ openapi: '3.0.1', info: { title: 't', version: '1' } })).not.toEqual([]);
    expect(await schemaErrors({ openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/a': { get: {} } } })).not.toEqual([]);
    expect([...undocumentedExtensions({ paths: { '/a': { get: { 'x-amazon-apigateway-request-validator': 'all' } } } })]).toEqual(['x-amazon-apigateway-request-validator']);
  });
});
