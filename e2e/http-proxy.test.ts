import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// §6.1 HTTP proxy integrations, against a real backend on loopback.

let backend: Server;
let backendUrl: string;
let gw: RunningCli;
let project: ReturnType<typeof tempProject>;

beforeAll(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/slow')) {
        setTimeout(() => res.end('late'), 2_000);
        return;
      }
      const body = Buffer.concat(chunks);
      res.writeHead(req.url?.startsWith('/teapot') ? 418 : 200, { 'content-type': 'application/json', 'x-backend': 'yes', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, custom: req.headers['x-custom'] ?? null, bodyLength: body.length }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  project = tempProject({
    'localgw.config.json': {
      routes: {
        'ANY /api/{proxy+}': { url: `${backendUrl}/v1/api/{proxy}` },
        'GET /items/{id}': { url: `${backendUrl}/v1/items/{id}` },
        'POST /as-put': { url: `${backendUrl}/put-here`, method: 'PUT' },
        'GET /slow': { url: `${backendUrl}/slow`, timeout: 0.3 },
        'GET /down': { url: 'http://127.0.0.1:9/nothing' },
        $default: { url: backendUrl },
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

function rawGet(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(gw.url, { path }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('§6.1 forwarding', () => {
  it('substitutes a greedy variable (referenced without +) and forwards the query string', async () => {
    const res = await http(`${gw.url}/api/a/b%20c?x=1&y=2`, { headers: { 'x-custom': 'v' } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ method: 'GET', url: '/v1/api/a/b%20c?x=1&y=2', custom: 'v', host: backendUrl.slice(7) });
    expect(res.headers['x-backend']).toBe('yes');
    expect(res.headers['apigw-requestid']).toBeTruthy();
  });

  it('passes the client method and body through for ANY, and a fixed method when configured', async () => {
    expect((await http(`${gw.url}/api/x`, { method: 'DELETE' })).json().method).toBe('DELETE');
    const put = await http(`${gw.url}/as-put`, { method: 'POST', body: 'hello' });
    expect(put.json()).toMatchObject({ method: 'PUT', url: '/put-here', bodyLength: 5 });
  });

  it('$default sends the full request path to the integration', async () => {
    expect((await http(`${gw.url}/store/checkout?cart=1`)).json().url).toBe('/store/checkout?cart=1');
  });

  it('backend 4xx/5xx reach the client as they are; without CORS config backend CORS headers pass through', async () => {
    const res = await http(`${gw.url}/teapot`);
    expect(res.status).toBe(418);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('a variable value cannot climb out of the integration path (encoded / and dot segments)', async () => {
    expect((await http(`${gw.url}/items/a%2Fb`)).json().url).toBe('/v1/items/a%2Fb');
    expect((await http(`${gw.url}/api/a%2F..%2F..%2Fadmin`)).json().url).toBe('/v1/api/admin');
    // Sent as-is (curl --path-as-is); fetch clients would normalise these paths themselves.
    expect(JSON.parse(await rawGet('/api/x/../../secret')).url).toBe('/v1/api/secret');
    expect(JSON.parse(await rawGet('/../../etc/passwd')).url).toBe('/etc/passwd');
  });

  it('a large upload with Expect: 100-continue (what curl sends) is forwarded', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024);
    // undici refuses to send Expect, so this one goes through node:http like curl would.
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${gw.url}/api/upload`, { method: 'POST', headers: { expect: '100-continue', 'content-length': body.length } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('continue', () => req.end(body));
      req.on('error', reject);
    });
    expect(status).toBe(200);
    expect(JSON.parse(text).bodyLength).toBe(body.length);
  });

  it('a backend slower than the timeout is 503, an unreachable one 500', async () => {
    const slow = await http(`${gw.url}/slow`);
    expect(slow.status).toBe(503);
    expect(slow.json()).toEqual({ message: 'Service Unavailable' });
    const down = await http(`${gw.url}/down`);
    expect(down.status).toBe(500);
    expect(down.json()).toEqual({ message: 'Internal Server Error' });
  });
});
