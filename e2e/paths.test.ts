import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsoleLogger, createGateway, startGateway, type Gateway, type RunningGateway } from 'localgw';
import { rawRequest } from './helpers/raw-http.js';
import { tempProject } from './helpers/project.js';
import { ECHO_HANDLER } from './fixtures/handlers.js';

// §1.4, the live capture of July 2026: how API Gateway reads an encoded path, end to end, over
// a socket (the bytes as sent) and through createGateway().fetch().

let backend: Server;
let gw: RunningGateway;
let gateway: Gateway;
const lines: string[] = [];
const project = tempProject({ 'handlers/echo.mjs': ECHO_HANDLER });

beforeAll(async () => {
  // The HTTP proxy backend answers with the target it was sent.
  backend = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url })));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const config = {
    routes: {
      'ANY /capture/{value}': 'handlers/echo.handler',
      'GET /v1/{value}': { handler: 'handlers/echo.handler', payloadFormatVersion: '1.0' as const },
      $default: { url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/base` },
    },
  };
  const logger = createConsoleLogger({ colors: false, write: (line) => lines.push(line), writeError: (line) => lines.push(line) });
  gw = await startGateway({ config, cwd: project.dir, port: 0, logger });
  gateway = await createGateway({ config, cwd: project.dir });
});
afterAll(async () => {
  await gw?.close();
  await gateway?.close();
  await new Promise((resolve) => backend?.close(resolve));
  project.cleanup();
});

/** The same request over a socket and through fetch(): status, body and apigw-requestid of each. */
async function both(target: string) {
  const overSocket = await rawRequest(gw.url, `GET ${target} HTTP/1.1\r\nHost: api.example.test`);
  const viaFetch = await gateway.fetch(new Request(`http://api.example.test${target}`));
  const fetched = { status: viaFetch.status, text: await viaFetch.text(), id: viaFetch.headers.get('apigw-requestid') };
  return [
    { status: overSocket.status, text: overSocket.text, id: overSocket.header('apigw-requestid') },
    fetched,
  ];
}

describe('§1.4 rules (a)–(d): rawPath, requestContext.http.path and pathParameters (2.0)', () => {
  it.each([
    ['(a) %252F decodes twice to /', '/capture/slash%252Fvalue', '/capture/slash/value', 'slash/value', ''],
    ['(a) %253F decodes twice to ?', '/capture/question%253Fvalue', '/capture/question?value', 'question?value', ''],
    ['(a) %2525 decodes twice to %', '/capture/percent%2525value', '/capture/percent%value', 'percent%value', ''],
    ['(b) a ? from the first decoding ends the path', '/capture/question%3Fvalue?x=1&y=2', '/capture/question', 'question', 'x=1&y=2'],
    ['(d) %20 decodes once', '/capture/space%20value', '/capture/space value', 'space value', ''],
    ['(d) %23 decodes once', '/capture/hash%23value', '/capture/hash#value', 'hash#value', ''],
    ['(d) %2F decodes once', '/capture/slash%2Fvalue', '/capture/slash/value', 'slash/value', ''],
    ['(d) UTF-8 decodes once', '/capture/caf%C3%A9', '/capture/café', 'café', ''],
  ])('%s: %s', async (_rule, target, rawPath, value, rawQueryString) => {
    for (const answer of await both(target)) {
      expect(answer.status, answer.text).toBe(200);
      const { event } = JSON.parse(answer.text);
      expect(event.rawPath).toBe(rawPath);
      expect(event.requestContext.http.path).toBe(rawPath);
      expect(event.pathParameters).toEqual({ value });
      expect(event.rawQueryString).toBe(rawQueryString);
    }
  });

  it.each([
    ['(c) a path not valid percent-encoding once decoded', '/capture/percent%25done', 'once decoded'],
    ['(c) an invalid escape as sent', '/capture/%ZZ', 'not valid percent-encoding'],
    ['(c) a lone % as sent', '/capture/100%', 'not valid percent-encoding'],
  ])('%s is 400 before any integration runs, with apigw-requestid and a log line', async (_rule, target, note) => {
    for (const answer of await both(target)) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ message: 'Bad Request' });
      expect(answer.id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    }
    await expect.poll(() => lines.join('\n')).toMatch(new RegExp(`GET ${target.replace(/[%?]/g, '\\$&')} → \\(no route\\) · 400 · .*${note}`));
  });
});

describe('§4.3 payload 1.0 under the same rules', () => {
  it('path stays encoded but ends where the path ends; requestContext.path and pathParameters are decoded twice', async () => {
    for (const answer of await both('/v1/a%2520b%3Fc?q=1')) {
      expect(answer.status, answer.text).toBe(200);
      const { event } = JSON.parse(answer.text);
      expect(event.path).toBe('/v1/a%2520b');
      expect(event.requestContext.path).toBe('/v1/a b');
      expect(event.pathParameters).toEqual({ value: 'a b' });
      expect(event.queryStringParameters).toEqual({ q: '1' });
    }
  });
});

describe('§6.1 the HTTP proxy target under the same rules', () => {
  it.each([
    ['/files/a%2520b/c%252Fd', '/base/files/a%20b/c%2Fd'],
    ['/files/question%3Fvalue?x=1', '/base/files/question?x=1'],
    ['/files/x/%252E%252E/%252e%252e/%252E%252E/secret', '/base/secret'],
  ])('$default sends %s as %s', async (target, sent) => {
    for (const answer of await both(target)) {
      expect(answer.status, answer.text).toBe(200);
      expect(JSON.parse(answer.text).url).toBe(sent);
    }
  });

  it('an invalid path never reaches the backend', async () => {
    for (const answer of await both('/files/percent%25done')) expect(answer.status).toBe(400);
  });
});
