import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync, serveProject, startCli } from './helpers/cli.js';
import { editFile, eventually } from './helpers/edit.js';
import { http } from './helpers/http.js';
import { REPO, tempProject } from './helpers/project.js';

// Issue 16: `localgw start` with no flags in a Serverless Framework service and beside an
// OpenAPI document; `localgw export` back to what AWS imports, and that export served again.

/** examples/serverless in a temp folder, with its own node_modules (express, serverless-http). */
function serverlessProject() {
  const project = tempProject({}, 'examples/serverless');
  symlinkSync(join(REPO, 'examples/serverless/node_modules'), project.path('node_modules'), 'junction');
  return project;
}

const token = async (cwd: string, args: string[]) => {
  const minted = await runCliAsync(['token', ...args], { cwd });
  expect(minted.code, minted.stderr).toBe(0);
  return minted.stdout.trim();
};

/** A route table without where each route is written, to compare two sources of one API. */
const routeLines = (output: string) =>
  output
    .trim()
    .split('\n')
    .map((line) => line.replace(/\s+\S+:\d+$/, '').replace(/\s+/g, ' '))
    .sort();

describe('examples/serverless: a serverless-offline user\'s service, started with no flags', () => {
  const project = serverlessProject();
  const gw = serveProject(project);

  it('prints the routes of the httpApi events, with where each is written; the offline options it matches are quiet', () => {
    expect(gw.output()).toMatch(/GET \/todos\s+→ src\/todos\.list\s+auth: cognito \[todos\/read\]\s+serverless\.yml:55/);
    expect(gw.output()).toMatch(/\$default\s+→ src\/app\.handler\s+serverless\.yml:89/);
    expect(gw.output()).not.toContain('custom.serverless-offline');
    expect(gw.output()).not.toContain('plugins are not run');
  });

  it('§3.2 no stage prefix (provider.stage is the Framework\'s); the variables resolved; the function\'s deployed name', async () => {
    const res = await http(`${gw.url}/health`);
    expect(res.json()).toEqual({ status: 'ok', stage: 'dev', function: 'todo-api-dev-health', apiId: 'httpapi' });
    expect((await http(`${gw.url}/dev/health`)).json()).toMatchObject({ message: 'express has no route for GET /dev/health' });
  });

  it('an Express app behind httpApi: \'*\' (serverless-http), from the project\'s own node_modules', async () => {
    expect((await http(`${gw.url}/hello/ada`)).json()).toEqual({ hello: 'ada', path: '/hello/ada', via: 'express' });
    const echoed = await http(`${gw.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(echoed.status).toBe(201);
    expect(echoed.json()).toEqual({ received: { n: 1 } });
  });

  it('a JWT-protected route: 401 without a token, 403 without the scope, 200 with `localgw token`\'s (issuer from ${aws:region} and ${self:custom…})', async () => {
    expect((await http(`${gw.url}/todos`)).status).toBe(401);
    const noScope = await token(project.dir, ['--authorizer', 'cognito']);
    expect((await http(`${gw.url}/todos`, { headers: { authorization: `Bearer ${noScope}` } })).status).toBe(403);
    const jwt = await token(project.dir, ['--authorizer', 'cognito', '--scope', 'todos/read', '--sub', 'alice']);
    const res = await http(`${gw.url}/todos`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ table: 'todos-dev', user: 'alice' });
    expect(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())).toMatchObject({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TODOLOCAL', aud: 'todo-web' });
  });

  it('the request authorizer (functionName: apiKeyAuthorizer, its ${env:API_KEY, …} default)', async () => {
    expect((await http(`${gw.url}/admin/import`, { method: 'POST', headers: { 'x-api-key': 'wrong' } })).status).toBe(403);
    expect((await http(`${gw.url}/admin/import`, { method: 'POST', headers: { 'x-api-key': 'local-key' } })).json()).toEqual({ imported: 0, by: 'importer' });
  });

  it('§3.3 CORS: the preflight reaches $default (the Express app answers it), with provider.httpApi.cors\'s headers', async () => {
    const res = await http(`${gw.url}/todos`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-max-age']).toBe('600');
  });

  it('--stage prod is ${opt:stage} (TABLE_NAME, the names), never a path prefix; custom.serverless-offline.httpPort is reported', async () => {
    editFile(project.path('serverless.yml'), (t) => t.replace('httpPort: 3000', 'httpPort: 4000'));
    const prod = await startCli(['--stage', 'prod', '--no-watch'], { cwd: project.dir });
    try {
      expect((await http(`${prod.url}/health`)).json()).toMatchObject({ stage: 'prod', function: 'todo-api-prod-health' });
      expect(prod.output()).toContain('warning: serverless.yml:13 custom.serverless-offline.httpPort: this serverless-offline option is not applied: localgw listens on port 3000 by default: start it with --port 4000');
    } finally {
      await prod.stop();
    }
  });

  it('hot reload: an edit of serverless.yml is served on the next request; a broken one keeps the last good version', async () => {
    editFile(project.path('serverless.yml'), (t) => t.replace('- httpApi: GET /health', '- httpApi: GET /status'));
    await eventually(async () => (await http(`${gw.url}/status`)).status, 200);
    editFile(project.path('serverless.yml'), (t) => t.replace('authorizer: cognito\n', 'authorizer: cognitoo\n'));
    await gw.waitForOutput(/reload failed, still serving the last good version:\n.*Invalid Serverless Framework service serverless\.yml/);
    expect(gw.output()).toContain('no authorizer named "cognitoo" under provider.httpApi.authorizers');
    expect((await http(`${gw.url}/status`)).status).toBe(200);
  });
});

describe('localgw export, then served again', () => {
  const project = serverlessProject();
  afterAll(() => project.cleanup());

  for (const [format, out] of [
    ['openapi', 'openapi.json'],
    ['cloudformation', 'api.template.json'],
  ] as const) {
    it(`--format ${format}: the export, with the functions map it prints beside it, serves the same route table`, async () => {
      const original = await runCliAsync(['routes'], { cwd: project.dir });
      expect(original.code, original.stderr).toBe(0);
      const exported = await runCliAsync(['export', '--format', format, '--out', out], { cwd: project.dir });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stderr).toContain(`wrote ${out}: 5 routes`);
      const beside = JSON.parse(exported.stderr.slice(exported.stderr.indexOf('{'))) as { functions: Record<string, unknown> };
      expect(beside.functions['todo-api-dev-listTodos']).toEqual({ handler: 'src/todos.list', environment: { TABLE_NAME: 'todos-dev', STAGE: 'dev' } });

      // A project of the export alone: the same code, no serverless.yml.
      const again = serverlessProject();
      try {
        editFile(again.path('serverless.yml'), () => '# moved away\n');
        writeFileSync(again.path(out), readFileSync(project.path(out)));
        writeFileSync(again.path('localgw.config.json'), JSON.stringify(beside, null, 2));
        const routes = await runCliAsync(['routes', '--config', out], { cwd: again.dir });
        expect(routes.code, routes.stderr).toBe(0);
        expect(routeLines(routes.stdout)).toEqual(routeLines(original.stdout));
        const served = await startCli(['--config', out, '--no-watch'], { cwd: again.dir });
        try {
          expect((await http(`${served.url}/health`)).json()).toMatchObject({ stage: 'dev', function: 'todo-api-dev-health' });
          const jwt = await token(again.dir, ['--config', out, '--authorizer', 'cognito', '--scope', 'todos/read']);
          expect((await http(`${served.url}/todos`, { headers: { authorization: jwt } })).status).toBe(200);
        } finally {
          await served.stop();
        }
      } finally {
        again.cleanup();
      }
    });
  }
});

describe('an OpenAPI document (§1.7) with a localgw config beside it, started with no flags', () => {
  const project = tempProject({}, 'e2e/fixtures/formats/openapi-example');
  const gw = serveProject(project);

  it('serves its routes, the Lambda ARNs mapped by the beside config\'s functions', async () => {
    expect(gw.output()).toMatch(/GET \/items\s+→ src\/items\.list\s+auth: jwtAuth \[items\/read\]\s+openapi\.yaml:7/);
    expect((await http(`${gw.url}/items/7`)).json()).toEqual({ id: '7', version: '1.0' });
    expect((await http(`${gw.url}/nowhere`)).json()).toEqual({ fallback: '/nowhere' });
  });

  it('the JWT-protected route (scopes from security), with `localgw token`', async () => {
    expect((await http(`${gw.url}/items`)).status).toBe(401);
    const jwt = await token(project.dir, ['--authorizer', 'jwtAuth', '--scope', 'items/read', '--sub', 'bob']);
    expect((await http(`${gw.url}/items`, { headers: { authorization: `Bearer ${jwt}` } })).json()).toEqual({ route: 'GET /items', sub: 'bob', functionName: 'listItems' });
  });

  it('the request authorizer of the apiKey scheme', async () => {
    expect((await http(`${gw.url}/admin`, { method: 'POST', headers: { authorization: 'nope' } })).status).toBe(403);
    expect((await http(`${gw.url}/admin`, { method: 'POST', headers: { authorization: 'let-me-in' } })).json()).toEqual({ admin: true, who: 'admin' });
  });

  it('x-amazon-apigateway-cors: a preflight no route matches is answered by the gateway', async () => {
    const res = await http(`${gw.url}/items`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
    // $default (any method) catches the preflight (§1.7 of aws-behavior.md); it has no authorizer.
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });

  it('hot reload: a path added to the document is served', async () => {
    editFile(project.path('openapi.yaml'), (t) => t.replace('  /admin:\n', '  /things/{id}:\n    get:\n      x-amazon-apigateway-integration: { $ref: "#/components/x-amazon-apigateway-integrations/getItem" }\n  /admin:\n'));
    await eventually(async () => (await http(`${gw.url}/things/3`)).json(), { id: '3', version: '1.0' });
  });
});

describe('an API Gateway console export (OpenAPI JSON) with the functions mapped beside it', () => {
  const project = tempProject({}, 'e2e/fixtures/formats/openapi-console');
  const gw = serveProject(project);

  it('a JWT route with scopes, and the integration\'s timeoutInMillis as the deadline', async () => {
    expect((await http(`${gw.url}/pets`)).status).toBe(401);
    const jwt = await token(project.dir, ['--scope', 'pets/read', '--sub', 'carol']);
    expect((await http(`${gw.url}/pets`, { headers: { authorization: jwt } })).json()).toEqual({ pets: ['rex'], sub: 'carol' });
    const pet = (await http(`${gw.url}/pets/9`)).json() as { petId: string; remaining: number };
    expect(pet.petId).toBe('9');
    expect(pet.remaining).toBeLessThanOrEqual(5000);
  });

  it('CORS from x-amazon-apigateway-cors: a preflight no route matches is answered by the gateway', async () => {
    const res = await http(`${gw.url}/pets`, { method: 'OPTIONS', headers: { origin: 'https://pets.example.com', 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://pets.example.com');
    expect(res.headers['access-control-allow-methods']).toBe('GET,OPTIONS');
  });
});
