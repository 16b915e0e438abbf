import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { createConsoleLogger, startGateway } from 'localgw';
import { startCli, runCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// Issue 13, runtime: a bad handler must never take a route down or hold a thread, memory or a
// child process forever. The gateway runs in this process, so /proc/self counts its workers.
// Timing limits leave a loaded machine seconds of room.

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const threads = () => readdirSync('/proc/self/task').length;
const rssMb = () => process.memoryUsage.rss() / 2 ** 20;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No such process, or a zombie (a dead child not yet reaped by the thread that started it). */
function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat[stat.lastIndexOf(')') + 2] === 'Z';
}

describe('§4.6 a handler that blocks its thread after answering (issue 13.1)', () => {
  it('does not take its route down: later requests are 200 again, threads fall back, a reload frees the held worker', async () => {
    const project = tempProject({
      'h.mjs': `export const handler = async () => {
  // Answers, then holds its thread from a timer (bounded, 30 s).
  setTimeout(() => { const end = Date.now() + 30_000; while (Date.now() < end); }, 20);
  return 'answered';
};\n`,
      'localgw.config.json': { routes: { 'GET /block': { handler: 'h.handler', timeout: 8 } } },
    });
    cleanups.push(project.cleanup);
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    cleanups.push(gw.close);
    const before = threads();
    // Before the fix: 200, then each request waited on a held worker until its 8 s timeout (503),
    // and after four held workers the route answered 503 for good.
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const res = await http(`${gw.url}/block`);
      expect(res.status, res.text).toBe(200);
      expect(performance.now() - started).toBeLessThan(7_000);
      await pause(100);
    }
    // Held workers are replaced as requests wait on them: at most one is left (a worker is two threads).
    await expect.poll(threads, { timeout: 10_000, interval: 100 }).toBeLessThanOrEqual(before + 2);
    const waiting = http(`${gw.url}/block`);
    await pause(100);
    expect((await gw.reload()).ok).toBe(true);
    expect((await waiting).status).toBe(200);
    // The reload's fresh worker (warm, not held), and nothing of the old generation.
    await expect.poll(threads, { timeout: 10_000, interval: 100 }).toBeLessThanOrEqual(before + 2);
  });
});

describe('one worker pool per function, reaped when idle (issue 13.2)', () => {
  it('40 routes sharing one handler, each hit once, run on one worker; after idleTimeout it is gone', async () => {
    const routes = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`GET /r${i}/{id}`, 'h.handler']));
    const project = tempProject({
      'h.mjs': `import { threadId } from 'node:worker_threads';\nexport const handler = async (event) => ({ threadId, route: event.routeKey, name: process.env.AWS_LAMBDA_FUNCTION_NAME });\n`,
      'localgw.config.json': { idleTimeout: 300, routes },
    });
    cleanups.push(project.cleanup);
    // The option wins over the config's 300 s.
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, idleTimeout: 2 });
    cleanups.push(gw.close);
    const threadsBefore = threads();
    const rssBefore = rssMb();
    const seen = [];
    for (let i = 0; i < 40; i++) seen.push((await http(`${gw.url}/r${i}/x`)).json() as { threadId: number; route: string; name: string });
    expect(new Set(seen.map((s) => s.route)).size).toBe(40);
    // One function: one name, one warm worker (before the fix: 40 workers, +386 MB RSS).
    expect(new Set(seen.map((s) => s.name))).toEqual(new Set(['h-handler']));
    expect(new Set(seen.map((s) => s.threadId)).size).toBe(1);
    const threadsPeak = threads();
    expect(threadsPeak - threadsBefore).toBeLessThanOrEqual(8);
    expect(rssMb() - rssBefore).toBeLessThan(150);
    // Idle for 2 s: stopped, as Lambda reclaims an idle environment.
    await expect.poll(threads, { timeout: 15_000, interval: 100 }).toBeLessThan(threadsPeak);
    const again = (await http(`${gw.url}/r0/x`)).json() as { threadId: number };
    expect(again.threadId).not.toBe(seen[0]!.threadId);
  });

  it('the idle timeout frees the memory of stopped workers', async () => {
    // Eight functions (distinct files), each holding 20 MB of heap.
    const files = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`f${i}.mjs`, `const ballast = new Array(20 * 2 ** 20 / 8).fill(0).map((_, i) => i + ${i});\nexport const handler = async () => ballast.length;\n`]),
    );
    const routes = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`GET /f${i}`, `f${i}.handler`]));
    // Long enough that none is stopped before the last has started on a slow, busy machine.
    const project = tempProject({ ...files, 'localgw.config.json': { idleTimeout: 3, routes } });
    cleanups.push(project.cleanup);
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0 });
    cleanups.push(gw.close);
    const rssBefore = rssMb();
    let grown = 0;
    for (let i = 0; i < 8; i++) {
      expect((await http(`${gw.url}/f${i}`)).status).toBe(200);
      grown = Math.max(grown, rssMb() - rssBefore);
    }
    expect(grown).toBeGreaterThan(100);
    await expect.poll(() => rssMb() - rssBefore, { timeout: 15_000, interval: 200 }).toBeLessThan(grown / 2);
  });
});

describe('function names and log tags (issue 13.3)', () => {
  it("routes whose keys made the same name (GET /items/{id}, GET /items/id) each tag their handler's output", async () => {
    const project = tempProject({
      'h.mjs': `export const handler = async (event) => { console.log('in', event.rawPath); return process.env.AWS_LAMBDA_FUNCTION_NAME; };\n`,
      'localgw.config.json': {
        routes: {
          'GET /items/{id}': 'h.handler',
          'GET /items/id': 'h.handler',
          'GET /other': { handler: 'h.handler', environment: { MODE: 'other' } },
        },
      },
    });
    cleanups.push(project.cleanup);
    const lines: string[] = [];
    const logger = createConsoleLogger({ colors: false, write: (line) => lines.push(line), writeError: (line) => lines.push(line) });
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, logger });
    cleanups.push(gw.close);
    const a = await http(`${gw.url}/items/7`);
    const b = await http(`${gw.url}/items/id`);
    const c = await http(`${gw.url}/other`);
    // Same function for the first two; another environment is another function, with its own name.
    expect([a.text, b.text, c.text]).toEqual(['h-handler', 'h-handler', 'h-handler-2']);
    await expect.poll(() => lines.filter((l) => l.includes('] in /'))).toEqual([
      `[GET /items/{id} ${a.headers['apigw-requestid']}] in /items/7`,
      `[GET /items/id ${b.headers['apigw-requestid']}] in /items/id`,
      `[GET /other ${c.headers['apigw-requestid']}] in /other`,
    ]);
  });
});

describe('localgw check (issue 13.4)', () => {
  it('loads a handler shared by 500 routes once, and reports a broken one for every route using it', () => {
    const routes: Record<string, string> = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`GET /r${i}`, 'h.handler']));
    routes['GET /a'] = 'h.nope';
    routes['GET /b'] = 'h.nope';
    const project = tempProject({
      'h.mjs': `import fs from 'node:fs';\nfs.appendFileSync(new URL('./loads.txt', import.meta.url), 'x');\nexport const handler = async () => 'ok';\n`,
      'localgw.config.json': { routes },
    });
    try {
      const res = runCli(['check'], { cwd: project.dir });
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stdout).toMatch(/routes\["GET \/a"\]\.handler: .*nope/);
      expect(res.stdout).toMatch(/routes\["GET \/b"\]\.handler: .*nope/);
      // Two exports of one file: two loads (before the fix, 502).
      expect(readFileSync(project.path('loads.txt'), 'utf8')).toBe('xx');
    } finally {
      project.cleanup();
    }
  });
});

describe("§4.6 Lambda's 6 MB response limit (issue 13.5)", () => {
  it('a result over it is a 500 with a log note naming its size and the limit; one under it is served', async () => {
    const project = tempProject({
      'h.mjs': `export const handler = async (event) => ({ statusCode: 200, body: 'x'.repeat(Number(event.queryStringParameters.bytes)) });\n`,
      'localgw.config.json': { routes: { 'GET /body': 'h.handler' } },
    });
    cleanups.push(project.cleanup);
    const lines: string[] = [];
    const logger = createConsoleLogger({ colors: false, write: (line) => lines.push(line), writeError: (line) => lines.push(line) });
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, logger });
    cleanups.push(gw.close);
    const big = await http(`${gw.url}/body?bytes=${20 * 1024 * 1024}`);
    expect(big.status).toBe(500);
    expect(big.json()).toEqual({ message: 'Internal Server Error' });
    await expect.poll(() => lines.find((l) => l.startsWith('GET /body?bytes=20971520'))).toMatch(
      /500 .*Function\.ResponseSizeTooLarge: Response payload size \(20971548 bytes\) exceeded maximum allowed payload size \(6291556 bytes\)/,
    );
    const fits = await http(`${gw.url}/body?bytes=6000000`);
    expect(fits.status).toBe(200);
    expect(fits.text).toHaveLength(6_000_000);
  });
});

describe('child processes a handler starts (issue 13.6)', () => {
  it('do not outlive `localgw start` stopped by SIGTERM', async () => {
    const project = tempProject({
      'h.mjs': `import { spawn } from 'node:child_process';
export const handler = async () => String(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }).pid);\n`,
      'localgw.config.json': { routes: { 'GET /spawn': 'h.handler' } },
    });
    cleanups.push(project.cleanup);
    const cli = await startCli(['--no-watch'], { cwd: project.dir });
    cleanups.push(cli.stop);
    const pids = [Number((await http(`${cli.url}/spawn`)).text), Number((await http(`${cli.url}/spawn`)).text)];
    for (const pid of pids) expect(processEnded(pid)).toBe(false);
    await cli.stop();
    for (const pid of pids) await expect.poll(() => processEnded(pid), { timeout: 10_000, interval: 100 }).toBe(true);
  });
});
