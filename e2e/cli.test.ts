import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { runCli, runCliAsync, startCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
import { ECHO_HANDLER } from './fixtures/handlers.js';

// The CLI's flags and lifecycle, black-box: the built bin as a subprocess, real HTTP on loopback.

const project = tempProject({
  'handlers/echo.mjs': ECHO_HANDLER,
  'handlers/slow.mjs': `
export const slow = async () => { console.log('slow handler started'); await new Promise((r) => setTimeout(r, 5000)); return 'slow done'; };
export const hang = () => { console.log('hang handler started'); return new Promise(() => setInterval(() => {}, 1000)); };
`,
  'tables.env': 'TABLE=from-dotenv\n',
  'localgw.config.json': {
    authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['client-a'] } },
    routes: {
      'GET /items/{id}': 'handlers/echo.handler',
      'POST /upload': 'handlers/echo.handler',
      'GET /slow': { handler: 'handlers/slow.slow', timeout: 30 },
      'GET /hang': { handler: 'handlers/slow.hang', timeout: 30 },
    },
  },
});
afterAll(() => project.cleanup());

/** The claims of a JWT, unverified. */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.trim().split('.')[1]!, 'base64url').toString('utf8'));
}

describe('flag values stay as typed', () => {
  it('§1.2 --stage 2024 serves under /2024 (a numeric-looking stage is still a name)', async () => {
    const gw = await startCli(['--no-watch', '--stage', '2024'], { cwd: project.dir });
    try {
      const res = await http(`${gw.url}/2024/items/7`);
      expect(res.status).toBe(200);
      expect(res.json().event.requestContext.stage).toBe('2024');
      expect(res.json().event.rawPath).toBe('/2024/items/7');
    } finally {
      await gw.stop();
    }
  });

  it('token --sub 007 --scope 2024 mints the strings "007" and "2024"', async () => {
    const res = await runCliAsync(['token', '--sub', '007', '--scope', '2024'], { cwd: project.dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(claimsOf(res.stdout)).toMatchObject({ sub: '007', scope: '2024' });
    const inline = await runCliAsync(['token', '--sub=1e3', '--scope=0x10'], { cwd: project.dir });
    expect(claimsOf(inline.stdout)).toMatchObject({ sub: '1e3', scope: '0x10' });
  });
});

describe('token --expires-in', () => {
  it('accepts exactly what minting accepts, and its message names the flag, not an internal function', async () => {
    const accepted = { '90': 90, '1.5h': 5400, '2 days': 172_800 };
    const rejected = ['1w', '0', 'soon'];
    const runs = await Promise.all([...Object.keys(accepted), ...rejected].map((value) => runCliAsync(['token', '--expires-in', value], { cwd: project.dir })));
    Object.values(accepted).forEach((seconds, i) => {
      expect(runs[i]!.stderr).toBe('');
      const { iat, exp } = claimsOf(runs[i]!.stdout) as { iat: number; exp: number };
      expect(exp - iat).toBe(seconds);
    });
    for (const [i, value] of rejected.entries()) {
      const res = runs[Object.keys(accepted).length + i]!;
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`--expires-in takes seconds or a number with s, m, h or d (90, 15m, 1.5h, 7d); got "${value}"`);
      expect(res.stderr).not.toContain('mintToken');
      expect(res.stderr).not.toContain('    at ');
    }
  });
});

describe('--help', () => {
  it('prints no "(default: true)" beside --no-watch and --no-dev-tokens; real defaults stay', () => {
    const res = runCli(['start', '--help']);
    expect(res.code).toBe(0);
    const line = (flag: string) => res.stdout.split('\n').find((l) => l.trimStart().startsWith(flag)) ?? '';
    for (const flag of ['--no-watch', '--no-dev-tokens']) {
      expect(line(flag)).not.toBe('');
      expect(line(flag)).not.toContain('(default');
    }
    expect(line('--port')).toContain('(default: 3000)');
  });
});

describe('--dotenv (first called --env-file, a flag Node 20 reads itself)', () => {
  it('a missing file gets localgw\'s own message and exit code 1, not node\'s', async () => {
    const res = await runCliAsync(['start', '--port', '0', '--no-watch', '--dotenv', 'nope.env'], { cwd: project.dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`localgw: dotenv file nope.env: no such file (resolved to ${project.path('nope.env')})`);
    expect(res.stderr).not.toContain('node:');
  });

  it('feeds the handlers; the old name --env-file still works where Node lets it through (an existing file)', async () => {
    for (const flag of ['--dotenv', '--env-file']) {
      const gw = await startCli(['--no-watch', flag, 'tables.env'], { cwd: project.dir });
      try {
        expect((await http(`${gw.url}/items/1`)).json().env.TABLE, flag).toBe('from-dotenv');
      } finally {
        await gw.stop();
      }
    }
  });
});

describe('shutdown', () => {
  // Without a bound, a stalled upload held the process for Node's 300 s request timeout. The
  // bound is generous (the machine is shared); a clean stop takes about the slow handler's 5 s.
  const SHUTDOWN_BOUND_MS = 20_000;

  it('SIGTERM: the slow handler in flight gets its answer, a stalled upload is cut, exit 0 well within a bound', async () => {
    const gw = await startCli(['--no-watch'], { cwd: project.dir });
    const upload = await stalledUpload(gw.url);
    try {
      const slow = http(`${gw.url}/slow`);
      await gw.waitForOutput('slow handler started');
      const signalled = performance.now();
      const exited = exitOf(gw.child);
      gw.child.kill('SIGTERM');
      const res = await within(slow, SHUTDOWN_BOUND_MS, 'the slow handler\'s response');
      expect(res.status).toBe(200);
      expect(res.text).toBe('slow done');
      expect(res.headers.connection).toBe('close');
      await within(upload.closed, SHUTDOWN_BOUND_MS, 'the stalled upload\'s connection to close');
      expect(upload.received()).toBe('');
      expect(await within(exited, SHUTDOWN_BOUND_MS, 'localgw to exit')).toEqual({ code: 0, signal: null });
      expect(performance.now() - signalled).toBeLessThan(SHUTDOWN_BOUND_MS);
    } finally {
      upload.socket.destroy();
      gw.child.kill('SIGKILL');
    }
  });

  it('a second SIGINT stops at once, without waiting for the handler in flight (its timeout is 30 s)', async () => {
    const gw = await startCli(['--no-watch'], { cwd: project.dir });
    try {
      const hung = http(`${gw.url}/hang`).catch(() => undefined);
      await gw.waitForOutput('hang handler started');
      const exited = exitOf(gw.child);
      gw.child.kill('SIGINT');
      await gw.waitForOutput('Ctrl-C again to stop now');
      gw.child.kill('SIGINT');
      expect(await within(exited, 10_000, 'localgw to exit after the second SIGINT')).toEqual({ code: 130, signal: null });
      await hung;
    } finally {
      gw.child.kill('SIGKILL');
    }
  });
});

/** A raw connection that sends a request head announcing a 1 MB body, 1 KB of that body, then nothing. */
async function stalledUpload(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => {}); // a reset by the server is one way for the test to pass
  const closed = once(socket, 'close').then(() => undefined);
  socket.write(`POST /upload HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n${'x'.repeat(1000)}`);
  return { socket, closed, received: () => received };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** `promise`, or a rejection naming what did not happen within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
