import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFetch, launchChromium, openPage, startPageServer, type OpenedPage, type PageServer } from './helpers/browser.js';
import { startCli, type RunningCli } from './helpers/cli.js';
import { tempProject } from './helpers/project.js';

// aws-behavior.md §5 and §2.4 in a real browser (issue 14): a page on one origin calls routes
// protected by a Lambda REQUEST authorizer on the gateway's origin. The authorizer's 401, 403
// and 500 carry the CORS headers, so the page's script can read them (SAM's emulator drops them,
// and the browser then reports a CORS failure instead of the status).

const AUTH = `
export const check = async (event) => {
  const key = event.headers['x-api-key'];
  if (key === 'boom') throw new Error('authorizer down');
  return { isAuthorized: key === 'good', context: { plan: 'pro' } };
};
`;
const API = `export const me = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event.requestContext.authorizer) });`;

let browser: Browser;
let site: PageServer;
let gw: RunningCli;
let app: OpenedPage;
let project: ReturnType<typeof tempProject>;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchChromium(), startPageServer()]);
  project = tempProject({
    'auth.mjs': AUTH,
    'api.mjs': API,
    'localgw.config.json': {
      cors: { allowOrigins: [site.origin], allowHeaders: ['x-api-key'], allowMethods: ['GET'] },
      authorizers: { key: { type: 'request', handler: 'auth.check', payloadFormatVersion: '2.0', enableSimpleResponses: true, identitySource: ['$request.header.x-api-key'], resultTtlInSeconds: 0 } },
      routes: { 'GET /me': { handler: 'api.me', authorizer: 'key' } },
    },
  });
  gw = await startCli(['--no-watch'], { cwd: project.dir });
  app = await openPage(browser, `${site.origin}/app`);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), gw?.stop()]);
  project?.cleanup();
});

describe('§5 a Lambda REQUEST authorizer seen from a page on another origin', () => {
  it('with a good key, the preflighted request reaches the route and the script reads the context', async () => {
    const res = await browserFetch(app.page, `${gw.url}/me`, { headers: { 'x-api-key': 'good' } });
    expect(res).toMatchObject({ ok: true, status: 200 });
    if (res.ok) expect(JSON.parse(res.body)).toEqual({ lambda: { plan: 'pro' } });
  });

  it.each([
    ['no key: 401, the authorizer not invoked', {}, 401, '{"message":"Unauthorized"}'],
    ['a wrong key: 403', { 'x-api-key': 'bad' }, 403, '{"message":"Forbidden"}'],
    ['a failing authorizer: 500', { 'x-api-key': 'boom' }, 500, '{"message":"Internal Server Error"}'],
  ])('%s, readable by the script', async (_, headers, status, body) => {
    const res = await browserFetch(app.page, `${gw.url}/me`, { headers });
    expect(res).toEqual({ ok: true, status, body, headers: {} });
  });
});
