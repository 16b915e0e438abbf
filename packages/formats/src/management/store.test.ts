import { describe, expect, it } from 'vitest';
import { ManagementError } from './errors.js';
import { emptyState } from './resources.js';
import { ManagementStore } from './store.js';
import { servedSnapshot } from './stages.js';

// config-formats.md §5.2–§5.4: the management API's operations over the state, with AWS's checks.

function store() {
  let n = 0;
  return new ManagementStore(emptyState(), {
    newId: (length) => String(++n).padStart(length, 'x'),
    now: () => new Date('2026-01-02T03:04:05.678Z'),
  });
}

function refused(run: () => unknown): ManagementError {
  try {
    run();
  } catch (error) {
    if (error instanceof ManagementError) return error;
    throw error;
  }
  throw new Error('expected a ManagementError');
}

const lambda = { integrationType: 'AWS_PROXY', integrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:items', payloadFormatVersion: '2.0' };

describe('§5.3 CreateApi', () => {
  it('answers with the defaults AWS echoes, dates without milliseconds', () => {
    const s = store();
    const { api } = s.createApi({ name: 'items', protocolType: 'HTTP' });
    expect(api).toEqual({
      apiId: 'xxxxxxxxx1',
      name: 'items',
      protocolType: 'HTTP',
      routeSelectionExpression: '$request.method $request.path',
      apiKeySelectionExpression: '$request.header.x-api-key',
      createdDate: '2026-01-02T03:04:05Z',
      tags: {},
    });
  });

  it('§5.4 a missing name, an unknown protocol, a WebSocket API are BadRequestException', () => {
    const s = store();
    expect(refused(() => s.createApi({ protocolType: 'HTTP' }))).toMatchObject({ type: 'BadRequestException', statusCode: 400, message: 'The request is missing the required member "name"' });
    expect(refused(() => s.createApi({ name: 'x', protocolType: 'REST' })).message).toBe('Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]');
    expect(refused(() => s.createApi({ name: 'x', protocolType: 'WEBSOCKET' })).message).toMatch(/HTTP APIs only/);
    expect(refused(() => s.createApi({ name: 'x'.repeat(129), protocolType: 'HTTP' })).message).toBe('"name" must have at most 128 characters');
  });

  it('quick create: an integration for the target, the $default route and an auto-deploying $default stage, all API Gateway managed', () => {
    const s = store();
    const managed = s.createApi({ name: 'q', protocolType: 'HTTP', target: 'https://backend.example.com' });
    expect(managed.integrations).toEqual([expect.objectContaining({ integrationType: 'HTTP_PROXY', integrationUri: 'https://backend.example.com', integrationMethod: 'ANY', payloadFormatVersion: '1.0', apiGatewayManaged: true })]);
    expect(managed.routes).toEqual([expect.objectContaining({ routeKey: '$default', target: `integrations/${managed.integrations[0]!.integrationId}`, apiGatewayManaged: true })]);
    expect(managed.stages).toEqual([expect.objectContaining({ stageName: '$default', autoDeploy: true, apiGatewayManaged: true, deploymentId: expect.any(String) })]);
    const lambdaApi = s.createApi({ name: 'l', protocolType: 'HTTP', target: lambda.integrationUri, routeKey: 'GET /items' });
    expect(lambdaApi.integrations[0]).toMatchObject({ integrationType: 'AWS_PROXY', integrationMethod: 'POST', payloadFormatVersion: '2.0', timeoutInMillis: 30000 });
    expect(lambdaApi.routes[0]!.routeKey).toBe('GET /items');
  });
});

describe('§2.1 CORS, as AWS validates it', () => {
  it('UpdateApi merges CORS members into the API\'s, then checks the whole: credentials with * is AWS\'s own text', () => {
    const s = store();
    const { api } = s.createApi({ name: 'c', protocolType: 'HTTP', corsConfiguration: { allowOrigins: ['*'] } });
    expect(refused(() => s.updateApi(api.apiId, { corsConfiguration: { allowCredentials: true } })).message).toBe("allow-credentials is not supported if 'allow-origin' is *");
    const updated = s.updateApi(api.apiId, { corsConfiguration: { allowMethods: ['GET'] } });
    expect(updated.api.corsConfiguration).toEqual({ allowOrigins: ['*'], allowMethods: ['GET'] });
  });

  it('partial wildcards, broken origins, unknown methods and out-of-range maxAge are refused', () => {
    const s = store();
    const make = (cors: object) => refused(() => s.createApi({ name: 'c', protocolType: 'HTTP', corsConfiguration: cors })).message;
    expect(make({ allowOrigins: ['https://*.example.com'] })).toMatch(/^allowOrigins\[0\]: "https:\/\/\*\.example\.com" uses a partial wildcard/);
    expect(make({ allowOrigins: ['https:/'] })).toMatch(/^allowOrigins\[0\]: "https:\/" is not an origin/);
    expect(make({ allowMethods: ['BAD'] })).toMatch(/^allowMethods\[0\]: "BAD" is not an HTTP method/);
    expect(make({ maxAge: 86_401 })).toMatch(/^maxAge: 86401 is outside the range API Gateway accepts/);
    expect(make({ allowOrigins: 'https://www.example.com' })).toBe('"allowOrigins" must be a list of strings');
  });

  it('DeleteCorsConfiguration removes it', () => {
    const s = store();
    const { api } = s.createApi({ name: 'c', protocolType: 'HTTP', corsConfiguration: { allowOrigins: ['https://www.example.com'] } });
    s.deleteCorsConfiguration(api.apiId);
    expect(s.managed(api.apiId).api.corsConfiguration).toBeUndefined();
  });
});

describe('§5.3 routes, integrations, authorizers', () => {
  it('a route needs a valid route key, no duplicate, and a target that exists', () => {
    const s = store();
    const { api } = s.createApi({ name: 'r', protocolType: 'HTTP' });
    const integration = s.createIntegration(api.apiId, lambda);
    const route = s.createRoute(api.apiId, { routeKey: 'GET /items/{id}', target: `integrations/${integration.integrationId}` });
    expect(route).toEqual({ routeId: expect.any(String), routeKey: 'GET /items/{id}', authorizationType: 'NONE', apiKeyRequired: false, target: `integrations/${integration.integrationId}` });
    expect(refused(() => s.createRoute(api.apiId, { routeKey: 'GET /items/{id}' }))).toMatchObject({ type: 'ConflictException', statusCode: 409 });
    expect(refused(() => s.createRoute(api.apiId, { routeKey: 'GET /a/{p+}/b' })).message).toMatch(/^Invalid route key "GET \/a\/\{p\+\}\/b"/);
    expect(refused(() => s.createRoute(api.apiId, { routeKey: 'GET /x', target: 'integrations/nope' })).message).toBe('Invalid target "integrations/nope": the API has no integration nope');
    expect(refused(() => s.getRoute(api.apiId, 'nope'))).toMatchObject({ type: 'NotFoundException', message: 'Invalid Route identifier specified nope', resourceType: 'Route' });
  });

  it('§3.1 JWT authorizers: one header or query identity source, an https (or loopback http) issuer, an audience', () => {
    const s = store();
    const { api } = s.createApi({ name: 'a', protocolType: 'HTTP' });
    const jwt = (over: object) => ({ authorizerType: 'JWT', name: 'main', identitySource: ['$request.header.Authorization'], jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['app'] }, ...over });
    expect(refused(() => s.createAuthorizer(api.apiId, jwt({ identitySource: ['$request.header.A', '$request.header.B'] }))).message).toBe('A JWT authorizer takes exactly one identity source, got 2');
    expect(refused(() => s.createAuthorizer(api.apiId, jwt({ identitySource: ['$context.routeKey'] }))).message).toMatch(/^Invalid identity source "\$context.routeKey" for a JWT authorizer/);
    expect(refused(() => s.createAuthorizer(api.apiId, jwt({ jwtConfiguration: { issuer: 'http://issuer.example.com', audience: ['app'] } }))).message).toMatch(/must be an https URL/);
    expect(refused(() => s.createAuthorizer(api.apiId, jwt({ jwtConfiguration: { issuer: 'https://issuer.example.com' } }))).message).toBe('A JWT authorizer needs at least one jwtConfiguration.audience');
    expect(s.createAuthorizer(api.apiId, jwt({ jwtConfiguration: { issuer: 'http://127.0.0.1:9000/realm', audience: ['app'] } })).authorizerType).toBe('JWT');
    expect(refused(() => s.createAuthorizer(api.apiId, jwt({})))).toMatchObject({ type: 'ConflictException' });
  });

  it('a route\'s authorization must fit its authorizer; an authorizer or integration in use cannot be deleted', () => {
    const s = store();
    const { api } = s.createApi({ name: 'a', protocolType: 'HTTP' });
    const integration = s.createIntegration(api.apiId, lambda);
    const request = s.createAuthorizer(api.apiId, { authorizerType: 'REQUEST', name: 'keys', identitySource: ['$request.header.x-api-key'], authorizerUri: 'keys', authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true });
    const target = `integrations/${integration.integrationId}`;
    expect(refused(() => s.createRoute(api.apiId, { routeKey: 'GET /a', target, authorizationType: 'JWT', authorizerId: request.authorizerId })).message).toMatch(/needs a JWT authorizer/);
    expect(refused(() => s.createRoute(api.apiId, { routeKey: 'GET /a', target, authorizationType: 'CUSTOM', authorizerId: request.authorizerId, authorizationScopes: ['x'] })).message).toBe('Authorization scopes are supported only for JWT authorizers');
    const route = s.createRoute(api.apiId, { routeKey: 'GET /a', target, authorizationType: 'CUSTOM', authorizerId: request.authorizerId });
    expect(refused(() => s.deleteAuthorizer(api.apiId, request.authorizerId)).message).toMatch(/route GET \/a uses it/);
    expect(refused(() => s.deleteIntegration(api.apiId, integration.integrationId)).message).toMatch(/it is the target of route GET \/a/);
    // Made open, a route keeps no authorizer.
    expect(s.updateRoute(api.apiId, route.routeId, { authorizationType: 'NONE' })).not.toHaveProperty('authorizerId');
    s.deleteAuthorizer(api.apiId, request.authorizerId);
  });

  it('integrations: HTTP API types only, a payload format version for Lambda, the defaults AWS echoes', () => {
    const s = store();
    const { api } = s.createApi({ name: 'i', protocolType: 'HTTP' });
    expect(refused(() => s.createIntegration(api.apiId, { integrationType: 'MOCK' })).message).toMatch(/^Integration type MOCK is not supported for HTTP APIs/);
    expect(refused(() => s.createIntegration(api.apiId, { ...lambda, payloadFormatVersion: undefined })).message).toMatch(/needs a payloadFormatVersion/);
    expect(refused(() => s.createIntegration(api.apiId, { ...lambda, timeoutInMillis: 30_001 })).message).toBe('"timeoutInMillis" must be between 50 and 30000, got 30001');
    expect(refused(() => s.createIntegration(api.apiId, { integrationType: 'HTTP_PROXY', integrationUri: 'ftp://x' })).message).toMatch(/an http or https URL/);
    expect(s.createIntegration(api.apiId, { integrationType: 'HTTP_PROXY', integrationUri: 'https://backend.example.com/{proxy}' })).toMatchObject({ integrationMethod: 'ANY', payloadFormatVersion: '1.0', timeoutInMillis: 30000, connectionType: 'INTERNET' });
    expect(refused(() => s.createIntegration(api.apiId, { integrationType: 'HTTP_PROXY', integrationUri: 'https://b.example.com', requestParameters: { 'append:header.x': '$request.nope' } })).message).toMatch(/^Invalid mapping expression specified/);
  });
});

describe('§1.2 stages and deployments', () => {
  it('a stage without autoDeploy serves what was last deployed to it; an autoDeploy stage follows every change', () => {
    const s = store();
    const { api } = s.createApi({ name: 's', protocolType: 'HTTP' });
    const manual = s.createStage(api.apiId, { stageName: 'dev' });
    expect(servedSnapshot(s.managed(api.apiId), s.managed(api.apiId).stages[0]!)).toBeUndefined();
    const integration = s.createIntegration(api.apiId, lambda);
    s.createRoute(api.apiId, { routeKey: 'GET /one', target: `integrations/${integration.integrationId}` });
    const deployment = s.createDeployment(api.apiId, { stageName: manual.stageName, description: 'first' });
    expect(deployment).toEqual({ deploymentId: expect.any(String), createdDate: '2026-01-02T03:04:05Z', deploymentStatus: 'DEPLOYED', autoDeployed: false, description: 'first' });
    s.createStage(api.apiId, { stageName: 'live', autoDeploy: true });
    s.createRoute(api.apiId, { routeKey: 'GET /two', target: `integrations/${integration.integrationId}` });
    const managed = s.managed(api.apiId);
    const served = (name: string) => servedSnapshot(managed, managed.stages.find((st) => st.stageName === name)!)!.snapshot.routes.map((r) => r.routeKey);
    expect(served('dev')).toEqual(['GET /one']);
    expect(served('live')).toEqual(['GET /one', 'GET /two']);
    expect(s.getStage(api.apiId, 'live').lastDeploymentStatusMessage).toMatch(/^Successfully deployed stage with deployment ID '/);
    expect(refused(() => s.deleteDeployment(api.apiId, deployment.deploymentId)).message).toBe('Active stages pointing to this deployment must be moved or deleted');
  });

  it('stage variables and route settings merge; route settings name existing routes; throttling limits are checked', () => {
    const s = store();
    const { api } = s.createApi({ name: 's', protocolType: 'HTTP' });
    s.createRoute(api.apiId, { routeKey: 'GET /a' });
    s.createStage(api.apiId, { stageName: 'dev', stageVariables: { a: '1', b: '2' }, routeSettings: { 'GET /a': { throttlingBurstLimit: 1 } } });
    const stage = s.updateStage(api.apiId, 'dev', { stageVariables: { b: '', c: '3' }, routeSettings: { 'GET /a': { throttlingRateLimit: 0.5 } } });
    expect(stage.stageVariables).toEqual({ a: '1', c: '3' });
    expect(stage.routeSettings).toEqual({ 'GET /a': { throttlingBurstLimit: 1, throttlingRateLimit: 0.5 } });
    expect(refused(() => s.updateStage(api.apiId, 'dev', { routeSettings: { 'GET /b': {} } })).message).toBe('Unable to find Route by key GET /b within the provided RouteSettings');
    expect(refused(() => s.updateStage(api.apiId, 'dev', { defaultRouteSettings: { throttlingBurstLimit: -1 } })).message).toMatch(/throttlingBurstLimit/);
    expect(refused(() => s.createStage(api.apiId, { stageName: 'dev' }))).toMatchObject({ type: 'ConflictException' });
    expect(refused(() => s.createStage(api.apiId, { stageName: 'no spaces' })).message).toMatch(/^Invalid stage name/);
  });
});

describe('§5.1 lists, tags, and the changes recorded on a config file\'s API', () => {
  it('lists paginate with maxResults (a string) and an opaque nextToken', () => {
    const s = store();
    for (const name of ['a', 'b', 'c']) s.createApi({ name, protocolType: 'HTTP' });
    const first = s.getApis({ maxResults: '2' });
    expect(first.items.map((m) => m.api.name)).toEqual(['a', 'b']);
    const second = s.getApis({ maxResults: '2', nextToken: first.nextToken });
    expect(second).toEqual({ items: [expect.objectContaining({ api: expect.objectContaining({ name: 'c' }) })] });
    expect(refused(() => s.getApis({ nextToken: 'garbage' })).message).toBe('Invalid pagination token garbage');
    expect(refused(() => s.getApis({ maxResults: 'ten' })).message).toMatch(/^maxResults must be a whole number/);
  });

  it('APIs and stages are tagged by ARN', () => {
    const s = store();
    const { api } = s.createApi({ name: 't', protocolType: 'HTTP', tags: { team: 'a' } });
    const arn = `arn:aws:apigateway:us-east-1::/apis/${api.apiId}`;
    s.tagResource(arn, { env: 'dev' });
    s.untagResource(arn, ['team']);
    expect(s.getTags(arn)).toEqual({ tags: { env: 'dev' } });
    expect(refused(() => s.getTags('arn:aws:apigateway:us-east-1::/apis/nope'))).toMatchObject({ type: 'NotFoundException' });
  });

  it('a change to an API read from the config file is recorded, for the reload that replaces it', () => {
    const s = store();
    const managed = s.createApi({ name: 'file', protocolType: 'HTTP' });
    managed.origin = 'config';
    s.updateApi(managed.api.apiId, { corsConfiguration: { allowOrigins: ['https://www.example.com'] } });
    s.createRoute(managed.api.apiId, { routeKey: 'GET /new' });
    expect(s.managed(managed.api.apiId).changes).toEqual(['UpdateApi (corsConfiguration)', 'CreateRoute GET /new']);
  });
});
