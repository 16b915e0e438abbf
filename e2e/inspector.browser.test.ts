import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import { startCli, type RunningCli } from './helpers/cli.js';
import { http } from './helpers/http.js';
import { REPO, tempProject } from './helpers/project.js';

// Issue 20 in a real browser: the request inspector page on the admin server of the built CLI.
// Requests are sent with undici from the test; the page must show them and their stories.
// With LOCALGW_SCREENSHOTS=1 the screenshots go to docs/inspector/ (docs/inspector.md shows
// them); otherwise to a temporary folder, so a normal test run changes no file in the repository.

const APP_ORIGIN = 'https://app.example.com';
const project = tempProject({
  'handlers/api.mjs': `
export const items = async (event) => {
  console.log('listing items for', event.requestContext.http.sourceIp);
  return { statusCode: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' }, body: JSON.stringify([{ id: event.pathParameters?.id ?? 'all' }]) };
};
export const fallback = async () => ({ statusCode: 404, body: 'nothing here' });
`,
  'localgw.config.json': {
    cors: { allowOrigins: [APP_ORIGIN], allowMethods: ['GET', 'POST'], allowHeaders: ['content-type', 'authorization'] },
    authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['app'] } },
    routes: {
      'GET /items/{id}': 'handlers/api.items',
      'ANY /items/{proxy+}': 'handlers/api.items',
      'GET /me': { handler: 'handlers/api.items', authorizer: 'main' },
      // The §1.7 trap: a protected ANY route catches the preflights of its paths.
      'ANY /admin/{proxy+}': { handler: 'handlers/api.fallback', authorizer: 'main' },
    },
  },
});
const shots = process.env.LOCALGW_SCREENSHOTS === '1' ? join(REPO, 'docs/inspector') : project.path('screenshots');
mkdirSync(shots, { recursive: true });

let browser: Browser;
let gw: RunningCli;
let admin: string;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [browser, gw] = await Promise.all([launchChromium(), startCli(['--no-watch'], { cwd: project.dir })]);
  await gw.waitForOutput(/^admin http:\/\/127\.0\.0\.1:\d+/m);
  admin = /^admin (http:\/\/127\.0\.0\.1:\d+)/m.exec(gw.output())![1]!;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${admin}/`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  project.cleanup();
});

/** The row of the newest request whose path is `path`, once the page shows it. */
async function openRow(path: string) {
  const row = page.locator('tbody tr', { has: page.locator('td.path', { hasText: path }) }).first();
  await row.waitFor({ timeout: 1_000 });
  await row.click();
  await page.getByRole('heading', { level: 2 }).filter({ hasText: path.split('?')[0]! }).waitFor();
  return row;
}

describe('issue 20: the request inspector page', () => {
  it('the command line announces it, and it loads with no console errors', async () => {
    expect(gw.output()).toMatch(new RegExp(`^admin ${admin} · request inspector: ${admin}/`, 'm'));
    await expect(page.getByRole('heading', { name: 'localgw inspector' })).toBeDefined();
    expect(consoleErrors).toEqual([]);
  });

  it('a request made with undici appears within a second; opened, it shows the route story, the event and the response', async () => {
    const res = await http(`${gw.url}/items/42?view=full`, { headers: { origin: APP_ORIGIN } });
    expect(res.status).toBe(200);
    await openRow('/items/42?view=full');
    const detail = page.getByRole('region', { name: 'Request details' });
    await expect.poll(() => detail.innerText()).toContain('GET /items/{id} wins over ANY /items/{proxy+}: a full match beats a greedy variable');
    const text = await detail.innerText();
    expect(text).toContain('"rawPath": "/items/42"');
    expect(text).toContain('"pathParameters"');
    expect(text).toContain('listing items for');
    expect(text).toMatch(/Added by the gateway:[\s\S]*access-control-allow-origin: https:\/\/app\.example\.com/);
    expect(text).toMatch(/Removed by the gateway:[\s\S]*access-control-allow-origin: \*/);
    await page.screenshot({ path: join(shots, 'request.png'), fullPage: true });
  });

  it('a refused preflight shows its reason', async () => {
    // No route matches OPTIONS /nowhere, so the gateway answers the preflight itself (§2.3),
    // without CORS headers: DELETE is not in allowMethods.
    const refused = await http(`${gw.url}/nowhere`, { method: 'OPTIONS', headers: { origin: APP_ORIGIN, 'access-control-request-method': 'DELETE' } });
    expect(refused.status).toBe(204);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    await openRow('/nowhere');
    const detail = page.getByRole('region', { name: 'Request details' });
    await expect.poll(() => detail.innerText()).toMatch(/the gateway answered it, without CORS headers: .*DELETE/);
    await page.screenshot({ path: join(shots, 'preflight.png') });
  });

  it('a 401 shows the JWT reason', async () => {
    await http(`${gw.url}/me`, { headers: { authorization: 'Bearer not-a-jwt' } });
    await openRow('/me');
    const detail = page.getByRole('region', { name: 'Request details' });
    await expect.poll(() => detail.innerText()).toContain('Authorizer: main (JWT)');
    expect(await detail.innerText()).toMatch(/Denied: 401[\s\S]*token is not a JWT: it has 1 part/);
    await page.screenshot({ path: join(shots, 'unauthorized.png') });
  });

  it('replay sends the same request again: a new row', async () => {
    await http(`${gw.url}/items/99`);
    await openRow('/items/99');
    const rows = () => page.locator('tbody tr', { has: page.locator('td.path', { hasText: '/items/99' }) }).count();
    expect(await rows()).toBe(1);
    await page.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(rows, { timeout: 2_000 }).toBe(2);
  });

  it('the route table shows the trap warning of a config that has one', async () => {
    await page.getByRole('tab', { name: 'Routes' }).click();
    const panel = page.getByRole('tabpanel');
    await expect.poll(() => panel.innerText()).toContain('preflights will get 401');
    expect(await panel.locator('tr.trap').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'routes.png') });
    // Dark mode follows the system's.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(shots, 'routes-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    // Keyboard: arrows move between the tabs.
    await page.getByRole('tab', { name: 'Routes' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { selected: true }).innerText()).toBe('Reloads');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { selected: true }).innerText()).toBe('Functions');
    await expect.poll(() => panel.innerText()).toContain('handlers-api-items');
    await page.screenshot({ path: join(shots, 'functions.png') });
    expect(consoleErrors).toEqual([]);
  });
});
