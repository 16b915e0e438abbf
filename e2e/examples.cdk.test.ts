import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { CDK_EXAMPLE, cdkSynth, synthCdkExample } from './helpers/cdk.js';
import { runCliAsync, startCli, type RunningCli } from './helpers/cli.js';
import { editFile, eventually } from './helpers/edit.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';

// Issue 15: a TypeScript CDK app (examples/cdk, aws-cdk-lib from the npm registry), synthesized
// by the real CDK CLI offline (cached by the hash of its inputs), served from its cdk.out.

/** A copy of examples/cdk; `withModules` links its node_modules so `cdk synth` runs in the copy. */
function copyApp(options: { cdkOut: boolean; withModules?: boolean }) {
  const project = tempProject();
  cpSync(CDK_EXAMPLE, project.dir, { recursive: true, preserveTimestamps: true, filter: (src) => !/node_modules|\.localgw/.test(src) && (options.cdkOut || !/cdk\.out/.test(src)) });
  if (options.withModules) symlinkSync(join(CDK_EXAMPLE, 'node_modules'), join(project.dir, 'node_modules'), 'junction');
  return project;
}

beforeAll(() => {
  const { synthesized, durationMs } = synthCdkExample();
  console.log(synthesized ? `examples/cdk synthesized in ${Math.round(durationMs)} ms` : 'examples/cdk: cdk.out is up to date (cached synth)');
}, 180_000);

describe('examples/cdk from its synthesized cdk.out, started with no flags', () => {
  let project: ReturnType<typeof copyApp>;
  let gw: RunningCli;
  beforeAll(async () => {
    project = copyApp({ cdkOut: true });
    gw = await startCli([], { cwd: project.dir });
  });
  afterAll(async () => {
    await gw?.stop();
    project?.cleanup();
  });

  it('prints the routes with the functions\' staged code and where each route is written', () => {
    expect(gw.output()).toMatch(/API ItemsApi \(main\) → http:\/\/127\.0\.0\.1:\d+ \(also Host itemsapi[0-9a-f]{8}\.execute-api\.localhost:\d+\)/);
    expect(gw.output()).toMatch(/GET \/items\s+→ cdk\.out\/asset\.[0-9a-f]{8}…\/items\.list\s+auth: Jwt \[items\/read\]\s+cdk\.out\/ItemsStack\.template\.json:\d+/);
  });

  it('a route, with the function\'s name from the template (FunctionName, else its logical id)', async () => {
    const res = await http(`${gw.url}/health`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', function: expect.stringMatching(/^Health[0-9A-F]{8}$/), apiId: expect.stringMatching(/^itemsapi[0-9a-f]{8}$/) });
  });

  it('the CORS preflight from corsPreflight', async () => {
    const res = await http(`${gw.url}/items`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-max-age']).toBe('600');
  });

  it('the JWT-protected route with its scope, and a token from `localgw token`', async () => {
    expect((await http(`${gw.url}/items`)).status).toBe(401);
    const minted = await runCliAsync(['token', '--scope', 'items/read', '--sub', 'dana'], { cwd: project.dir });
    expect(minted.code, minted.stderr).toBe(0);
    const res = await http(`${gw.url}/items`, { headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ table: 'items', user: 'dana', function: 'items-list' });
    const noScope = (await runCliAsync(['token'], { cwd: project.dir })).stdout.trim();
    expect((await http(`${gw.url}/items`, { headers: { authorization: `Bearer ${noScope}` } })).status).toBe(403);
  });

  it('the Lambda authorizer (HttpLambdaAuthorizer, SIMPLE) and the function\'s 3 s Timeout as its deadline', async () => {
    expect((await http(`${gw.url}/items`, { method: 'POST', headers: { 'x-api-key': 'wrong' } })).status).toBe(403);
    const created = await http(`${gw.url}/items`, { method: 'POST', headers: { 'x-api-key': 'local-key', 'content-type': 'application/json' }, body: '{"name":"pen"}' });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ name: 'pen', by: 'machine' });
    const token = (await runCliAsync(['token'], { cwd: project.dir })).stdout.trim();
    const item = (await http(`${gw.url}/items/1`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(item.remaining).toBeLessThanOrEqual(3000);
  });

  it('the API of a CDK NestedStack, from its *.nested.template.json, served by its own Host', async () => {
    const port = new URL(gw.url).port;
    const host = new RegExp(`API AdminApi → Host (adminapi[0-9a-f]{8})\\.execute-api\\.localhost:${port}`).exec(gw.output());
    expect(host, gw.output()).not.toBeNull();
    expect(gw.output()).toMatch(/GET \/stats\s+→ .*cdk\.out\/ItemsStackAdmin[0-9A-F]{8}\.nested\.template\.json:\d+/);
    const res = await http(`${gw.url}/stats`, { headers: { host: `${host![1]}.execute-api.localhost:${port}` } });
    expect(res.json()).toMatchObject({ status: 'ok', apiId: host![1] });
    expect((await http(`${gw.url}/stats`)).status).toBe(404);
  });

  it('--config accepts the cdk.out folder itself and a template inside it', async () => {
    for (const config of ['cdk.out', 'cdk.out/ItemsStack.template.json']) {
      const res = await runCliAsync(['routes', '--config', config], { cwd: project.dir });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('POST /items');
    }
  });
});

describe('a CDK app without, or with a stale, cdk.out', () => {
  it('no cdk.out: a hint to synthesize instead of "no config"', async () => {
    const project = copyApp({ cdkOut: false });
    try {
      const res = await runCliAsync(['start', '--port', '0'], { cwd: project.dir });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('is a CDK app (cdk.json) that has not been synthesized: there is no cdk.out/. Run npx cdk synth, or start with --synth.');
    } finally {
      project.cleanup();
    }
  });

  it('a source file newer than cdk.out: a warning that says to re-synthesize', async () => {
    const project = copyApp({ cdkOut: true });
    const future = new Date(Date.now() + 60_000);
    utimesSync(project.path('lib/items-stack.ts'), future, future);
    try {
      const res = await runCliAsync(['check'], { cwd: project.dir });
      expect(res.stdout).toContain('cdk.out: is older than lib/items-stack.ts, so it may not have your latest changes (run npx cdk synth (or start with --synth))');
    } finally {
      project.cleanup();
    }
  });
});

describe('localgw start --synth, and hot reload after a re-synth', () => {
  let project: ReturnType<typeof copyApp>;
  let gw: RunningCli;
  beforeAll(async () => {
    project = copyApp({ cdkOut: false, withModules: true });
    // cdk synth takes 5 s on an idle machine, several times that on a busy one.
    gw = await startCli(['--synth'], { cwd: project.dir, readyTimeoutMs: 150_000 });
  }, 180_000);
  afterAll(async () => {
    await gw?.stop();
    rmSync(project.path('node_modules'), { force: true, recursive: false });
    project?.cleanup();
  });

  it('synthesizes first, with --no-staging: the functions\' code is the app\'s own lambda/ folder', async () => {
    expect(gw.output()).toMatch(/synthesizing the CDK app in .* \(npx cdk synth\)…/);
    expect(gw.output()).toMatch(/GET \/health\s+→ lambda\/health\.handler/);
    expect((await http(`${gw.url}/health`)).json()).toMatchObject({ status: 'ok' });
  });

  it('so a handler edit reloads without another synth', async () => {
    editFile(project.path('lambda/health.mjs'), (t) => t.replace("status: 'ok'", "status: 'edited'"));
    await eventually(async () => (await http(`${gw.url}/health`)).json().status, 'edited');
  });

  it('a change to the stack takes effect once cdk.out is re-synthesized', async () => {
    expect((await http(`${gw.url}/status`)).status).toBe(404);
    editFile(project.path('lib/items-stack.ts'), (t) => t.replace("path: '/health'", "path: '/status'"));
    cdkSynth(project.dir, ['--no-staging']);
    await eventually(async () => (await http(`${gw.url}/status`)).status, 200, 30_000);
    await gw.waitForOutput(/reloaded .*cdk\.out/);
  }, 180_000);
});
