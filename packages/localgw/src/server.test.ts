import type { GatewayResponse } from '@localgw/core';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeResponse } from './server.js';

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

describe('writeResponse: the response on the wire, as the Hono adapter wrote it', () => {
  it('lower-cases and sorts names, joins repeats where first seen, trims values, keeps set-cookie lines last', async () => {
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
      'x-alpha: one, two',
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
    ['GET', 204],
    ['GET', 304],
  ])('%s with %i: no body, no Content-Type or Content-Length added', async (method, statusCode) => {
    const raw = await wireBytes({ statusCode, headers: [['x-a', '1']], body: 'dropped' }, method);
    expect(headerLines(raw)).toEqual(['x-a: 1']);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
  });

  it('ends the connection once the server is closing', async () => {
    expect(await wireBytes({ statusCode: 200, headers: [], body: 'x' }, 'GET', false)).toMatch(/\r\nconnection: keep-alive\r\n/i);
    expect(await wireBytes({ statusCode: 200, headers: [], body: 'x' }, 'GET', true)).toMatch(/\r\nconnection: close\r\n/i);
  });
});
