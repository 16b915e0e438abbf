import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apigatewayv2, awsCliPath } from './helpers/aws-cli.js';
import { runCliAsync, startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
import { ECHO_HANDLER } from './fixtures/handlers.js';

// config-formats.md §5 with the real AWS CLI (Debian's awscli): `aws --endpoint-url ADMIN
// apigatewayv2 …` against `localgw start`, and what the running API then serves. Each CLI call
// costs most of a second (Python starting up), so independent calls run side by side.

const ORIGIN = 'https://www.example.com';

interface Printed {
  code: number | null;
  stderr: string;
}

// The config of the seed's guide: an API whose id the seed's command names.
const seed = tempProject({
  'handlers/echo.mjs': ECHO_HANDLER,
  'localgw.config.json': { apiId: 'api-id', routes: { 'GET /hello': 'handlers/echo.handler' } },
});
// No config at all: only what the management API creates is served.
const empty = tempProject({ 'handlers/echo.mjs': ECHO_HANDLER });

let seedCli: RunningCli;
let emptyCli: RunningCli;
const adminOf = (cli: RunningCli) => /^admin (http:\/\/127\.0\.0\.1:\d+)/m.exec(cli.output())![1]!;

beforeAll(async () => {
  awsCliPath();
  [seedCli, emptyCli] = await Promise.all([startCli(['--no-watch'], { cwd: seed.dir }), startCli(['--no-watch'], { cwd: empty.dir })]);
  await Promise.all([seedCli.waitForOutput(/^admin http/m), emptyCli.waitForOutput(/^admin http/m)]);
});
afterAll(async () => {
  await Promise.all([seedCli?.stop(), emptyCli?.stop()]);
  seed.cleanup();
  empty.cleanup();
});

describe('§5 the seed guide with the AWS CLI', () => {
  it('§2.1 the seed\'s exact update-api --cors-configuration changes the running API\'s CORS answer', async () => {
    const before = await http(`${seedCli.url}/hello`, { headers: { origin: ORIGIN } });
    expect(before.status).toBe(200);
    expect(before.headers['access-control-allow-origin']).toBeUndefined();

    const update = await apigatewayv2(adminOf(seedCli), ['update-api', '--api-id', 'api-id', '--cors-configuration', 'AllowOrigins="https://www.example.com"']);
    expect(update.stderr).toBe('');
    expect(update.code).toBe(0);
    expect(update.json()).toMatchObject({ ApiId: 'api-id', CorsConfiguration: { AllowOrigins: [ORIGIN] }, ProtocolType: 'HTTP' });

    const after = await http(`${seedCli.url}/hello`, { headers: { origin: ORIGIN } });
    expect(after.status).toBe(200);
    expect(after.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(after.json().event.requestContext.apiId).toBe('api-id');
    expect(seedCli.output()).toMatch(/admin UpdateApi api-id → 200/);
  });

  it('§5.3 get-apis lists the config file\'s API under its id, with the defaults AWS echoes', async () => {
    const [listed, routes] = await Promise.all([apigatewayv2(adminOf(seedCli), ['get-apis']), apigatewayv2(adminOf(seedCli), ['get-routes', '--api-id', 'api-id'])]);
    expect(listed.code).toBe(0);
    const api = listed.json().Items.find((a: { ApiId: string }) => a.ApiId === 'api-id');
    expect(api).toMatchObject({
      ApiEndpoint: seedCli.url,
      RouteSelectionExpression: '$request.method $request.path',
      ApiKeySelectionExpression: '$request.header.x-api-key',
      Tags: {},
    });
    // Sent as 2026-01-01T00:00:00Z; the CLI prints it in its own ISO-8601 form.
    expect(api.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+00:00)$/);
    expect(routes.json().Items).toEqual([expect.objectContaining({ RouteKey: 'GET /hello', AuthorizationType: 'NONE', ApiKeyRequired: false })]);
  });
});

describe('§5.2 a whole API made with the AWS CLI serves requests', () => {
  it('create-api → create-integration and create-authorizer (JWT) → create-route → create-stage → create-deployment', async () => {
    const admin = adminOf(emptyCli);
    const cli = (...args: string[]) => apigatewayv2(admin, args);
    expect(emptyCli.output()).toMatch(/no config file in .*serving only the APIs the management API creates/);

    const api = (await cli('create-api', '--name', 'items', '--protocol-type', 'HTTP')).json();
    expect(api).toMatchObject({ Name: 'items', ProtocolType: 'HTTP', RouteSelectionExpression: '$request.method $request.path' });
    expect(api.ApiId).toMatch(/^[a-z0-9]{10}$/);
    // The integration and the authorizer need only the API; then a route that uses both.
    const [integrationResult, authorizerResult] = await Promise.all([
      cli('create-integration', '--api-id', api.ApiId, '--integration-type', 'AWS_PROXY', '--integration-uri', 'handlers/echo.handler', '--payload-format-version', '2.0'),
      cli('create-authorizer', '--api-id', api.ApiId, '--authorizer-type', 'JWT', '--name', 'main', '--identity-source', '$request.header.Authorization', '--jwt-configuration', 'Audience=items-app,Issuer=https://issuer.example.com'),
    ]);
    const integration = integrationResult.json();
    // The defaults AWS echoes for a Lambda integration (config-formats.md §5.3).
    expect(integration).toMatchObject({ ConnectionType: 'INTERNET', IntegrationMethod: 'POST', TimeoutInMillis: 30000, PayloadFormatVersion: '2.0' });
    const authorizer = authorizerResult.json();
    expect(authorizer).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Audience: ['items-app'], Issuer: 'https://issuer.example.com' } });
    const route = (
      await cli('create-route', '--api-id', api.ApiId, '--route-key', 'GET /items/{id}', '--target', `integrations/${integration.IntegrationId}`, '--authorization-type', 'JWT', '--authorizer-id', authorizer.AuthorizerId, '--authorization-scopes', 'items/read')
    ).json();
    expect(route).toMatchObject({ RouteKey: 'GET /items/{id}', AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId, AuthorizationScopes: ['items/read'], ApiKeyRequired: false });
    const stage = (await cli('create-stage', '--api-id', api.ApiId, '--stage-name', 'dev', '--stage-variables', 'table=items')).json();
    expect(stage).toMatchObject({ StageName: 'dev', AutoDeploy: false, DefaultRouteSettings: { DetailedMetricsEnabled: false }, RouteSettings: {}, StageVariables: { table: 'items' } });

    // aws-behavior.md §1.2: a stage without autoDeploy serves nothing before its first deployment.
    const host = `${api.ApiId}.execute-api.localhost`;
    expect((await http(`${emptyCli.url}/dev/items/1`, { headers: { host } })).status).toBe(404);
    const deployment = (await cli('create-deployment', '--api-id', api.ApiId, '--stage-name', 'dev')).json();
    expect(deployment).toMatchObject({ DeploymentStatus: 'DEPLOYED', AutoDeployed: false });

    expect((await http(`${emptyCli.url}/dev/items/1`, { headers: { host } })).status).toBe(401);
    const token = await runCliAsync(['token', '--from', admin, '--api', api.ApiId, '--scope', 'items/read', '--sub', 'alice'], { cwd: empty.dir });
    expect(token.stderr).toBe('');
    const served = await http(`${emptyCli.url}/dev/items/42`, { headers: { host, authorization: `Bearer ${token.stdout.trim()}` } });
    expect(served.status).toBe(200);
    const event = served.json().event;
    expect(event.requestContext).toMatchObject({ apiId: api.ApiId, stage: 'dev', routeKey: 'GET /items/{id}', authorizer: { jwt: { claims: { sub: 'alice' }, scopes: ['items/read'] } } });
    expect(event.pathParameters).toEqual({ id: '42' });
    expect(event.stageVariables).toEqual({ table: 'items' });
    // Without a config file, the first API made is also served at the main URL.
    expect((await http(`${emptyCli.url}/dev/items/1`)).status).toBe(401);

    // §5.3 get-* answers what was set.
    const [gotRoute, gotIntegration, gotAuthorizer, gotStage] = await Promise.all([
      cli('get-route', '--api-id', api.ApiId, '--route-id', route.RouteId),
      cli('get-integration', '--api-id', api.ApiId, '--integration-id', integration.IntegrationId),
      cli('get-authorizer', '--api-id', api.ApiId, '--authorizer-id', authorizer.AuthorizerId),
      cli('get-stage', '--api-id', api.ApiId, '--stage-name', 'dev'),
    ]);
    expect(gotRoute.json()).toEqual(route);
    expect(gotIntegration.json()).toEqual(integration);
    expect(gotAuthorizer.json()).toEqual(authorizer);
    expect(gotStage.json()).toMatchObject({ ...stage, DeploymentId: deployment.DeploymentId, LastUpdatedDate: expect.any(String) });
  });
});

describe('§5.4 invalid calls get AWS\'s error types, as the AWS CLI prints them', () => {
  it('NotFoundException, BadRequestException (CORS §2.1) and ConflictException', async () => {
    const cli = (...args: string[]) => apigatewayv2(adminOf(seedCli), args);
    const results = await Promise.all([
      cli('get-api', '--api-id', 'nope'),
      cli('update-api', '--api-id', 'api-id', '--cors-configuration', 'AllowOrigins="*",AllowCredentials=true'),
      cli('create-api', '--name', 'x', '--protocol-type', 'HTTP', '--cors-configuration', 'AllowOrigins="https://*.example.com"'),
      cli('create-route', '--api-id', 'api-id', '--route-key', 'GET /hello'),
    ]);
    const [notFound, credentials, wildcard, duplicate] = results.map((r) => ({ code: r.code, stderr: r.stderr.trim() })) as [Printed, Printed, Printed, Printed];
    expect(notFound.stderr).toBe('An error occurred (NotFoundException) when calling the GetApi operation: Invalid API identifier specified nope');
    // AWS's own text (aws-behavior.md §2.1).
    expect(credentials.stderr).toBe("An error occurred (BadRequestException) when calling the UpdateApi operation: allow-credentials is not supported if 'allow-origin' is *");
    expect(wildcard.stderr).toMatch(/^An error occurred \(BadRequestException\) when calling the CreateApi operation: allowOrigins\[0\]: "https:\/\/\*\.example\.com" uses a partial wildcard/);
    expect(duplicate.stderr).toBe('An error occurred (ConflictException) when calling the CreateRoute operation: Route with key GET /hello already exists for this API');
    for (const result of results) expect(result.code).not.toBe(0);
    // A refused change leaves the API as it was.
    const api = await cli('get-api', '--api-id', 'api-id');
    expect(api.json().CorsConfiguration ?? {}).not.toHaveProperty('AllowCredentials');
  });
});
