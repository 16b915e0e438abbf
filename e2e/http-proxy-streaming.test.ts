import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startCli, type RunningCli } from './helpers/cli.js';
import { agent, http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// aws-behavior.md §6.1 and §0.1 (issue 14): the HTTP proxy streams a backend body of declared
// length to the client as it arrives, at the client's pace, within API Gateway's 10 MB payload
// quota; past it the answer is a 500 that reads nothing (the RSS of the real `localgw start`
// process is read from /proc to show it).

const MB = 1024 * 1024;
let backend: Server;
let gw: RunningCli;
let project: ReturnType<typeof tempProject>;
const backendWrote = new Map<string, number>();
let release: () => void = () => {};
const released = new Promise<void>((resolve) => (release = resolve));
let uploadArrived: () => void = () => {};
const uploadHalfway = new Promise<void>((resolve) => (uploadArrived = resolve));

beforeAll(async () => {
  backend = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/upload') {
      let got = 0;
      req.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got >= MB / 2) uploadArrived();
      });
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got, length: req.headers['content-length'] ?? null })));
      return;
    }
    const size = Number(url.searchParams.get('bytes'));
    const stallAfter = url.pathname === '/gated' ? 2 * MB : Number(url.searchParams.get('stallAfter') ?? Infinity);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    const chunk = Buffer.alloc(64 * 1024, 0x62);
    let sent = 0;
    const pump = () => {
      while (sent < size && sent < stallAfter) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        backendWrote.set(url.pathname + url.search, sent);
        if (!res.write(part)) return void res.once('drain', pump);
      }
      if (sent >= size) res.end();
      else if (url.pathname === '/gated' && sent === stallAfter) void released.then(() => finish());
    };
    // After the gate: the rest, without the stall.
    const finish = () => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!res.write(part)) return void res.once('drain', finish);
      }
      res.end();
    };
    res.on('close', () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  project = tempProject({
    'localgw.config.json': {
      routes: {
        'GET /download': { url: `${backendUrl}/file` },
        'GET /stalls': { url: `${backendUrl}/stalls`, timeout: 1 },
        'GET /gated': { url: `${backendUrl}/gated`, timeout: 10 },
        'POST /upload': { url: `${backendUrl}/upload`, timeout: 10 },
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

/** Resident memory of the gateway process, in bytes. */
function rss(): number {
  const status = readFileSync(`/proc/${gw.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe('§6.1 streamed backend bodies', () => {
  it('a body is streamed: the client has its first megabytes while the backend still holds the rest back', async () => {
    // The backend sends 2 MB, then waits until the client has 1 MB of it. A proxy that read the
    // body whole before answering would leave both waiting until the route timeout (503).
    const res = await request(`${gw.url}/gated?bytes=${4 * MB}`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(4 * MB));
    let received = 0;
    let receivedBeforeRelease = 0;
    for await (const chunk of res.body) {
      received += (chunk as Buffer).length;
      if (receivedBeforeRelease === 0 && received >= MB) {
        receivedBeforeRelease = received;
        release();
      }
    }
    expect(receivedBeforeRelease).toBeGreaterThanOrEqual(MB);
    expect(receivedBeforeRelease).toBeLessThanOrEqual(2 * MB);
    expect(received).toBe(4 * MB);
  });

  it('an upload is streamed to the backend: it has the first half while the client still holds the rest', async () => {
    // The client sends 1 MB, then the rest only once the backend has half a megabyte: a gateway
    // that read the upload whole before forwarding it would leave both waiting (503).
    async function* upload() {
      yield Buffer.alloc(MB, 0x63);
      await uploadHalfway;
      yield Buffer.alloc(MB, 0x63);
    }
    const res = await request(`${gw.url}/upload`, { method: 'POST', body: Readable.from(upload()), dispatcher: agent });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ got: 2 * MB, length: null });
    // With a declared length, the backend gets it.
    const sized = await http(`${gw.url}/upload`, { method: 'POST', body: new Uint8Array(3 * MB) });
    expect(sized.json()).toEqual({ got: 3 * MB, length: String(3 * MB) });
  });

  it('§0.1 a streamed upload past the 10 MB quota is 413 {"message":"Request Entity Too Large"}', async () => {
    async function* tooMuch() {
      for (let i = 0; i < 11; i++) yield Buffer.alloc(MB, 0x64);
    }
    const res = await request(`${gw.url}/upload`, { method: 'POST', body: Readable.from(tooMuch()), dispatcher: agent });
    expect(res.statusCode).toBe(413);
    expect(await res.body.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('a 10 MB body (the quota) arrives whole and intact', async () => {
    const body = Buffer.from(await (await request(`${gw.url}/download?bytes=${10 * MB}`, { dispatcher: agent })).body.arrayBuffer());
    expect(body.length).toBe(10 * MB);
    expect(body.every((byte) => byte === 0x62)).toBe(true);
  });

  it('a 50 MB download is over the 10 MB quota: 500 at once, nothing read, no memory spent', async () => {
    const before = rss();
    const res = await http(`${gw.url}/download?bytes=${50 * MB}`);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    expect(rss() - before).toBeLessThan(5 * MB);
    expect(backendWrote.get(`/file?bytes=${50 * MB}`) ?? 0).toBeLessThan(20 * MB);
    await gw.waitForOutput(/declared a 52428800-byte response, over the 10 MB payload quota/);
  });

  it('a backend that stalls midway past the route timeout: the response is cut, and the log says why', async () => {
    const res = await request(`${gw.url}/stalls?bytes=${4 * MB}&stallAfter=${2 * MB}`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    await expect(res.body.arrayBuffer()).rejects.toThrow();
    await gw.waitForOutput(/GET \/stalls: backend .* did not finish its response within the route timeout; the response was cut/);
    // And the gateway goes on serving.
    expect((await http(`${gw.url}/download?bytes=100`)).status).toBe(200);
  });
});
