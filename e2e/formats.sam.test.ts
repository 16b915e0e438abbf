import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveProject, startCli, runCliAsync, type RunningCli } from './helpers/cli.js';
import { editFile, eventually } from './helpers/edit.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// Issue 15: `localgw start` in a SAM project, with no flags and no config of localgw's own
// (but for a small localgw.config.yaml beside template.yaml where the template cannot say it).

describe('the §2.9 SAM template of config-formats.md', () => {
  const project = tempProject({}, 'e2e/fixtures/formats/sam-example');
  let gw: RunningCli;
  let token: string;
  beforeAll(async () => {
    gw = await startCli([], { cwd: project.dir });
    const minted = await runCliAsync(['token', '--authorizer', 'JwtAuth', '--scope', 'items/read items/admin', '--sub', 'alice'], { cwd: project.dir });
    expect(minted.code, minted.stderr).toBe(0);
    token = minted.stdout.trim();
  });
  afterAll(async () => {
    await gw?.stop();
    project.cleanup();
  });
  const auth = () => ({ authorization: `Bearer ${token}` });

  it('prints the routes with where each is written', () => {
    expect(gw.output()).toMatch(/GET \/items\s+→ src\/items\.list\s+auth: JwtAuth \[items\/read\]\s+template\.yaml:46/);
    expect(gw.output()).toMatch(/\$default\s+→ src\/fallback\.handler/);
  });

  it('serves the named stage (StageName: !Ref Stage, default dev) with its stage variables and the function\'s own name', async () => {
    const res = await http(`${gw.url}/dev/items`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      route: 'GET /items',
      stage: 'dev',
      stageVariables: { legacyHost: 'legacy.example.com' },
      functionName: 'ListItems',
      envFunctionName: 'ListItems',
      table: 'items',
      sub: 'alice',
    });
    expect((await http(`${gw.url}/items`, { headers: auth() })).status).toBe(404);
  });

  it('the JWT DefaultAuthorizer protects routes (401 without a token), NONE opts out', async () => {
    expect((await http(`${gw.url}/dev/items`)).status).toBe(401);
    expect((await http(`${gw.url}/dev/health`)).json()).toEqual({ ok: true, apiId: 'api' });
  });

  it('payload 1.0 and the shorter of the function Timeout (5 s) and TimeoutInMillis (4 s)', async () => {
    const res = (await http(`${gw.url}/dev/items/42`, { headers: auth() })).json();
    expect(res).toMatchObject({ id: '42', version: '1.0', resource: '/items/{id}' });
    expect(res.remaining).toBeLessThanOrEqual(4000);
    expect(res.remaining).toBeGreaterThan(2000);
  });

  it('the Lambda authorizer (Identity.Headers) guards POST /admin', async () => {
    expect((await http(`${gw.url}/dev/admin`, { method: 'POST', headers: { authorization: 'nope' } })).status).toBe(403);
    const res = await http(`${gw.url}/dev/admin`, { method: 'POST', headers: { authorization: 'let-me-in' } });
    expect(res.json()).toEqual({ admin: 'true', table: 'items', who: 'admin' });
  });

  it('the CORS preflight of the template\'s CorsConfiguration (through $default\'s authorizer: the §1.7 trap, warned at start)', async () => {
    const res = await http(`${gw.url}/dev/items`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
    // The DefaultAuthorizer is on $default, which catches every OPTIONS: AWS answers 401 too.
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(gw.output()).toContain('warning: template.yaml:84 routes.$default: catches browser preflights (OPTIONS)');
  });
});

describe('examples/sam: Globals, the implicit API, JWT and Lambda authorizers, conditions and parameters', () => {
  const project = tempProject({}, 'examples/sam');
  const gw = serveProject(project);

  it('starts with no flags, warning about the parameter that has no default', () => {
    expect(gw.output()).toContain('warning: template.yaml:19 Parameters.ApiKey: parameter ApiKey has no Default and no value was given, so it is empty');
  });

  it('a route open to all (Auth: NONE), on the implicit ServerlessHttpApi', async () => {
    expect((await http(`${gw.url}/health`)).json()).toEqual({ status: 'ok', stage: 'dev', function: 'HealthFunction', apiId: 'serverlesshttpapi' });
  });

  it('the CORS preflight from Globals.HttpApi, its origin chosen by a condition on a parameter', async () => {
    const res = await http(`${gw.url}/items`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-methods']).toBe('GET,POST,DELETE');
    expect(res.headers['access-control-max-age']).toBe('600');
    const refused = await http(`${gw.url}/items`, { method: 'OPTIONS', headers: { origin: 'https://items.example.com', 'access-control-request-method': 'GET' } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a JWT-protected route: 401 without a token, 200 with `localgw token`\'s, whose issuer is the template\'s', async () => {
    expect((await http(`${gw.url}/items`)).status).toBe(401);
    // The only JWT authorizer (ApiKeyAuth is a Lambda one), so --authorizer is optional.
    const token = (await runCliAsync(['token', '--sub', 'bob'], { cwd: project.dir })).stdout.trim();
    const res = await http(`${gw.url}/items`, { headers: { authorization: token } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ table: 'items-dev', user: 'bob' });
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE', aud: 'items-web' });
  });

  it('without --parameter-overrides the API key is empty, so the Lambda authorizer denies', async () => {
    const res = await http(`${gw.url}/items`, { method: 'POST', headers: { 'x-api-key': 'anything' }, body: '{"name":"pen"}' });
    expect(res.status).toBe(403);
  });

  it('sam local\'s flags: --parameter-overrides, --env-vars, --port', async () => {
    const other = await startCli(['--parameter-overrides', 'ApiKey=local-key Stage=prod', '--env-vars', 'env.json', '--no-watch'], { cwd: project.dir });
    try {
      const created = await http(`${other.url}/items`, { method: 'POST', headers: { 'x-api-key': 'local-key', 'content-type': 'application/json' }, body: '{"name":"pen"}' });
      expect(created.status).toBe(201);
      // FunctionName: !Sub items-${Stage}-create, with the overridden Stage.
      expect(created.json()).toMatchObject({ name: 'pen', createdBy: 'machine', function: 'items-prod-create' });
      const token = (await runCliAsync(['token', '--authorizer', 'CognitoJwt', '--parameter-overrides', 'Stage=prod'], { cwd: project.dir })).stdout.trim();
      // env.json sets ListItemsFunction's TABLE_NAME; the IsProd condition picks the production origin.
      expect((await http(`${other.url}/items`, { headers: { authorization: token } })).json()).toMatchObject({ table: 'items-local' });
      const preflight = await http(`${other.url}/items`, { method: 'OPTIONS', headers: { origin: 'https://items.example.com', 'access-control-request-method': 'GET' } });
      expect(preflight.headers['access-control-allow-origin']).toBe('https://items.example.com');
    } finally {
      await other.stop();
    }
  });
});

describe('several APIs in one template (and one in a nested stack), each served alone', () => {
  const project = tempProject({}, 'e2e/fixtures/formats/multi-api');
  const gw = serveProject(project);
  const port = () => new URL(gw.url).port;
  const viaHost = (apiId: string, path: string) => http(`${gw.url}${path}`, { headers: { host: `${apiId}.execute-api.localhost:${port()}` } });

  it('the route table is grouped by API, with where each is served', () => {
    expect(gw.output()).toContain(`API PublicApi (main) → ${gw.url} (also Host publicapi.execute-api.localhost:${port()})`);
    expect(gw.output()).toContain(`API PartnerApi → Host partnerapi.execute-api.localhost:${port()}`);
    expect(gw.output()).toContain(`API AdminApi → Host adminapi.execute-api.localhost:${port()}`);
  });

  it('the first declared API at the main URL; every API by Host {apiId}.execute-api.localhost, with its own apiId', async () => {
    expect((await http(`${gw.url}/who`)).json()).toEqual({ apiId: 'publicapi', domainName: `127.0.0.1:${port()}`, stage: '$default', functionName: 'who-am-i' });
    expect((await http(`${gw.url}/partner`)).status).toBe(404);
    expect((await viaHost('partnerapi', '/partners/partner')).json()).toEqual({ apiId: 'partnerapi', domainName: `partnerapi.execute-api.localhost:${port()}`, stage: 'partners', functionName: 'who-am-i' });
    expect((await viaHost('publicapi', '/who')).json()).toMatchObject({ apiId: 'publicapi' });
    // An unknown API id falls back to the main API.
    expect((await viaHost('nosuchapi', '/who')).json()).toMatchObject({ apiId: 'publicapi' });
  });

  it('the nested stack\'s API, its parameters passed from the parent', async () => {
    expect((await viaHost('adminapi', '/hello')).json()).toEqual({ greeting: 'hello from local', apiId: 'adminapi' });
  });

  it('a Python function (Runtime: python3.12) runs in python3 (issue 19)', async () => {
    expect(gw.output()).not.toContain('is not supported yet');
    const res = await http(`${gw.url}/report`);
    expect([res.status, res.json()]).toEqual([200, { ok: true }]);
  });

  it('--api serves another API at the main URL', async () => {
    const other = await startCli(['--api', 'PartnerApi', '--no-watch'], { cwd: project.dir });
    try {
      expect((await http(`${other.url}/partners/partner`)).json()).toMatchObject({ apiId: 'partnerapi' });
    } finally {
      await other.stop();
    }
  });
});

describe('plain CloudFormation, modelled on AWS\'s JWT sample: quick create, an override, inline code', () => {
  const project = tempProject(
    {
      // The issuer is a Cognito pool that only exists in AWS; set it locally.
      'localgw.config.json': { authorizers: { 'test-jwt-authorizer': { issuer: 'https://issuer.example.com', audience: ['local-client'] } } },
    },
    'e2e/fixtures/formats/cfn-sample',
  );
  const gw = serveProject(project);

  it('the inline code answers on $default, behind the JWT authorizer (token in the query string, by the authorizer\'s Name)', async () => {
    expect((await http(`${gw.url}/anything`)).status).toBe(401);
    const token = (await runCliAsync(['token', '--authorizer', 'JWTAuthorizer', '--sub', 'carol'], { cwd: project.dir })).stdout.trim();
    const res = await http(`${gw.url}/anything?access_token=${token}`);
    expect(res.status).toBe(200);
    expect(res.json()).toBe('Hello from the $default route, carol!');
    await gw.waitForOutput(/jwt test-jwt-authorizer ✓ sub=carol/);
  });
});

describe('hot reload of a template', () => {
  const project = tempProject({}, 'e2e/fixtures/formats/multi-api');
  const gw = serveProject(project);

  it('an edit of the template (or a nested one) takes effect; a broken edit keeps the last good version', async () => {
    expect((await http(`${gw.url}/whoami`)).status).toBe(404);
    editFile(project.path('template.yaml'), (t) => t.replace('Path: /who, Method: GET } }\n        Partner', 'Path: /whoami, Method: GET } }\n        Partner'));
    await eventually(async () => (await http(`${gw.url}/whoami`)).status, 200);
    await gw.waitForOutput(/reloaded template\.yaml in \d+ ms/);

    editFile(project.path('template.yaml'), (t) => t.replace('{ ApiId: !Ref PublicApi, Path: /whoami', '{ ApiId: !Ref Nowhere, Path: /whoami'));
    await gw.waitForOutput(/reload failed, still serving the last good version:\n.*Invalid SAM template template\.yaml/);
    expect((await http(`${gw.url}/whoami`)).status).toBe(200);

    editFile(project.path('admin/template.yaml'), (t) => t.replace('Path: /hello', 'Path: /hi'));
    editFile(project.path('template.yaml'), (t) => t.replace('!Ref Nowhere', '!Ref PublicApi'));
    const port = new URL(gw.url).port;
    await eventually(async () => (await http(`${gw.url}/hi`, { headers: { host: `adminapi.execute-api.localhost:${port}` } })).status, 200);
  });
});

describe('a Lambda the template does not define (an ARN to another account)', () => {
  const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: "3.0.1"
        info: { title: shared }
        paths:
          /shared:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:999999999999:function:shared-service/invocations
                payloadFormatVersion: "2.0"
`;

  it('check names it, with how to map it to a local file; the beside config\'s "functions" does', async () => {
    const project = tempProject({ 'template.yaml': template, 'local/shared.mjs': 'export const handler = async (event, context) => ({ mapped: true, functionName: context.functionName });\n' });
    try {
      const failing = await runCliAsync(['check'], { cwd: project.dir });
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain(
        '✗ template.yaml:14 routes["GET /shared"].handler: Lambda function "shared-service" is not defined in the template (arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:999999999999:function:shared-service/invocations) (map it to a local file: add "functions": { "shared-service": "path/to/file.handler" } to a localgw.config.json beside the template)',
      );
      project.write('localgw.config.json', { functions: { 'shared-service': 'local/shared.handler' } });
      const passing = await runCliAsync(['check'], { cwd: project.dir });
      expect(passing.code, passing.stdout).toBe(0);
      const gw = await startCli(['--no-watch'], { cwd: project.dir });
      try {
        expect((await http(`${gw.url}/shared`)).json()).toEqual({ mapped: true, functionName: 'shared-service' });
      } finally {
        await gw.stop();
      }
    } finally {
      project.cleanup();
    }
  });
});
