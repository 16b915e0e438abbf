import { accessSync, constants } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// A real browser for the CORS tests: Debian's `chromium` (installed by scripts/ensure-chromium.mjs,
// which `npm test` runs), driven by playwright-core, which ships no browser of its own.

const isExecutable = (file: string) => {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

// The same search as scripts/ensure-chromium.mjs (keep the two in step).
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const FIXED_PATHS: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], process.env.LOCALAPPDATA]
    .filter((dir): dir is string => Boolean(dir))
    .map((dir) => join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe')),
};

/** CHROMIUM_PATH, then Chromium or Chrome on PATH, then the usual install folders. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of NAMES) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      for (const suffix of suffixes) if (dir && isExecutable(join(dir, name + suffix))) return join(dir, name + suffix);
    }
  }
  const fixed = (FIXED_PATHS[process.platform] ?? []).find(isExecutable);
  if (fixed) return fixed;
  throw new Error('No Chromium found for the browser tests. Run `node scripts/ensure-chromium.mjs` (npm test does), or set CHROMIUM_PATH.');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

/**
 * The page's own script: `window.callApi(url, init, readHeaders)` calls the API with `fetch` and
 * returns what the script could see: status, body and the named response headers (`null` when the
 * browser hides them), or the error `fetch` rejected with when the browser blocked the exchange.
 */
const PAGE_SCRIPT = `
window.callApi = async (url, init, readHeaders) => {
  try {
    const res = await fetch(url, init);
    const headers = {};
    for (const name of readHeaders || []) headers[name] = res.headers.get(name);
    return { ok: true, status: res.status, body: await res.text(), headers };
  } catch (error) {
    return { ok: false, error: error.name + ': ' + error.message };
  }
};
`;

export const PAGE_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>localgw CORS test page</title>
<script>${PAGE_SCRIPT}</script></head><body><p>localgw CORS test page</p></body></html>`;

export interface PageServer {
  /** `http://127.0.0.1:PORT`: the page's origin, as the browser sends it in `Origin`. */
  origin: string;
  close(): Promise<void>;
}

/**
 * A tiny static site on 127.0.0.1 (port 0): every GET answers `html`. Another port is another
 * origin, so a page from here calling the gateway is a cross-origin request.
 */
export async function startPageServer(html = PAGE_HTML): Promise<PageServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type BrowserFetchResult =
  | { ok: true; status: number; body: string; headers: Record<string, string | null> }
  | { ok: false; error: string };

/** The subset of `RequestInit` the page script passes to `fetch`. */
export interface PageFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
}

/** Has the page's own script call `url` and returns what that script saw. */
export function browserFetch(page: Page, url: string, init: PageFetchInit = {}, readHeaders: string[] = []): Promise<BrowserFetchResult> {
  return page.evaluate(
    ([u, i, h]) => (globalThis as unknown as { callApi(...a: unknown[]): Promise<BrowserFetchResult> }).callApi(u, i, h),
    [url, init, readHeaders] as const,
  );
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console messages so far; Chromium explains every CORS block there ("…blocked by CORS policy: …"). */
  console: string[];
  close(): Promise<void>;
}

/** A fresh browser context (own cookies, own preflight cache) with the page at `url` loaded. */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  await page.goto(url);
  return { page, context, console: messages, close: () => context.close() };
}
