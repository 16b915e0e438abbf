import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { adminHost, defaultAdminPort } from '../start-gateway.js';
import { localOnly } from './guard.js';

// The admin server answers local clients only (DESIGN.md: loopback only, like the API).

const app = new Hono();
app.use(localOnly());
app.get('/v2/apis', (c) => c.json({ items: [] }));

const get = (headers: Record<string, string>) => app.request('http://127.0.0.1:3001/v2/apis', { headers });

describe('the admin server guard', () => {
  it('answers the AWS CLI and SDK: a loopback Host, no Origin', async () => {
    for (const host of ['127.0.0.1:3001', 'localhost:3001', '[::1]:3001', 'LOCALHOST:3001']) expect((await get({ host })).status).toBe(200);
  });

  it('refuses another Host (a rebound DNS name) and pages of other origins, as AccessDeniedException', async () => {
    const rebound = await get({ host: 'attacker.example:3001' });
    expect([rebound.status, rebound.headers.get('x-amzn-errortype')]).toEqual([403, 'AccessDeniedException']);
    expect((await get({ host: '127.0.0.1.attacker.example' })).status).toBe(403);
    expect((await get({ host: '127.0.0.1:3001', origin: 'http://localhost:3001' })).status).toBe(403);
    expect((await get({ host: '127.0.0.1:3001', origin: 'http://127.0.0.1:3001' })).status).toBe(200);
  });

  it('listens on loopback whatever the API binds, on the API port + 1 (any free one with port 0)', () => {
    expect([adminHost('0.0.0.0'), adminHost('192.168.1.5'), adminHost('::1'), adminHost('127.0.0.1')]).toEqual(['127.0.0.1', '127.0.0.1', '::1', '127.0.0.1']);
    expect([defaultAdminPort(3000), defaultAdminPort(0), defaultAdminPort(65535)]).toEqual([3001, 0, 0]);
  });
});
