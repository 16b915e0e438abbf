import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../create-gateway.js';
import { inspectorRoutes } from './routes.js';

// Issue 20: the inspector's HTTP side, called as the admin server would serve it.

let gw: Gateway;
let app: ReturnType<typeof inspectorRoutes>;

beforeAll(async () => {
  gw = await createGateway({
    config: {
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET'] },
      authorizers: { main: { type: 'jwt', issuer: 'https://issuer.example.com', audience: ['app'] } },
      routes: { 'GET /hello': { handler: async () => ({ statusCode: 200, body: 'hi' }) }, $default: { handler: async () => ({ statusCode: 404 }), authorizer: 'main' } },
    },
  });
  app = inspectorRoutes(gw, { apiUrl: () => 'http://127.0.0.1:3000' });
});
afterAll(() => gw?.close());

const send = (path: string, init: RequestInit = {}) => gw.fetch(new Request(`http://127.0.0.1:3000${path}`, init));

describe('issue 20: the inspector API', () => {
  it('serves the page, its script, its stylesheet and its icon', async () => {
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/inspector/app.js">');
    const script = await app.request('/inspector/app.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await app.request('/inspector/app.css')).status).toBe(200);
    expect((await app.request('/favicon.ico')).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('streams new requests while open, and records their full story meanwhile', async () => {
    const controller = new AbortController();
    const res = await app.request('/inspector/api/stream', { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    await readUntil(/event: hello/);
    expect(gw.inspector.active).toBe(true);
    await send('/hello');
    await readUntil(/event: request/);
    const summary = JSON.parse(/event: request\ndata: (.*)\n/.exec(text)![1]!);
    expect(summary).toMatchObject({ method: 'GET', path: '/hello', statusCode: 200, routeKey: 'GET /hello', detailed: true });
    const detail = (await (await app.request(`/inspector/api/requests/${summary.requestId}`)).json()) as any;
    expect(detail.route.selected).toBe('GET /hello');
    await reader.cancel();
    controller.abort();
    await expect.poll(() => gw.inspector.active).toBe(false);
  });

  it('lists requests newest first; one from before the page was open has its summary only', async () => {
    await send('/unwatched');
    const { requests } = (await (await app.request('/inspector/api/requests')).json()) as any;
    expect(requests[0]).toMatchObject({ path: '/unwatched', detailed: false });
    const detail = await app.request(`/inspector/api/requests/${requests[0].requestId}`);
    expect(await detail.json()).toMatchObject({ detailed: false, summary: { path: '/unwatched' } });
    expect((await app.request('/inspector/api/requests/nope')).status).toBe(404);
  });

  it('replays a recorded request: the same request again, a new row', async () => {
    const stop = gw.inspector.watch();
    try {
      await send('/hello?again=1', { headers: { 'x-test': 'yes' } });
      const original = gw.inspector.list()[0]!;
      const replayed = (await (await app.request(`/inspector/api/requests/${original.requestId}/replay`, { method: 'POST' })).json()) as any;
      expect(replayed.status).toBe(200);
      expect(replayed.requestId).not.toBe(original.requestId);
      const trace = gw.inspector.get(replayed.requestId)!;
      expect(trace.request).toMatchObject({ method: 'GET', rawPath: '/hello', rawQueryString: 'again=1' });
      expect(trace.request.headers).toContain('x-test');
    } finally {
      stop();
    }
  });

  it('the route table with the check warnings (the $default + authorizer preflight trap)', async () => {
    const table = (await (await app.request('/inspector/api/routes')).json()) as any;
    expect(table.apis[0].routes.map((r: { routeKey: string }) => r.routeKey)).toEqual(['GET /hello', '$default']);
    expect(table.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'routes.$default', message: expect.stringContaining('preflights will get 401') })]));
  });

  it('info, reloads and functions', async () => {
    expect(await (await app.request('/inspector/api/info')).json()).toEqual({ apiUrl: 'http://127.0.0.1:3000', capacity: 200 });
    await gw.reload({ handlers: false });
    expect(((await (await app.request('/inspector/api/reloads')).json()) as any).reloads[0]).toMatchObject({ ok: true });
    expect(await (await app.request('/inspector/api/functions')).json()).toEqual({ functions: [] });
  });
});
