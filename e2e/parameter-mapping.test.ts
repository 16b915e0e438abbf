import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// aws-behavior.md §6.1–§6.3 (issue 14): parameter mapping and the HTTP proxy's pass-through,
// observed where it matters: what a real loopback backend received, and what a Lambda's event held.

let backend: Server;
let backendUrl: string;
let gw: RunningCli;
let project: ReturnType<typeof tempProject>;

beforeAll(async () => {
  backend = createServer((req, res) => {
    if (req.url?.startsWith('/redirect')) {
      // Two cookies and a redirect: the gateway passes them through, it does not follow.
      res.writeHead(302, { location: '/landed', 'set-cookie': ['a=1; Path=/; HttpOnly', 'b=2; Path=/'] }).end();
      return;
    }
    if (req.url?.startsWith('/reset')) {
      req.socket.destroy();
      return;
    }
    if (req.url?.startsWith('/fail')) {
      res.writeHead(500, { 'content-type': 'application/json', 'x-backend-error': 'db' }).end('{"id":"e-7"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'b1' }).end(JSON.stringify({ method: req.method, url: req.url, rawHeaders: req.rawHeaders }));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const port = (backend.address() as AddressInfo).port;
  backendUrl = `http://127.0.0.1:${port}`;
  project = tempProject({
    'api.mjs': 'export const echo = async (event) => ({ statusCode: event.queryStringParameters?.status ? Number(event.queryStringParameters.status) : 200, headers: { "content-type": "application/json", "x-fn": "f" }, body: JSON.stringify(event) });',
    'localgw.config.json': {
      stageVariables: { backendPort: String(port), tenant: 'acme' },
      routes: {
        'POST /users/{id}': {
          url: `${backendUrl}/v1/users/{id}`,
          requestParameters: {
            'append:header.x-tenant': '$stageVariables.tenant',
            'overwrite:header.x-user': '${request.path.id}-${request.querystring.role}',
            'remove:header.x-secret': "''",
            'overwrite:querystring.role': 'admin',
            'append:querystring.from': '$context.routeKey',
            'overwrite:header.x-body-name': '$request.body.name',
          },
        },
        'GET /moved/{id}': { url: `${backendUrl}/old/{id}`, requestParameters: { 'overwrite:path': '/v2/items/${request.path.id}' } },
        'GET /fail': {
          url: `${backendUrl}/fail`,
          responseParameters: { '500': { 'overwrite:statuscode': '503', 'append:header.x-error-id': '$response.body.id', 'remove:header.x-backend-error': "''", 'overwrite:header.x-request': '$context.requestId' } },
        },
        'GET /staged': { url: 'http://127.0.0.1:${stageVariables.backendPort}/from-stage-variable' },
        'GET /redirect': { url: `${backendUrl}/redirect` },
        'GET /reset': { url: `${backendUrl}/reset` },
        'GET /lambda/{id}': {
          handler: 'api.echo',
          requestParameters: { 'overwrite:header.x-mapped': '${request.path.id}!', 'remove:header.x-drop': "''", 'append:querystring.added': 'yes' },
          responseParameters: { '201': { 'overwrite:statuscode': '202', 'overwrite:header.x-fn': 'mapped' } },
        },
      },
    },
  });
  gw = await startCli(['--no-watch'], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  await new Promise((resolve) => backend?.close(resolve));
  project?.cleanup();
});

const headerOf = (rawHeaders: string[], name: string) => rawHeaders.flatMap((n, i) => (i % 2 === 0 && n.toLowerCase() === name ? [rawHeaders[i + 1]] : []));

describe('§6.2 request parameter mapping, as the backend received it', () => {
  it('headers appended, overwritten and removed; query overwritten and appended; values from the path, query, body, context and stage variables', async () => {
    const res = await http(`${gw.url}/users/42?role=guest&keep=1`, {
      method: 'POST',
      headers: { 'x-tenant': 'client', 'x-secret': 's3cret', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(res.status).toBe(200);
    const seen = res.json() as { url: string; rawHeaders: string[] };
    expect(headerOf(seen.rawHeaders, 'x-tenant')).toEqual(['client', 'acme']);
    expect(headerOf(seen.rawHeaders, 'x-user')).toEqual(['42-guest']);
    expect(headerOf(seen.rawHeaders, 'x-secret')).toEqual([]);
    expect(headerOf(seen.rawHeaders, 'x-body-name')).toEqual(['Ada']);
    // Appends apply before overwrites (docs/differences.md), so the overwritten role comes last.
    expect(seen.url).toBe('/v1/users/42?keep=1&from=POST%20%2Fusers%2F%7Bid%7D&role=admin');
  });

  it('overwrite:path replaces the whole backend path', async () => {
    const res = await http(`${gw.url}/moved/7?x=1`);
    expect(res.json().url).toBe('/v2/items/7?x=1');
  });

  it('stage variables in the integration URL', async () => {
    const res = await http(`${gw.url}/staged`);
    expect(res.status).toBe(200);
    expect(res.json().url).toBe('/from-stage-variable');
  });

  it('a Lambda route gets the mapped headers and query in its event', async () => {
    const res = await http(`${gw.url}/lambda/9`, { headers: { 'x-drop': 'gone', 'x-keep': 'kept' } });
    const event = res.json();
    expect(event.headers['x-mapped']).toBe('9!');
    expect(event.headers['x-keep']).toBe('kept');
    expect(event.headers).not.toHaveProperty('x-drop');
    expect(event.rawQueryString).toBe('added=yes');
    expect(event.queryStringParameters).toEqual({ added: 'yes' });
  });
});

describe('§6.3 response parameter mapping, per backend status', () => {
  it('maps status and headers of the matching status; values from the response body and context', async () => {
    const res = await http(`${gw.url}/fail`);
    expect(res.status).toBe(503);
    expect(res.headers['x-error-id']).toBe('e-7');
    expect(res.headers['x-backend-error']).toBeUndefined();
    expect(res.headers['x-request']).toBe(res.headers['apigw-requestid']);
    expect(res.text).toBe('{"id":"e-7"}');
  });

  it('applies to Lambda routes: only the status it is keyed by', async () => {
    const mapped = await http(`${gw.url}/lambda/1?status=201`);
    expect(mapped.status).toBe(202);
    expect(mapped.headers['x-fn']).toBe('mapped');
    const untouched = await http(`${gw.url}/lambda/1?status=200`);
    expect(untouched.status).toBe(200);
    expect(untouched.headers['x-fn']).toBe('f');
  });
});

describe('§6.1 the HTTP proxy passes the backend\'s answer through', () => {
  it('a redirect is not followed, and both Set-Cookie lines arrive', async () => {
    const res = await http(`${gw.url}/redirect`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/landed');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/']);
  });

  it('a backend that resets the connection is 500, and the log says why', async () => {
    const res = await http(`${gw.url}/reset`);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    await gw.waitForOutput(/GET \/reset → GET \/reset · 500 · [\d.]+ ms · backend http:\/\/127\.0\.0\.1:\d+\/reset failed: /);
  });
});
