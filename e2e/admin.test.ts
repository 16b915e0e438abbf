import { afterAll, describe, expect, it } from 'vitest';
import { startGateway, type Logger } from 'localgw';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCliAsync, startCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { tempProject } from './helpers/project.js';
import { ECHO_HANDLER } from './fixtures/handlers.js';

// The admin server itself (DESIGN.md, "Decisions for the admin endpoint"): where it listens, its
// wire protocol (config-formats.md §5.1, §5.4), and how the management API's changes live with
// the config file (a reload of the file wins) and across restarts (--state).

const ORIGIN = 'https://www.example.com';
const project = tempProject({
  'handlers/echo.mjs': ECHO_HANDLER,
  'localgw.config.json': { apiId: 'api-id', routes: { 'GET /hello': 'handlers/echo.handler' } },
});
afterAll(() => project.cleanup());

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), request() {}, handler() {} };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const patch = (body: unknown) => ({ ...json(body), method: 'PATCH' });

describe('the admin server', () => {
  it('listens on its own port: --port 0 gives it a free one, announced on a line that begins with "admin"', async () => {
    const cli = await startCli(['--no-watch'], { cwd: project.dir });
    try {
      await cli.waitForOutput(/^admin http:\/\/127\.0\.0\.1:\d+/m);
      const admin = /^admin (http:\/\/127\.0\.0\.1:\d+)/m.exec(cli.output())![1]!;
      expect(admin).not.toBe(cli.url);
      // The management API is not on the API's port: a user's own route could be GET /v2/apis.
      expect((await http(`${cli.url}/v2/apis`)).json()).toEqual({ message: 'Not Found' });
      expect((await http(`${admin}/v2/apis`)).json().items).toEqual([expect.objectContaining({ apiId: 'api-id' })]);
    } finally {
      await cli.stop();
    }
  });

  it('--no-admin starts none', async () => {
    const cli = await startCli(['--no-watch', '--no-admin'], { cwd: project.dir });
    await cli.stop();
    expect(cli.output()).not.toMatch(/^admin/m);
  });

  it('a taken admin port stops localgw start with exit code 1, naming the port and --admin-port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const res = await runCliAsync(['start', '--port', '0', '--admin-port', String(port), '--no-watch'], { cwd: project.dir });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`127.0.0.1:${port}`);
      expect(res.stderr).toContain('--admin-port');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('§5.1 §5.4 rest-json: any SigV4 Authorization is accepted; errors carry x-amzn-ErrorType, __type and message; every answer an x-amzn-RequestId', async () => {
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, admin: true });
    try {
      const signed = await http(`${gw.adminUrl}/v2/apis/api-id`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=00' } });
      expect(signed.status).toBe(200);
      expect(signed.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      const missing = await http(`${gw.adminUrl}/v2/apis/nope`);
      expect(missing.status).toBe(404);
      expect(missing.headers['x-amzn-errortype']).toBe('NotFoundException');
      expect(missing.json()).toEqual({ __type: 'NotFoundException', message: 'Invalid API identifier specified nope', resourceType: 'API' });
      const garbled = await http(`${gw.adminUrl}/v2/apis`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
      expect([garbled.status, garbled.headers['x-amzn-errortype']]).toEqual([400, 'BadRequestException']);
      const unknown = await http(`${gw.adminUrl}/v2/domainnames`);
      expect([unknown.status, unknown.headers['x-amzn-errortype']]).toEqual([404, 'NotFoundException']);
      expect(unknown.json().message).toMatch(/is not an operation localgw emulates/);
    } finally {
      await gw.close();
    }
  });
});

describe('only local clients reach the admin server', () => {
  it('a request to another Host (DNS rebinding) or from a web page of another origin is refused; the admin\'s own origin is not', async () => {
    const gw = await startGateway({ config: project.path('localgw.config.json'), port: 0, admin: true });
    try {
      const create = { ...json({ name: 'x', protocolType: 'HTTP', target: 'http://169.254.169.254/' }) };
      const rebound = await http(`${gw.adminUrl}/v2/apis`, { ...create, headers: { ...create.headers, host: 'attacker.example:80' } });
      expect([rebound.status, rebound.headers['x-amzn-errortype']]).toEqual([403, 'AccessDeniedException']);
      const page = await http(`${gw.adminUrl}/v2/apis`, { ...create, headers: { ...create.headers, origin: 'https://attacker.example' } });
      expect([page.status, page.json().message]).toEqual([403, 'The admin server answers no request from a web page of another origin (https://attacker.example)']);
      expect((await http(`${gw.adminUrl}/v2/apis`)).json().items.map((a: { name: string }) => a.name)).not.toContain('x');
      const own = new URL(gw.adminUrl!).origin;
      expect((await http(`${gw.adminUrl}/v2/apis`, { headers: { origin: own } })).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

describe('the config file and the management API', () => {
  it('a reload that finds the file changed wins over management changes to its API, and the log names what it replaced', async () => {
    const own = tempProject({ 'handlers/echo.mjs': ECHO_HANDLER, 'localgw.config.json': { apiId: 'api-id', routes: { 'GET /hello': 'handlers/echo.handler' } } });
    const logger = recordingLogger();
    const gw = await startGateway({ config: own.path('localgw.config.json'), port: 0, admin: true, logger });
    try {
      const update = await http(`${gw.adminUrl}/v2/apis/api-id`, patch({ corsConfiguration: { allowOrigins: [ORIGIN] } }));
      expect(update.status).toBe(200);
      const route = await http(`${gw.adminUrl}/v2/apis/api-id/routes`, json({ routeKey: 'GET /made', target: `integrations/${(await http(`${gw.adminUrl}/v2/apis/api-id/integrations`)).json().items[0].integrationId}` }));
      expect(route.status).toBe(201);
      const allowed = async () => (await http(`${gw.url}/hello`, { headers: { origin: ORIGIN } })).headers['access-control-allow-origin'];
      expect(await allowed()).toBe(ORIGIN);
      expect((await http(`${gw.url}/made`)).status).toBe(200);

      // A reload that finds the file's API as it was (a handler was edited) keeps the changes.
      expect((await gw.reload()).ok).toBe(true);
      expect(await allowed()).toBe(ORIGIN);

      own.write('localgw.config.json', { apiId: 'api-id', routes: { 'GET /hello': 'handlers/echo.handler', 'GET /other': 'handlers/echo.handler' } });
      expect((await gw.reload()).ok).toBe(true);
      expect(await allowed()).toBeUndefined();
      expect((await http(`${gw.url}/made`)).status).toBe(404);
      expect((await http(`${gw.url}/other`)).status).toBe(200);
      expect(logger.lines).toContainEqual(expect.stringMatching(/the config file's API api-id replaces management changes to it: UpdateApi \(corsConfiguration\); CreateRoute GET \/made/));
      expect((await http(`${gw.adminUrl}/v2/apis/api-id`)).json()).not.toHaveProperty('corsConfiguration');
    } finally {
      await gw.close();
      own.cleanup();
    }
  });
});

describe('--state FILE', () => {
  it('keeps what the management API made across a restart, and the changes to the file\'s API while the file is unchanged', async () => {
    const own = tempProject({ 'handlers/echo.mjs': ECHO_HANDLER, 'localgw.config.json': { apiId: 'api-id', routes: { 'GET /hello': 'handlers/echo.handler' } } });
    const options = { config: own.path('localgw.config.json'), port: 0, admin: true, stateFile: own.path('.localgw/state.json') } as const;
    try {
      const first = await startGateway(options);
      const made = (await http(`${first.adminUrl}/v2/apis`, json({ name: 'kept', protocolType: 'HTTP', target: 'handlers/echo.handler' }))).json();
      await http(`${first.adminUrl}/v2/apis/api-id`, patch({ corsConfiguration: { allowOrigins: [ORIGIN] } }));
      await first.close();
      expect(JSON.parse(readFileSync(options.stateFile, 'utf8'))).toMatchObject({ version: 1 });

      const second = await startGateway(options);
      try {
        const names = (await http(`${second.adminUrl}/v2/apis`)).json().items.map((a: { name: string }) => a.name);
        expect(names).toContain('kept');
        expect((await http(`${second.url}/x`, { headers: { host: `${made.apiId}.execute-api.localhost` } })).json().event.requestContext.apiId).toBe(made.apiId);
        expect((await http(`${second.url}/hello`, { headers: { origin: ORIGIN } })).headers['access-control-allow-origin']).toBe(ORIGIN);
      } finally {
        await second.close();
      }
    } finally {
      own.cleanup();
    }
  });

  it('a file that is not a state file is refused with a clear message, and left as it is', async () => {
    const own = tempProject({ 'state.json': '{"apis": "not a list"' });
    try {
      await expect(startGateway({ port: 0, admin: true, cwd: own.dir, stateFile: 'state.json' })).rejects.toThrow(/state\.json is not a localgw state file \(invalid JSON.*\); localgw leaves it as it is/);
      own.write('state.json', { version: 1, apis: 'no' });
      await expect(startGateway({ port: 0, admin: true, cwd: own.dir, stateFile: 'state.json' })).rejects.toThrow(/"apis" is not a list/);
      expect(readFileSync(own.path('state.json'), 'utf8')).toContain('"apis": "no"');
      writeFileSync(own.path('state.json'), '');
      await expect(startGateway({ port: 0, admin: true, cwd: own.dir, stateFile: 'state.json' })).rejects.toThrow(/not a localgw state file/);
    } finally {
      own.cleanup();
    }
  });
});

describe('localgw export of what the management API made', () => {
  it('--from ADMIN_URL writes what a running gateway serves; --state FILE what a state file holds', async () => {
    const own = tempProject({ 'handlers/echo.mjs': ECHO_HANDLER, 'localgw.config.json': { apiId: 'api-id', routes: { 'GET /hello': 'handlers/echo.handler' } } });
    const gw = await startGateway({ config: own.path('localgw.config.json'), port: 0, admin: true, cwd: own.dir, stateFile: own.path('state.json') });
    try {
      await http(`${gw.adminUrl}/v2/apis/api-id`, patch({ corsConfiguration: { allowOrigins: [ORIGIN] } }));
      const made = (await http(`${gw.adminUrl}/v2/apis`, json({ name: 'made', protocolType: 'HTTP', target: 'handlers/echo.handler', routeKey: 'GET /made' }))).json();
      const fromConfig = await runCliAsync(['export', '--from', gw.adminUrl!, '--format', 'localgw'], { cwd: own.dir });
      expect(fromConfig.stderr).toBe('');
      expect(JSON.parse(fromConfig.stdout)).toMatchObject({ apiId: 'api-id', cors: { allowOrigins: [ORIGIN] }, routes: { 'GET /hello': { handler: 'handlers/echo.handler' } } });
      const fromMade = await runCliAsync(['export', '--from', gw.adminUrl!, '--api', made.apiId], { cwd: own.dir });
      expect(JSON.parse(fromMade.stdout)).toMatchObject({ openapi: '3.0.1', paths: { '/made': { get: expect.any(Object) } } });
      const fromState = await runCliAsync(['export', '--state', 'state.json', '--api', made.apiId, '--format', 'localgw'], { cwd: own.dir });
      expect(fromState.stderr).toBe('');
      expect(JSON.parse(fromState.stdout)).toMatchObject({ routes: { 'GET /made': { handler: 'handlers/echo.handler' } } });
      const unknown = await runCliAsync(['export', '--from', gw.adminUrl!, '--api', 'nope'], { cwd: own.dir });
      expect([unknown.code, unknown.stderr.trim()]).toEqual([1, `localgw: --from ${gw.adminUrl}: Invalid API identifier specified nope`]);
    } finally {
      await gw.close();
      own.cleanup();
    }
  });
});
