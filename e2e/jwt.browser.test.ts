import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFetch, launchChromium, openPage, startPageServer, type OpenedPage, type PageServer } from './helpers/browser.js';
import { runCliAsync, startCli, waitForLogSequence, type RunningCli } from './helpers/cli.js';
import { tempProject } from './helpers/project.js';
import { PAIR_CONFIGS, preflightPairFiles, type PairConfig } from './fixtures/preflight-pair.js';

// aws-behavior.md §1.7 in a real browser (issue 4 "Done when"): with CORS and a JWT authorizer on
// `$default` (or an `ANY` route), the browser's preflight for an authenticated fetch matches the
// protected route and gets 401, so the fetch fails; adding an unauthenticated `OPTIONS /{proxy+}`
// route makes the same fetch succeed. The plain-HTTP half is in jwt.test.ts.

let browser: Browser;
let site: PageServer;
let project: ReturnType<typeof tempProject>;
let gw: Record<PairConfig, RunningCli>;
let token: string;
let app: OpenedPage;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchChromium(), startPageServer()]);
  project = tempProject(preflightPairFiles(site.origin));
  const minted = await runCliAsync(['token', '--config', 'default-trap.json', '--authorizer', 'main', '--sub', 'browser-user'], { cwd: project.dir });
  if (minted.code !== 0) throw new Error(`localgw token failed:\n${minted.stderr}`);
  token = minted.stdout.trim();
  const started = await Promise.all(PAIR_CONFIGS.map((name) => startCli(['--no-watch', '--config', `${name}.json`], { cwd: project.dir })));
  gw = Object.fromEntries(PAIR_CONFIGS.map((name, i) => [name, started[i]!])) as typeof gw;
  app = await openPage(browser, `${site.origin}/app`);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), ...Object.values(gw ?? {}).map((cli) => cli.stop())]);
  project?.cleanup();
});

const authenticatedGet = (name: PairConfig, path: string) =>
  browserFetch(app.page, gw[name].url + path, { headers: { authorization: `Bearer ${token}` } });

describe('§1.7 the trap: CORS + JWT authorizer on a route that catches OPTIONS', () => {
  it.each([
    ['default-trap', '$default'],
    ['any-trap', 'ANY /{proxy+}'],
  ] as const)('%s: the preflight hits %s, gets 401, and the authenticated fetch fails', async (name, routeKey) => {
    const res = await authenticatedGet(name, `/items/1?case=${name}`);
    expect(res).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    await expect
      .poll(() => app.console.join('\n'))
      .toMatch(new RegExp(`items/1\\?case=${name}' from origin '[^']+' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status`));
    await gw[name].waitForOutput(`OPTIONS /items/1?case=${name} → ${routeKey} · 401`);
    expect(gw[name].output()).not.toContain(`GET /items/1?case=${name}`);
  });
});

describe('§1.7 the fix: an unauthenticated OPTIONS /{proxy+} route outranks it', () => {
  it.each([
    ['default-fixed', '$default'],
    ['any-fixed', 'ANY /{proxy+}'],
  ] as const)('%s: the preflight goes to OPTIONS /{proxy+}, and the authenticated fetch reaches %s', async (name, routeKey) => {
    const res = await authenticatedGet(name, `/items/1?case=${name}`);
    expect(res).toMatchObject({ ok: true, status: 200 });
    if (!res.ok) return;
    const seen = JSON.parse(res.body);
    expect(seen.routeKey).toBe(routeKey);
    expect(seen.authorizer.jwt.claims.sub).toBe('browser-user');
    await waitForLogSequence(gw[name], [new RegExp(`OPTIONS /items/1\\?case=${name} → OPTIONS /\\{proxy\\+\\} · 204`), new RegExp(`GET /items/1\\?case=${name} → ${routeKey.replace(/[$+{}]/g, '\\$&')} · 200`)]);
  });

  it('without a token, the script can read the 401 and its body (gateway errors carry CORS headers)', async () => {
    const res = await browserFetch(app.page, `${gw['default-fixed'].url}/items/1?case=no-token`, { headers: { 'content-type': 'application/json' } });
    expect(res).toEqual({ ok: true, status: 401, body: '{"message":"Unauthorized"}', headers: {} });
  });
});
