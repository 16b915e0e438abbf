import type { GatewayResponse } from '@localgw/core';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createGateway } from './create-gateway.js';
import { createConsoleLogger, silentLogger } from './log.js';
import { listen, writeResponse } from './server.js';

/** The raw bytes node:http sends for `response`, read off a loopback socket. */
async function wireBytes(response: GatewayResponse, method = 'GET', closing = false): Promise<string> {
  const server = createServer((_incoming, outgoing) => writeResponse(outgoing, response, method, closing));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    // A keep-alive request: whether the connection ends is the response's say.
    const socket = connect(port, '127.0.0.1', () => socket.write(`${method} / HTTP/1.1\r\nHost: x\r\n\r\n`));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(text)?.[1];
      if (end >= 0 && text.length >= end + 4 + Number(length ?? 0)) {
        resolve(text);
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

/** The header lines, without the ones node:http adds itself. */
function headerLines(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return head
    .split('\r\n')
    .slice(1)
    .filter((line) => !/^(date|connection|keep-alive): /i.test(line));
}

describe('writeResponse: the response on the wire', () => {
  it('lower-cases and sorts names, keeps repeats as repeated lines in order, trims values, keeps set-cookie lines last', async () => {
    const raw = await wireBytes({
      statusCode: 201,
      headers: [
        ['X-Zeta', ' z '],
        ['Set-Cookie', 'a=1'],
        ['content-type', 'application/json'],
        ['x-alpha', 'one'],
        ['X-ALPHA', 'two'],
        ['set-cookie', 'b=2'],
        ['apigw-requestid', 'id1'],
      ],
      body: '{"ok":true}',
    });
    expect(raw.startsWith('HTTP/1.1 201 Created\r\n')).toBe(true);
    expect(headerLines(raw)).toEqual([
      'apigw-requestid: id1',
      'content-type: application/json',
      'x-alpha: one',
      'x-alpha: two',
      'x-zeta: z',
      'set-cookie: a=1',
      'set-cookie: b=2',
      'Content-Length: 11',
    ]);
    expect(raw.endsWith('\r\n\r\n{"ok":true}')).toBe(true);
  });

  it('gives a body without a Content-Type text/plain, and counts its length in bytes', async () => {
    const raw = await wireBytes({ statusCode: 200, headers: [['x-b', '1']], body: 'héllo' });
    expect(headerLines(raw)).toEqual(['content-type: text/plain; charset=UTF-8', 'x-b: 1', 'Content-Length: 6']);
  });

  it("keeps the handler's own Content-Length", async () => {
    const raw = await wireBytes({ statusCode: 200, headers: [['content-length', '2'], ['content-type', 'text/plain']], body: 'ok' });
    expect(headerLines(raw)).toEqual(['content-length: 2', 'content-type: text/plain']);
  });

  it.each([
    ['HEAD', 200],
    ['HEAD', 205],
    ['GET', 204],
    ['GET', 304],
  ])('%s with %i: no body, no Content-Type or Content-Length added', async (method, statusCode) => {
    const raw = await wireBytes({ statusCode, headers: [['x-a', '1']], body: 'dropped' }, method);
    expect(headerLines(raw)).toEqual(['x-a: 1']);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
  });

  it('205 Reset Content: no body, framed by Content-Length: 0 (RFC 9110 §15.3.6)', async () => {
    const raw = await wireBytes({ statusCode: 205, headers: [['x-a', '1']], body: 'dropped' });
    expect(raw.startsWith('HTTP/1.1 205 Reset Content\r\n')).toBe(true);
    expect(headerLines(raw)).toEqual(['x-a: 1', 'Content-Length: 0']);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
  });

  it('ends the connection once the server is closing', async () => {
    expect(await wireBytes({ statusCode: 200, headers: [], body: 'x' }, 'GET', false)).toMatch(/\r\nconnection: keep-alive\r\n/i);
    expect(await wireBytes({ statusCode: 200, headers: [], body: 'x' }, 'GET', true)).toMatch(/\r\nconnection: close\r\n/i);
  });
});

/** A gateway serving `ANY /{proxy+}` with an inline handler that answers its event, on a free port. */
async function echoServer() {
  const lines: string[] = [];
  const logger = createConsoleLogger({ colors: false, write: (line) => lines.push(line), writeError: (line) => lines.push(line) });
  const gateway = await createGateway({
    config: { routes: { 'ANY /{proxy+}': { handler: async (event: unknown) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }) } } },
    logger,
  });
  const listening = await listen(gateway, { port: 0 });
  onTestFinished(async () => {
    await listening.close();
    await gateway.close();
  });
  return { gateway, lines, port: listening.port };
}

/** Sends `head` (request line and headers) as written, with Connection: close, and reads the whole answer. */
function exchange(port: number, head: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\nConnection: close\r\n\r\n`, 'latin1'));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      const end = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(9, 12)), head: text.slice(0, end), body: text.slice(end + 4) });
    });
    socket.on('error', reject);
  });
}

const requestIdOf = (head: string) => /\r\napigw-requestid: ([A-Za-z0-9_-]{15}=)\r\n/.exec(head)?.[1];

describe('one request path: every answer carries {"message"}, apigw-requestid and a log line', () => {
  it.each([
    ['a backslash in the path', 'GET /a\\b HTTP/1.1\r\nHost: localhost', 'a backslash in the path'],
    ['a Host with a space', 'GET /a HTTP/1.1\r\nHost: a b', 'the Host header is not host[:port]'],
    ['two Host lines', 'GET /a HTTP/1.1\r\nHost: a.test\r\nHost: b.test', 'the Host header is not host[:port]'],
    ['no Host at all', 'GET /a HTTP/1.1', 'no Host header'],
    ['a target that is not a path', 'OPTIONS * HTTP/1.1\r\nHost: localhost', 'the request target is not a path'],
  ])('%s: 400 {"message":"Bad Request"}', async (_name, head, note) => {
    const { lines, port } = await echoServer();
    const res = await exchange(port, head);
    expect(res.status).toBe(400);
    expect(res.body).toBe('{"message":"Bad Request"}');
    expect(res.head).toMatch(/\r\ncontent-type: application\/json\r\n/);
    const id = requestIdOf(res.head);
    expect(id).toBeDefined();
    await expect.poll(() => lines.join('\n')).toContain('400');
    expect(lines.join('\n')).toContain(note);
  });

  it('unusual but valid Hosts and targets are served on the same path (upper case, dot segments, absolute form)', async () => {
    const { port } = await echoServer();
    for (const [head, rawPath, domainName] of [
      ['GET /a/../b HTTP/1.1\r\nHost: API.Example.test:8080', '/a/../b', 'API.Example.test:8080'],
      ['GET /x%20y HTTP/1.1\r\nHost: [::1]:3000', '/x y', '[::1]:3000'],
      ['GET http://other.test/abs?q=1 HTTP/1.1\r\nHost: localhost', '/abs', 'localhost'],
    ] as const) {
      const res = await exchange(port, head);
      expect(res.status, res.body).toBe(200);
      const event = JSON.parse(res.body);
      expect([event.rawPath, event.requestContext.domainName]).toEqual([rawPath, domainName]);
    }
  });

  it('an exception in the pipeline is a 500 with apigw-requestid and a log line, and the server keeps serving', async () => {
    const { gateway, lines, port } = await echoServer();
    // A request the pipeline cannot read (no header list) stands for any bug in a pipeline step.
    const broken = { method: 'GET', rawPath: '/x', rawQueryString: '', rawHeaders: null as unknown as string[], body: undefined, sourceIp: '127.0.0.1', requestId: 'JCJp2jd_vHcEPSQ=', timeEpoch: Date.now() };
    const response = await gateway.handle(broken);
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('{"message":"Internal Server Error"}');
    expect(response.headers).toContainEqual(['apigw-requestid', 'JCJp2jd_vHcEPSQ=']);
    expect(lines.some((line) => line.startsWith('GET /x → (no route) · 500') && line.includes('localgw internal error'))).toBe(true);
    expect(lines.some((line) => line.includes('TypeError'))).toBe(true);
    expect((await exchange(port, 'GET /still HTTP/1.1\r\nHost: localhost')).status).toBe(200);
  });

  it('a logger that throws costs the log line, never the answer', async () => {
    const gateway = await createGateway({
      config: { routes: { 'GET /x': { handler: async () => 'ok' } } },
      logger: { ...silentLogger, request: () => { throw new Error('disk full'); } },
    });
    onTestFinished(() => gateway.close());
    const res = await gateway.fetch(new Request('http://localhost/x'));
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
  });
});

describe('§7.2 the gateway owns apigw-requestid', () => {
  it("a handler's own apigw-requestid is dropped, not joined into the gateway's (2.0 and 1.0)", async () => {
    const gateway = await createGateway({
      config: {
        routes: {
          'GET /v2': { handler: async (event: { requestContext: { requestId: string } }) => ({ statusCode: 200, headers: { 'apigw-requestid': 'FAKE' }, body: event.requestContext.requestId }) },
          'GET /v1': {
            payloadFormatVersion: '1.0',
            handler: async (event: { requestContext: { requestId: string } }) => ({ statusCode: 200, headers: { 'Apigw-Requestid': 'FAKE' }, multiValueHeaders: { 'apigw-requestid': ['FAKE2', 'FAKE3'] }, body: event.requestContext.requestId }),
          },
        },
      },
    });
    const listening = await listen(gateway, { port: 0 });
    onTestFinished(async () => {
      await listening.close();
      await gateway.close();
    });
    for (const path of ['/v2', '/v1']) {
      const res = await exchange(listening.port, `GET ${path} HTTP/1.1\r\nHost: localhost`);
      const lines = res.head.split('\r\n').filter((line) => /^apigw-requestid:/i.test(line));
      expect(lines).toEqual([`apigw-requestid: ${res.body}`]);
      const viaFetch = await gateway.fetch(new Request(`http://localhost${path}`));
      expect(viaFetch.headers.get('apigw-requestid')).toBe(await viaFetch.text());
    }
  });
});

describe('§4.5 / §10 repeated response headers go out as repeated header lines', () => {
  it('1.0 headers + multiValueHeaders: three Combined-Header lines, the headers value first; a 2.0 value with a comma stays one line', async () => {
    const gateway = await createGateway({
      config: {
        routes: {
          'GET /v1': {
            payloadFormatVersion: '1.0',
            handler: async () => ({ statusCode: 200, headers: { 'Combined-Header': 'single-value' }, multiValueHeaders: { 'Combined-Header': ['multi-value1', 'multi-value2'] }, body: 'ok' }),
          },
          'GET /v2': { handler: async () => ({ statusCode: 200, headers: { myheader: 'test,shouldhavesecondvalue' }, body: 'ok' }) },
        },
      },
    });
    const listening = await listen(gateway, { port: 0 });
    onTestFinished(async () => {
      await listening.close();
      await gateway.close();
    });
    const v1 = await exchange(listening.port, 'GET /v1 HTTP/1.1\r\nHost: localhost');
    expect(v1.head.split('\r\n').filter((line) => /^combined-header:/i.test(line))).toEqual(['combined-header: single-value', 'combined-header: multi-value1', 'combined-header: multi-value2']);
    const v2 = await exchange(listening.port, 'GET /v2 HTTP/1.1\r\nHost: localhost');
    expect(v2.head.split('\r\n').filter((line) => /^myheader:/i.test(line))).toEqual(['myheader: test,shouldhavesecondvalue']);
  });
});

describe('205 is a no-body status', () => {
  it('a handler answering 205 with a body: the server sends none, and fetch() resolves', async () => {
    const gateway = await createGateway({ config: { routes: { 'POST /form': { handler: async () => ({ statusCode: 205, body: 'reset the form' }) } } } });
    const listening = await listen(gateway, { port: 0 });
    onTestFinished(async () => {
      await listening.close();
      await gateway.close();
    });
    const res = await exchange(listening.port, 'POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0');
    expect([res.status, res.body]).toEqual([205, '']);
    expect(res.head).toMatch(/\r\nContent-Length: 0\r\n/);
    const viaFetch = await gateway.fetch(new Request('http://localhost/form', { method: 'POST' }));
    expect([viaFetch.status, await viaFetch.text()]).toEqual([205, '']);
    expect(viaFetch.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9_-]{15}=$/);
  });
});
