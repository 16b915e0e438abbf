import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  ExportApiCommand,
  ImportApiCommand,
  ReimportApiCommand,
  GetRoutesCommand,
  GetApiCommand,
  GetApisCommand,
  GetStageCommand,
  GetTagsCommand,
  NotFoundException,
  BadRequestException,
  ResetAuthorizersCacheCommand,
  TagResourceCommand,
  UpdateApiCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { startGateway, type RunningGateway } from 'localgw';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
import { ECHO_HANDLER } from './fixtures/handlers.js';

// config-formats.md §5 with @aws-sdk/client-apigatewayv2 against startGateway({ admin: true }):
// what an SDK script (or a tool built on the SDK) does, and what the gateway then serves.

const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:items';
// A REQUEST authorizer that counts its invocations (its worker keeps the count), to see the cache.
const COUNTING_AUTHORIZER = `
let calls = 0;
export const handler = async (event) => ({ isAuthorized: event.headers['x-api-key'] === 'good', context: { calls: ++calls } });
`;

const project = tempProject({ 'handlers/echo.mjs': ECHO_HANDLER, 'handlers/auth.mjs': COUNTING_AUTHORIZER });
let gw: RunningGateway;
let client: ApiGatewayV2Client;
let backend: Server;
let backendUrl: string;

beforeAll(async () => {
  // No config file: the gateway serves what the SDK makes; `functions` maps a Lambda name to a handler.
  gw = await startGateway({ port: 0, admin: true, cwd: project.dir, functions: { items: 'handlers/echo.handler' } });
  client = new ApiGatewayV2Client({ endpoint: gw.adminUrl, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCALGWTEST', secretAccessKey: 'test' }, maxAttempts: 1 });
  backend = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ backend: true, method: req.method, url: req.url }));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});
afterAll(async () => {
  client?.destroy();
  await gw?.close();
  await new Promise((resolve) => backend?.close(resolve));
  project.cleanup();
});

const hostOf = (apiId: string) => `${apiId}.execute-api.localhost`;

describe('§5.3 quick create with the SDK', () => {
  it('create-api --target: a Lambda ARN the functions option maps is served at once, at the main URL and by Host', async () => {
    const api = await client.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: LAMBDA_ARN, CorsConfiguration: { AllowOrigins: ['https://www.example.com'] } }));
    expect(api).toMatchObject({ Name: 'quick', ProtocolType: 'HTTP', ApiEndpoint: gw.url, CorsConfiguration: { AllowOrigins: ['https://www.example.com'] } });
    expect(api.CreatedDate).toBeInstanceOf(Date);
    const res = await http(`${gw.url}/anything/here?x=1`, { headers: { origin: 'https://www.example.com' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://www.example.com');
    const { event, context } = res.json();
    expect(event.requestContext).toMatchObject({ apiId: api.ApiId, routeKey: '$default', stage: '$default' });
    expect(context.functionName).toBe('items');
    expect((await http(`${gw.url}/anything`, { headers: { host: hostOf(api.ApiId!) } })).status).toBe(200);

    // DeleteCorsConfiguration: CORS is no longer configured (aws-behavior.md §2.5).
    await client.send(new DeleteCorsConfigurationCommand({ ApiId: api.ApiId }));
    expect((await http(`${gw.url}/anything`, { headers: { origin: 'https://www.example.com' } })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('§5.4 errors reach the SDK as its typed exceptions, with AWS\'s status and message', async () => {
    const missing = await client.send(new GetApiCommand({ ApiId: 'nope' })).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing).toMatchObject({ name: 'NotFoundException', message: 'Invalid API identifier specified nope', $metadata: { httpStatusCode: 404 } });
    expect((missing as NotFoundException).$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await client.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true } })).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(BadRequestException);
    expect((bad as Error).message).toBe("allow-credentials is not supported if 'allow-origin' is *");
    // The SDK checks nothing itself: the server does (a name is required, §5.3).
    const unnamed = await client.send(new CreateApiCommand({ ProtocolType: 'HTTP' } as never)).catch((error: unknown) => error);
    expect(unnamed).toMatchObject({ name: 'BadRequestException', message: 'The request is missing the required member "name"' });
  });

  it('§5.1 get-apis paginates: maxResults and nextToken', async () => {
    const made = await Promise.all(['p1', 'p2', 'p3'].map((Name) => client.send(new CreateApiCommand({ Name, ProtocolType: 'HTTP' }))));
    const names: string[] = [];
    let NextToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const got = await client.send(new GetApisCommand({ MaxResults: '2', NextToken }));
      expect(got.Items!.length).toBeLessThanOrEqual(2);
      names.push(...got.Items!.map((a) => a.Name!));
      NextToken = got.NextToken;
      if (!NextToken) break;
    }
    expect(names).toEqual(expect.arrayContaining(['quick', 'p1', 'p2', 'p3']));
    await Promise.all(made.map((api) => client.send(new DeleteApiCommand({ ApiId: api.ApiId }))));
    const after = await client.send(new GetApisCommand({}));
    expect(after.Items!.map((a) => a.Name)).not.toContain('p1');
  });
});

describe('§1.2 stages: what a stage serves', () => {
  it('a stage without autoDeploy keeps serving its deployment; an autoDeploy stage serves each change at once', async () => {
    const { ApiId } = await client.send(new CreateApiCommand({ Name: 'stages', ProtocolType: 'HTTP' }));
    const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationUri: `${backendUrl}/v1/{proxy}`, IntegrationMethod: 'ANY' }));
    expect(integration).toMatchObject({ PayloadFormatVersion: '1.0', TimeoutInMillis: 30000, ConnectionType: 'INTERNET' });
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'ANY /api/{proxy+}', Target: `integrations/${integration.IntegrationId}` }));
    await client.send(new CreateStageCommand({ ApiId, StageName: 'prod' }));
    await client.send(new CreateDeploymentCommand({ ApiId, StageName: 'prod' }));
    await client.send(new CreateStageCommand({ ApiId, StageName: 'live', AutoDeploy: true }));
    const host = hostOf(ApiId!);
    const backendPath = async (stage: string) => (await http(`${gw.url}/${stage}/api/items`, { headers: { host } })).json().url;
    expect(await backendPath('prod')).toBe('/v1/items');
    expect(await backendPath('live')).toBe('/v1/items');

    await client.send(new UpdateIntegrationCommand({ ApiId, IntegrationId: integration.IntegrationId, IntegrationUri: `${backendUrl}/v2/{proxy}` }));
    expect(await backendPath('live')).toBe('/v2/items');
    expect(await backendPath('prod')).toBe('/v1/items');
    const { DeploymentId } = await client.send(new CreateDeploymentCommand({ ApiId, StageName: 'prod', Description: 'v2' }));
    expect(await backendPath('prod')).toBe('/v2/items');
    expect(await client.send(new GetStageCommand({ ApiId, StageName: 'prod' }))).toMatchObject({ DeploymentId, AutoDeploy: false, LastDeploymentStatusMessage: `Successfully deployed stage with deployment ID '${DeploymentId}'` });
    // A path outside every stage, with no $default stage: 404 (§1.2).
    expect((await http(`${gw.url}/api/items`, { headers: { host } })).status).toBe(404);
  });

  it('stage variables and route throttling are the stage\'s own, live without a deployment (§7.1: 429)', async () => {
    const { ApiId } = await client.send(new CreateApiCommand({ Name: 'limits', ProtocolType: 'HTTP' }));
    const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: 'items', PayloadFormatVersion: '2.0' }));
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /limited', Target: `integrations/${integration.IntegrationId}` }));
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true, StageVariables: { color: 'blue' } }));
    const host = hostOf(ApiId!);
    expect((await http(`${gw.url}/limited`, { headers: { host } })).json().event.stageVariables).toEqual({ color: 'blue' });
    await client.send(new UpdateStageCommand({ ApiId, StageName: '$default', StageVariables: { color: 'red' }, RouteSettings: { 'GET /limited': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.001 } } }));
    const first = await http(`${gw.url}/limited`, { headers: { host } });
    expect(first.json().event.stageVariables).toEqual({ color: 'red' });
    const second = await http(`${gw.url}/limited`, { headers: { host } });
    expect(second.status).toBe(429);
    expect(second.json()).toEqual({ message: 'Too Many Requests' });
  });
});

describe('§5 Lambda REQUEST authorizers through the management API', () => {
  it('a CUSTOM route runs the authorizer, caches its answer, and ResetAuthorizersCache forgets it', async () => {
    const { ApiId } = await client.send(new CreateApiCommand({ Name: 'keys', ProtocolType: 'HTTP' }));
    const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: LAMBDA_ARN, PayloadFormatVersion: '2.0' }));
    const authorizer = await client.send(
      new CreateAuthorizerCommand({
        ApiId,
        Name: 'keys',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: 'handlers/auth.handler',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.x-api-key'],
        AuthorizerResultTtlInSeconds: 300,
      }),
    );
    const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /secret', Target: `integrations/${integration.IntegrationId}` }));
    await client.send(new UpdateRouteCommand({ ApiId, RouteId: route.RouteId, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
    const host = hostOf(ApiId!);
    const call = (key: string) => http(`${gw.url}/secret`, { headers: { host, 'x-api-key': key } });

    expect((await http(`${gw.url}/secret`, { headers: { host } })).status).toBe(401);
    expect((await call('bad')).status).toBe(403);
    const calls = async () => (await call('good')).json().event.requestContext.authorizer.lambda.calls;
    const first = await calls();
    expect(await calls()).toBe(first);
    await client.send(new ResetAuthorizersCacheCommand({ ApiId, StageName: '$default' }));
    expect(await calls()).toBe(first + 1);
  });
});

describe('§5.2 tags', () => {
  it('an API\'s tags are set, read and returned with it', async () => {
    const { ApiId } = await client.send(new CreateApiCommand({ Name: 'tagged', ProtocolType: 'HTTP', Tags: { team: 'web' } }));
    const arn = `arn:aws:apigateway:eu-west-1::/apis/${ApiId}`;
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'dev' } }));
    expect((await client.send(new GetTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ team: 'web', env: 'dev' });
    expect((await client.send(new UpdateApiCommand({ ApiId, Description: 'tagged API' }))).Tags).toEqual({ team: 'web', env: 'dev' });
  });
});

describe('§5.3 ImportApi, ReimportApi and ExportApi (OpenAPI 3.0, config-formats.md §1)', () => {
  const document = (paths: Record<string, unknown>) =>
    JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'imported', version: '1.0' },
      'x-amazon-apigateway-cors': { allowOrigins: ['https://app.example.com'], allowMethods: ['GET'] },
      paths,
    });
  const lambdaOperation = { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: LAMBDA_ARN, payloadFormatVersion: '2.0' } };

  it('imports a document as an API without a stage; once a stage deploys it, it serves; export gives the document back', async () => {
    const imported = await client.send(new ImportApiCommand({ Body: document({ '/items/{id}': { get: lambdaOperation } }) }));
    expect(imported).toMatchObject({ Name: 'imported', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET'] } });
    const ApiId = imported.ApiId!;
    expect((await client.send(new GetRoutesCommand({ ApiId }))).Items!.map((r) => r.RouteKey)).toEqual(['GET /items/{id}']);
    const host = hostOf(ApiId);
    expect((await http(`${gw.url}/items/1`, { headers: { host } })).status).toBe(404);
    await client.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
    const served = await http(`${gw.url}/items/1`, { headers: { host } });
    expect(served.json().event.pathParameters).toEqual({ id: '1' });

    const exported = await client.send(new ExportApiCommand({ ApiId, Specification: 'OAS30', OutputType: 'JSON' }));
    const doc = JSON.parse(new TextDecoder().decode(exported.body));
    expect(doc).toMatchObject({ openapi: '3.0.1', info: { title: 'imported' }, 'x-amazon-apigateway-cors': { allowOrigins: ['https://app.example.com'] } });
    expect(doc.paths['/items/{id}'].get['x-amazon-apigateway-integration']).toMatchObject({ type: 'aws_proxy', uri: LAMBDA_ARN, payloadFormatVersion: '2.0' });
    const yaml = await client.send(new ExportApiCommand({ ApiId, Specification: 'OAS30', OutputType: 'YAML', IncludeExtensions: false }));
    expect(new TextDecoder().decode(yaml.body)).toMatch(/^openapi: 3\.0\.1/);
    expect(new TextDecoder().decode(yaml.body)).not.toContain('x-amazon-apigateway');

    // ReimportApi replaces the routes; the stage (autoDeploy) serves the new ones at once.
    await client.send(new ReimportApiCommand({ ApiId, Body: document({ '/other': { get: lambdaOperation } }) }));
    expect((await http(`${gw.url}/items/1`, { headers: { host } })).status).toBe(404);
    expect((await http(`${gw.url}/other`, { headers: { host } })).status).toBe(200);
  });

  it('§5.4 a document that is not OpenAPI 3.0 is refused with what is wrong', async () => {
    const swagger = await client.send(new ImportApiCommand({ Body: JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} }) })).catch((error: unknown) => error);
    expect(swagger).toMatchObject({ name: 'BadRequestException', message: expect.stringMatching(/Swagger 2\.0/) });
    const garbage = await client.send(new ImportApiCommand({ Body: 'openapi: [' })).catch((error: unknown) => error);
    expect(garbage).toMatchObject({ name: 'BadRequestException', message: expect.stringMatching(/^Unable to parse the OpenAPI definition/) });
  });
});
