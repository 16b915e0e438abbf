import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request as httpRequest, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { agent } from './helpers/http.js';
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
      if (req.url?.startsWith('/raw/')) {
        // What arrived, exactly: every header line in order, and the target.
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, rawHeaders: req.rawHeaders }));
        return;
      }
      if (req.url?.startsWith('/trickle')) {
        // Headers at once, then a byte every 100 ms for 3 s: never idle long, never done in time.
        res.writeHead(200, { 'content-type': 'text/plain' });
        let sent = 0;
        const timer = setInterval(() => (++sent === 30 ? (clearInterval(timer), res.end('.')) : res.write('.')), 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url?.startsWith('/hop')) {
        res.writeHead(200, { connection: 'x-internal, keep-alive', 'x-internal': 'secret', 'x-public': 'yes' }).end('ok');
        return;
      }
      if (req.url?.startsWith('/big')) {
        const size = Number(new URL(req.url, 'http://x').searchParams.get('bytes'));
        const chunked = req.url.includes('chunked');
        res.writeHead(200, chunked ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/octet-stream', 'content-length': size });
        const chunk = Buffer.alloc(1024 * 1024, 0x61);
        for (let left = size; left > 0; left -= chunk.length) res.write(left >= chunk.length ? chunk : chunk.subarray(0, left));
        res.end();
        return;
      }
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
        'GET /trickle': { url: `${backendUrl}/trickle`, timeout: 1 },
        'GET /hop': { url: `${backendUrl}/hop` },
        'GET /big': { url: `${backendUrl}/big` },
        'ANY /raw/{id}/{proxy+}': { url: `${backendUrl}/raw/{id}/{proxy}` },
        // Variables named like Object's own properties; {toString} is not one of the route's.
        'GET /named/{constructor}/{__proto__}': { url: `${backendUrl}/raw/{constructor}/{__proto__}/{toString}` },
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

/** A request through node:http, which (unlike undici) sends any Connection header it is given. */
function nodeGet(path: string, headers: OutgoingHttpHeaders): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(gw.url + path, { headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('issue 13 item 16: the route timeout, Connection-named headers and the 10 MB quota', () => {
  it('the timeout is one deadline for the whole exchange: a backend that trickles its body past it gets 503', async () => {
    const started = performance.now();
    const res = await http(`${gw.url}/trickle`);
    expect(res.status, res.text).toBe(503);
    expect(res.json()).toEqual({ message: 'Service Unavailable' });
    // 1 s timeout; the backend would take 3 s. Generous for a loaded machine.
    expect(performance.now() - started).toBeLessThan(2_800);
    await gw.waitForOutput(/GET \/trickle → GET \/trickle · 503 · [\d.]+ ms · backend .*\/trickle timed out after 1000 ms/);
  });

  it('RFC 9110 §7.6.1: headers the request\'s Connection header names are not forwarded', async () => {
    const res = await nodeGet('/raw/1/conn', { connection: 'X-Secret, keep-alive', 'x-secret': 'hop', 'x-kept': 'end-to-end', 'keep-alive': 'timeout=5' });
    expect(res.status, res.text).toBe(200);
    const names = (JSON.parse(res.text) as { rawHeaders: string[] }).rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    expect(names).toContain('x-kept');
    expect(names).not.toContain('x-secret');
    expect(names).not.toContain('keep-alive');
  });

  it('RFC 9110 §7.6.1: headers the backend\'s Connection header names are not passed back', async () => {
    const res = await http(`${gw.url}/hop`);
    expect(res.status).toBe(200);
    expect(res.headers['x-public']).toBe('yes');
    expect(res.headers['x-internal']).toBeUndefined();
  });

  it.each([
    ['declared in content-length', ''],
    ['sent chunked, without a length', '&chunked'],
  ])('a backend response over the 10 MB payload quota is a clean 500 (%s), and the gateway keeps serving', async (_, mode) => {
    const res = await http(`${gw.url}/big?bytes=${10 * 1024 * 1024 + 1}${mode}`);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    await gw.waitForOutput(new RegExp(`GET /big\\?bytes=10485761${mode} → GET /big · 500 .*over the 10 MB payload quota`));
    const fits = await http(`${gw.url}/big?bytes=${10 * 1024 * 1024}${mode}`);
    expect(fits.status).toBe(200);
    expect(fits.text.length).toBe(10 * 1024 * 1024);
  });
});

describe('issue 13 item 8: request-controlled names never become keys of an ordinary object', () => {
  // Names an object already has (its prototype's), plus ordinary ones, in any case.
  const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
  const name = fc.oneof(fc.constantFrom(...INHERITED, 'x-custom', 'accept'), fc.constantFrom(...INHERITED).map((n) => n.toUpperCase()));
  const value = fc.stringMatching(/^[\w.=-]{0,12}$/);

  it('headers, cookies, query and path parameters named __proto__, constructor… reach the backend exactly as sent (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(name, value), { maxLength: 8 }),
        fc.array(fc.tuple(name, value), { maxLength: 3 }),
        fc.array(fc.tuple(name, value), { maxLength: 3 }),
        fc.constantFrom(...INHERITED),
        fc.constantFrom(...INHERITED),
        async (headers, cookies, query, id, rest) => {
          const sent = headers.flat();
          if (cookies.length) sent.push('cookie', cookies.map(([k, v]) => `${k}=${v}`).join('; '));
          const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
          const res = await request(`${gw.url}/raw/${id}/${rest}/x${qs ? `?${qs}` : ''}`, { headers: sent, dispatcher: agent });
          const text = await res.body.text();
          expect(res.statusCode, text).toBe(200);
          const seen = JSON.parse(text) as { url: string; rawHeaders: string[] };
          expect(seen.url).toBe(`/raw/${id}/${rest}/x${qs ? `?${qs}` : ''}`);
          // Every header sent arrives once, in order, value intact; the backend's own extras aside.
          const arrived: string[] = [];
          for (let i = 0; i < seen.rawHeaders.length; i += 2) {
            if (!['host', 'connection', 'content-length'].includes(seen.rawHeaders[i]!.toLowerCase())) arrived.push(seen.rawHeaders[i]!.toLowerCase(), seen.rawHeaders[i + 1]!);
          }
          expect(arrived).toEqual(sent.map((part, i) => (i % 2 === 0 ? part.toLowerCase() : part)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('path variables named constructor and __proto__ are substituted; {toString}, not a variable of the route, stays as written', async () => {
    const res = await http(`${gw.url}/named/a/b`);
    expect(res.status, res.text).toBe(200);
    expect(res.json().url).toBe('/raw/a/b/%7BtoString%7D');
  });

  it('a __proto__ header no longer drops the others, and constructor is not "function Object()"', async () => {
    const res = await request(`${gw.url}/raw/1/x`, { headers: ['__proto__', 'a', 'x-after', 'b', 'constructor', 'c', '__proto__', 'd'], dispatcher: agent });
    expect(res.statusCode).toBe(200);
    const { rawHeaders } = (await res.body.json()) as { rawHeaders: string[] };
    expect(rawHeaders).toEqual(expect.arrayContaining(['__proto__', 'a', 'x-after', 'b', 'constructor', 'c']));
    expect(rawHeaders.filter((_, i) => i % 2 === 1 && rawHeaders[i - 1] === '__proto__')).toEqual(['a', 'd']);
    expect(rawHeaders.join(' ')).not.toContain('function Object');
  });
});
