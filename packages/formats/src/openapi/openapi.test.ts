import { describe, expect, it } from 'vitest';
import { toLocalgwConfig } from '../model/to-config.js';
import { integrationOf, issueLines, memoryHost, routeOf } from '../test-support/memory-host.js';
import { importOpenApi, readOpenApiFile } from './import-openapi.js';
import { SECTION_1_7 } from '../test-support/fixtures.js';

const FUNCTIONS = {
  listItems: { handler: 'src/items.list' },
  getItem: { handler: 'src/items.get' },
  admin: { handler: 'src/admin.handler' },
  adminAuthorizer: { handler: 'src/authorizer.handler' },
  fallback: { handler: 'src/fallback.handler' },
};

describe('an OpenAPI 3 file (config-formats.md §1)', () => {
  it('§1.7 the example: routes from paths, ANY, /$default, a $ref integration, both authorizers, CORS, lines', () => {
    const model = readOpenApiFile('openapi.yaml', memoryHost({ 'openapi.yaml': SECTION_1_7 }));
    expect(issueLines(model)).toEqual([]);
    const api = model.apis[0]!;
    expect(api.name).toBe('items-api');
    expect(api.routes.map((r) => r.routeKey)).toEqual(['GET /items', 'GET /items/{id}', 'POST /admin', 'ANY /legacy/{proxy+}', '$default']);
    expect(routeOf(api, 'GET /items')).toMatchObject({ authorizationType: 'JWT', authorizationScopes: ['items/read'] });
    expect(routeOf(api, 'GET /items').source?.line).toBe(6);
    expect(integrationOf(api, routeOf(api, 'GET /items/{id}'))).toMatchObject({ payloadFormatVersion: '1.0', integrationType: 'AWS_PROXY' });
    expect(routeOf(api, 'POST /admin').authorizationType).toBe('CUSTOM');
    expect(api.stages).toMatchObject([{ stageName: '$default' }]);
  });

  it('§1.9 as a localgw config: Lambda names mapped by "functions", http_proxy to a url, scopes, CORS, the mapping', () => {
    const api = readOpenApiFile('openapi.yaml', memoryHost({ 'openapi.yaml': SECTION_1_7 })).apis[0]!;
    const imported = toLocalgwConfig(api, [], { functions: FUNCTIONS, definition: 'OpenAPI document' });
    expect(imported.issues).toEqual([]);
    expect(imported.unavailable.size).toBe(0);
    const { config } = imported;
    expect(config.routes['GET /items']).toMatchObject({ handler: 'src/items.list', authorizer: 'jwtAuth', authorizationScopes: ['items/read'], timeout: 10, payloadFormatVersion: '2.0', functionName: 'listItems' });
    expect(config.routes['ANY /legacy/{proxy+}']).toMatchObject({ url: 'http://${stageVariables.legacyHost}/{proxy}', requestParameters: { 'append:header.x-request-id': '$context.requestId' } });
    expect(config.routes.$default).toMatchObject({ handler: 'src/fallback.handler' });
    expect(config.authorizers!.adminAuth).toMatchObject({ type: 'request', handler: 'src/authorizer.handler', resultTtlInSeconds: 300, enableSimpleResponses: true });
    expect(config.cors).toEqual({ allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['x-request-id'], maxAge: 300, allowCredentials: true });
  });

  it('a Lambda the beside config does not map answers 500 saying how to map it, with a did-you-mean for a near name', () => {
    const api = readOpenApiFile('openapi.yaml', memoryHost({ 'openapi.yaml': SECTION_1_7 })).apis[0]!;
    const { listItems: _, ...rest } = FUNCTIONS;
    const imported = toLocalgwConfig(api, [], { functions: { ...rest, listItem: { handler: 'src/items.list' } }, definition: 'OpenAPI document' });
    expect(imported.unavailable.get('routes["GET /items"]')).toMatchObject({
      message: 'Lambda function "listItems" is not defined in the OpenAPI document (arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:listItems/invocations)',
      hint: 'did you mean "listItem"? Otherwise map it to a local file: add "functions": { "listItems": "path/to/file.handler" } to a localgw.config.json beside the OpenAPI document',
    });
  });

  it('§1.1 ${AWS::Region} and the other AWS variables are substituted at import; JSON documents read the same', () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:fnA', payloadFormatVersion: 1.0 } },
        },
      },
    };
    const model = readOpenApiFile('openapi.json', memoryHost({ 'openapi.json': JSON.stringify(doc, null, 2) }));
    const api = model.apis[0]!;
    expect(integrationOf(api, routeOf(api, 'GET /a'))).toMatchObject({ integrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:fnA', payloadFormatVersion: '1.0' });
    expect(routeOf(api, "GET /a").source?.line).toBe(9);
  });

  it('§1.1 Swagger 2.0 and OpenAPI 3.1 are refused, naming what to change', () => {
    expect(importOpenApi({ swagger: '2.0', paths: {} }).issues.map((i) => i.message)).toEqual(['HTTP APIs import OpenAPI 3.0 only; this is a Swagger 2.0 definition']);
    expect(importOpenApi({ openapi: '3.1.0', paths: {} }, { file: 'api.yaml' }).issues.map((i) => `${i.message} (${i.hint})`)).toEqual(['api.yaml is OpenAPI 3.1.0: HTTP APIs import OpenAPI 3.0 documents (start it with openapi: "3.0.1")']);
  });

  it('X-auth and X-authtype: IAM on an operation is AWS_IAM, which is left out (404), never served open', () => {
    const { api } = importOpenApi({
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: {
        '/iam': { get: { 'x-amazon-apigateway-auth': { type: 'aws_iam' }, 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'http://127.0.0.1:1/', payloadFormatVersion: '1.0' } } },
        '/sig': { get: { security: [{ sigv4: [] }], 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'http://127.0.0.1:1/', payloadFormatVersion: '1.0' } } },
      },
      components: { securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } } },
    });
    expect(api.routes.map((r) => r.authorizationType)).toEqual(['AWS_IAM', 'AWS_IAM']);
    expect(Object.keys(toLocalgwConfig(api, []).config.routes)).toEqual([]);
  });

  it('x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint is read', () => {
    const { api } = importOpenApi({ openapi: '3.0.1', info: { title: 't', version: '1' }, paths: {}, 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } });
    expect(api.disableExecuteApiEndpoint).toBe(true);
  });

  it('DESIGN.md: a FILE.EXPORT handler path works as a Lambda uri, and a bare function name resolves through "functions"', () => {
    const integration = (uri: string) => ({ 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri, payloadFormatVersion: '2.0' } });
    const { api } = importOpenApi({ openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/file': { get: integration('src/items.list') }, '/name': { get: integration('listItems') } } });
    const imported = toLocalgwConfig(api, [], { functions: { listItems: { handler: 'src/list.handler' } } });
    expect(imported.unavailable.size).toBe(0);
    expect(imported.config.routes).toMatchObject({ 'GET /file': { handler: 'src/items.list' }, 'GET /name': { handler: 'src/list.handler', functionName: 'listItems' } });
  });
});
