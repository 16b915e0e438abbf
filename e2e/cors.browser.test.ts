import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFetch, launchChromium, openPage, startPageServer, type OpenedPage, type PageServer } from './helpers/browser.js';
import { startCli, waitForLogSequence, type RunningCli } from './helpers/cli.js';
import { tempProject } from './helpers/project.js';
import { API_HANDLERS } from './fixtures/cors-handlers.js';

// aws-behavior.md §2 as a real browser sees it (issue 3 "Done when"): headless Chromium loads a
// page from one origin (127.0.0.1:A) whose script calls the gateway on another (127.0.0.1:B).
// Each test asserts what the page's script could see; the CORS headers themselves are checked in
// cors.test.ts.

const ROUTES = {
  'GET /hello': 'handlers/api.echo',
  'POST /items': 'handlers/api.echo',
  'PUT /items/{id}': 'handlers/api.echo',
  'GET /session': 'handlers/api.session',
};

let browser: Browser;
let site: PageServer; // the app's origin, allowed by the CORS config
let otherSite: PageServer; // an origin the config does not allow
let gw: { seed: RunningCli; wildcard: RunningCli; anyHttp: RunningCli };
const projects: Array<ReturnType<typeof tempProject>> = [];
let app: OpenedPage;

function project(cors: object) {
  const p = tempProject({ 'handlers/api.mjs': API_HANDLERS, 'localgw.config.json': { cors, routes: ROUTES } });
  projects.push(p);
  return p;
}

beforeAll(async () => {
  [browser, site, otherSite] = await Promise.all([launchChromium(), startPageServer(), startPageServer()]);
  const [seed, wildcard, anyHttp] = await Promise.all([
    // The seed document's configuration, with the app's origin.
    startCli(['--no-watch'], {
      cwd: project({
        allowOrigins: [site.origin],
        allowCredentials: true,
        exposeHeaders: ['Date', 'x-api-id'],
        maxAge: 300,
        allowMethods: ['GET', 'POST', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type'],
      }).dir,
    }),
    startCli(['--no-watch'], { cwd: project({ allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] }).dir }),
    startCli(['--no-watch'], { cwd: project({ allowOrigins: ['http://*'], allowCredentials: true, allowMethods: ['*'], allowHeaders: ['*'] }).dir }),
  ]);
  gw = { seed, wildcard, anyHttp };
  app = await openPage(browser, `${site.origin}/app`);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), otherSite?.close(), ...Object.values(gw ?? {}).map((cli) => cli.stop())]);
  for (const p of projects) p.cleanup();
});

describe('§2.4 simple cross-origin requests', () => {
  it('a simple GET succeeds, and the script reads exposed headers but not others', async () => {
    const res = await browserFetch(app.page, `${gw.seed.url}/hello`, {}, ['x-api-id', 'date', 'x-secret', 'content-type']);
    expect(res).toMatchObject({ ok: true, status: 200 });
    if (!res.ok) return;
    expect(JSON.parse(res.body).headers.origin).toBe(site.origin);
    expect(res.headers['x-api-id']).toBe('api-123'); // exposeHeaders
    expect(res.headers.date).toBeTruthy(); // exposeHeaders ("Date")
    expect(res.headers['content-type']).toBe('application/json'); // CORS-safelisted
    // The backend tried to expose it with its own header; the gateway dropped that (§2.2).
    expect(res.headers['x-secret']).toBeNull();
  });

  it('a gateway error is readable by the script (the 404 carries CORS headers)', async () => {
    const res = await browserFetch(app.page, `${gw.seed.url}/nowhere`);
    expect(res).toEqual({ ok: true, status: 404, body: '{"message":"Not Found"}', headers: {} });
  });
});

describe('§2.3 preflighted requests (automatic preflight answer)', () => {
  it('a JSON POST with an Authorization header is preflighted, then sent', async () => {
    const res = await browserFetch(app.page, `${gw.seed.url}/items?case=json-post`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
      body: '{"name":"keyboard"}',
    });
    expect(res).toMatchObject({ ok: true, status: 200 });
    if (!res.ok) return;
    const seen = JSON.parse(res.body);
    expect(seen).toMatchObject({ routeKey: 'POST /items', body: '{"name":"keyboard"}' });
    expect(seen.headers).toMatchObject({ authorization: 'Bearer abc', 'content-type': 'application/json' });
    // The browser asked first; the gateway answered without a route (§1.7), then served the POST.
    await waitForLogSequence(gw.seed, [/OPTIONS \/items\?case=json-post → \(no route\) · 204/, /POST \/items\?case=json-post → POST \/items · 200/]);
  });

  it('a credentialed fetch stores the cookie the API sets and sends it back; without credentials it is not sent', async () => {
    const start = await browserFetch(app.page, `${gw.seed.url}/session`, { credentials: 'include' });
    expect(start).toMatchObject({ ok: true, status: 200, body: 'session started' });
    const withCookie = await browserFetch(app.page, `${gw.seed.url}/items?case=credentialed`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
      body: '{}',
    });
    expect(withCookie).toMatchObject({ ok: true, status: 200 });
    if (withCookie.ok) expect(JSON.parse(withCookie.body).cookies).toEqual(['sid=s3cr3t']);
    const omitted = await browserFetch(app.page, `${gw.seed.url}/hello`, { credentials: 'omit' });
    expect(omitted).toMatchObject({ ok: true, status: 200 });
    if (omitted.ok) expect(JSON.parse(omitted.body).cookies).toEqual([]);
  });
});

describe('failures the browser must block (fetch rejects with a TypeError)', () => {
  it('an origin that is not allowed: the script gets nothing, although the API did serve the GET', async () => {
    const other = await openPage(browser, `${otherSite.origin}/evil`);
    try {
      const res = await browserFetch(other.page, `${gw.seed.url}/hello?case=other-origin`);
      expect(res).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
      await expect.poll(() => other.console.join('\n')).toMatch(/blocked by CORS policy: No 'Access-Control-Allow-Origin' header/);
      // CORS protects the response from the script, not the server from the request.
      await gw.seed.waitForOutput(/GET \/hello\?case=other-origin → GET \/hello · 200/);
    } finally {
      await other.close();
    }
  });

  it('a request header that is not allowed: the preflight fails and the request is never sent', async () => {
    const res = await browserFetch(app.page, `${gw.seed.url}/items?case=bad-header`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-not-allowed': '1' },
      body: '{}',
    });
    expect(res).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    // A preflight that does not match gets no access-control-* header at all (§2.3), hence the wording.
    await expect.poll(() => app.console.join('\n')).toMatch(/items\?case=bad-header' from origin '[^']+' has been blocked by CORS policy: Response to preflight request doesn't pass access control check/);
    await gw.seed.waitForOutput(/OPTIONS \/items\?case=bad-header → \(no route\) · 204/);
    expect(gw.seed.output()).not.toContain('POST /items?case=bad-header');
  });

  it('a method that is not allowed (PUT) is blocked the same way', async () => {
    const res = await browserFetch(app.page, `${gw.seed.url}/items/1?case=bad-method`, { method: 'PUT', body: '{}' });
    expect(res).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    await expect.poll(() => app.console.join('\n')).toMatch(/items\/1\?case=bad-method' from origin '[^']+' has been blocked by CORS policy: Response to preflight request doesn't pass access control check/);
    await gw.seed.waitForOutput(/OPTIONS \/items\/1\?case=bad-method → \(no route\) · 204/);
    expect(gw.seed.output()).not.toContain('PUT /items/1?case=bad-method →');
  });

  it('a credentialed fetch to an API whose allow-origin is "*" is blocked (that is why §2.1 forbids the pair)', async () => {
    const res = await browserFetch(app.page, `${gw.wildcard.url}/hello`, { credentials: 'include' });
    expect(res).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    await expect.poll(() => app.console.join('\n')).toMatch(/must not be the wildcard '\*' when the request's credentials mode is 'include'/);
  });
});

describe('"*" in allowMethods / allowHeaders works in browsers (our choice for §9 item 1: echo what was asked)', () => {
  const put = { method: 'PUT', headers: { authorization: 'Bearer abc', 'x-custom': '1', 'content-type': 'application/json' }, body: '{}' };

  it('without credentials: a PUT with Authorization and a custom header passes ("*" alone never covers Authorization)', async () => {
    const res = await browserFetch(app.page, `${gw.wildcard.url}/items/7`, put);
    expect(res).toMatchObject({ ok: true, status: 200 });
    if (res.ok) expect(JSON.parse(res.body).headers).toMatchObject({ authorization: 'Bearer abc', 'x-custom': '1' });
  });

  it('with credentials ("http://*" origins echo the origin): the same PUT passes ("*" would be read literally)', async () => {
    const res = await browserFetch(app.page, `${gw.anyHttp.url}/items/8`, { ...put, credentials: 'include' });
    expect(res).toMatchObject({ ok: true, status: 200 });
  });
});
