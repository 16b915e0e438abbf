import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from 'localgw';
import { fileURLToPath } from 'node:url';

// The pattern to copy: one gateway per test file, real HTTP, tokens minted by the gateway.
let gw: RunningGateway;

beforeAll(async () => {
  gw = await startGateway({ config: fileURLToPath(new URL('../localgw.config.ts', import.meta.url)), port: 0 });
});
afterAll(() => gw?.close());

describe('orders API', () => {
  it('is healthy without a token', async () => {
    const res = await fetch(`${gw.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('rejects requests without a token, like API Gateway', async () => {
    const res = await fetch(`${gw.url}/me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
  });

  it('passes the verified claims to the handler', async () => {
    const token = await gw.token({ sub: 'alice', claims: { 'cognito:groups': ['admin', 'ops'] } });
    const res = await fetch(`${gw.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({ sub: 'alice', groups: '[admin ops]' });
  });

  it('enforces route scopes: 403 without, 201 with', async () => {
    const body = JSON.stringify({ item: 'book' });
    const readOnly = await gw.token({ sub: 'bob', scope: 'orders/read' });
    const denied = await fetch(`${gw.url}/orders`, { method: 'POST', body, headers: { authorization: `Bearer ${readOnly}` } });
    expect(denied.status).toBe(403);

    const writer = await gw.token({ sub: 'bob', scope: 'orders/read orders/write', preset: 'cognito-access' });
    const created = await fetch(`${gw.url}/orders`, { method: 'POST', body, headers: { authorization: `Bearer ${writer}` } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ item: 'book', by: 'bob' });
  });
});
