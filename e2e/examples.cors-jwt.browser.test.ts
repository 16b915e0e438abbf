import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser.js';
import { runCliAsync, startCli, waitForLogSequence, type RunningCli } from './helpers/cli.js';
import { tempProject } from './helpers/project.js';

// examples/cors-jwt as its README tells a user to run it: the example's config through the CLI,
// its page from serve-web.mjs (another origin), a token from `localgw token` pasted into the page,
// the buttons clicked in headless Chromium. The one change: the page server takes a free port, so
// its origin is added to the copied config's allowOrigins (the example lists 127.0.0.1:5173).

let browser: Browser;
let example: ReturnType<typeof tempProject>;
let web: { origin: string; child: ChildProcess };
let gw: RunningCli;
let page: Page;

function startWeb(cwd: string): Promise<{ origin: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['serve-web.mjs'], { cwd, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve-web.mjs did not start:\n${output}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /web page: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ origin: match[1]!, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve-web.mjs exited (${code}):\n${output}`)));
  });
}

async function token(args: string[]): Promise<string> {
  const res = await runCliAsync(['token', '--authorizer', 'main', ...args], { cwd: example.dir });
  if (res.code !== 0) throw new Error(`localgw token failed:\n${res.stderr}`);
  return res.stdout.trim();
}

/** Clicks a button on the page and returns what the page shows in its result panel. */
async function click(button: string): Promise<{ state: string; text: string }> {
  await page.click(button);
  const result = page.locator('#result:not([data-state="pending"])');
  await result.waitFor();
  return { state: (await result.getAttribute('data-state'))!, text: await result.innerText() };
}

beforeAll(async () => {
  example = tempProject({}, 'examples/cors-jwt');
  [browser, web] = await Promise.all([launchChromium(), startWeb(example.dir)]);
  const configFile = example.path('localgw.config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  config.cors.allowOrigins.push(web.origin);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  gw = await startCli(['--no-watch'], { cwd: example.dir });
  page = await browser.newPage();
  await page.goto(`${web.origin}/?api=${gw.url}`);
});

afterAll(async () => {
  await browser?.close();
  await gw?.stop();
  if (web && web.child.exitCode === null) {
    web.child.kill('SIGTERM');
    await new Promise((resolve) => web.child.once('exit', resolve));
  }
  example?.cleanup();
});

describe('examples/cors-jwt in a real browser', () => {
  it('starts without config warnings: the OPTIONS /{proxy+} route is there', () => {
    expect(gw.output()).not.toContain('warning');
  });

  it('without a token, the page reads the gateway\'s 401 (CORS headers on errors too)', async () => {
    const shown = await click('#get-item');
    expect(shown.state).toBe('done');
    expect(shown.text).toContain('401');
    expect(shown.text).toContain('{"message":"Unauthorized"}');
  });

  it('with a token from `localgw token`, GET /items/1 works: preflight via OPTIONS /{proxy+}, exposed header readable', async () => {
    await page.fill('#token', await token(['--scope', 'items/read items/write', '--sub', 'reader']));
    const shown = await click('#get-item');
    expect(shown).toEqual({ state: 'done', text: '200\nx-api-id: items-v1\n\n{"id":"1","name":"keyboard","price":49}' });
    await waitForLogSequence(gw, [/OPTIONS \/items\/1 → OPTIONS \/\{proxy\+\} · 204/, /GET \/items\/1 → GET \/items\/\{id\} · 200 · [\d.]+ ms · jwt main ✓ sub=reader/]);
  });

  it('DELETE (a preflighted method) and $default work with the same token', async () => {
    const deleted = await click('#delete-item');
    expect(deleted.state).toBe('done');
    expect(deleted.text).toContain('{"deleted":"2","by":"reader"}');
    const me = await click('#whoami');
    expect(me.state).toBe('done');
    expect(JSON.parse(me.text.split('\n\n')[1]!)).toMatchObject({ routeKey: '$default', path: '/me', claims: { sub: 'reader', scope: 'items/read items/write' } });
  });

  it('a token without the route\'s scope gets 403 {"message":"Forbidden"}', async () => {
    await page.fill('#token', await token([]));
    const shown = await click('#delete-item');
    expect(shown.text).toContain('403');
    expect(shown.text).toContain('{"message":"Forbidden"}');
  });
});
