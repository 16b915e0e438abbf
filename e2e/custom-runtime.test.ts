import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { REPO, tempProject } from './helpers/project.js';

// Issue 19: custom runtimes (provided.al2023), run as Lambda runs them, through the Runtime API:
// AWS's own tutorial bootstrap (bash and curl, unchanged) and a bootstrap compiled from C here.

const FIXTURES = 'e2e/fixtures/custom-runtime';

const project = tempProject(
  {
    'localgw.config.json': {
      routes: {
        // The tutorial's function: Handler "function.handler", the bootstrap beside function.sh.
        'POST /tutorial': { handler: 'tutorial/function.handler', runtime: 'provided.al2023', environment: { TMPDIR: '.' } },
        'GET /c/{proxy+}': { handler: 'c/bootstrap', runtime: 'provided.al2', timeout: 5 },
      },
    },
  },
  FIXTURES,
);

let gw: RunningCli;
beforeAll(async () => {
  chmodSync(project.path('tutorial/bootstrap'), 0o755);
  const built = spawnSync('cc', ['-O2', '-o', project.path('c/bootstrap'), project.path('c/bootstrap.c')], { encoding: 'utf8', timeout: 60_000 });
  expect(built.status, `cc failed: ${built.error?.message ?? built.stderr}`).toBe(0);
  gw = await startCli([], { cwd: project.dir });
});
afterAll(async () => {
  await gw?.stop();
  project.cleanup();
});

describe('AWS\'s "building a custom runtime" tutorial, unchanged', () => {
  it('the fixture is the tutorial\'s bootstrap (#!/bin/sh, set -euo pipefail: it needs bash, as on Amazon Linux)', () => {
    const bootstrap = readFileSync(join(REPO, FIXTURES, 'tutorial/bootstrap'), 'utf8');
    expect(bootstrap.startsWith('#!/bin/sh\n\nset -euo pipefail\n')).toBe(true);
    expect(bootstrap).toContain('curl -sS -LD "$HEADERS" -X GET "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"');
  });

  it('answers with the handler\'s output; the event it logs to stderr is in the log, tagged', async () => {
    const res = await http(`${gw.url}/tutorial`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"Hello"}' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^Echoing request: '\{"version":"2\.0","routeKey":"POST \/tutorial",.*"body":"\{\\"text\\":\\"Hello\\"\}".*\}'$/);
    const id = res.headers['apigw-requestid'] as string;
    await gw.waitForOutput(new RegExp(`\\[POST /tutorial ${id.replace(/[=+]/g, '\\$&')}\\] \\{"version":"2\\.0"`));
    // Warm: the same bootstrap loop serves the next request.
    expect((await http(`${gw.url}/tutorial`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'again' })).text).toContain('"body":"again"');
  });
});

describe('a compiled bootstrap (C)', () => {
  it('serves the route, warm, its stderr in the log', async () => {
    const res = await http(`${gw.url}/c/hello?x=1`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ version: '2.0', routeKey: 'GET /c/{proxy+}', rawPath: '/c/hello', pathParameters: { proxy: 'hello' }, queryStringParameters: { x: '1' } });
    await gw.waitForOutput('c runtime ready, handler bootstrap');
    await gw.waitForOutput(`[GET /c/{proxy+} ${res.headers['apigw-requestid'] as string}] c runtime handling ${res.headers['apigw-requestid'] as string}`);
    expect((await http(`${gw.url}/c/again`)).json().rawPath).toBe('/c/again');
  });

  it('an error it reports through /runtime/invocation/{id}/error answers 500', async () => {
    const res = await http(`${gw.url}/c/fail`);
    expect([res.status, res.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    await gw.waitForOutput(/GET \/c\/fail → GET \/c\/\{proxy\+\} · 500 · .* CError: asked to fail/);
  });
});
