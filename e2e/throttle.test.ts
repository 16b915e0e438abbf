import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from 'localgw';
import { http } from './helpers/http.js';

// aws-behavior.md §7.1 (issue 14): route and API-wide throttling with API Gateway's token bucket.

let gw: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  gw = await startGateway({
    port: 0,
    config: {
      cors: { allowOrigins: ['http://app.local'] },
      // Refills one request every 1000 s: within a test only the burst counts.
      throttle: { rateLimit: 0.001, burstLimit: 3 },
      routes: {
        'GET /default': { handler: async () => ({ statusCode: 200, body: 'ok' }) },
        'GET /other': { handler: async () => ({ statusCode: 200, body: 'ok' }) },
        'GET /tight': { handler: async () => ({ statusCode: 200, body: 'ok' }), throttle: { rateLimit: 0.001, burstLimit: 1 } },
      },
    },
  });
});
afterAll(() => gw?.close());

const statuses = async (path: string, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await http(gw.url + path, { headers: { origin: 'http://app.local' } })).status);
  return out;
};

describe('§7.1 throttling', () => {
  it('a route gets its burst, then 429 {"message":"Too Many Requests"} with apigw-requestid and CORS headers', async () => {
    expect(await statuses('/default', 3)).toEqual([200, 200, 200]);
    const res = await http(`${gw.url}/default`, { headers: { origin: 'http://app.local' } });
    expect(res.status).toBe(429);
    expect(res.json()).toEqual({ message: 'Too Many Requests' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['apigw-requestid']).toBeTruthy();
    expect(res.headers['access-control-allow-origin']).toBe('http://app.local');
  });

  it('the API-wide limits apply to each route on its own; a route\'s own limits win', async () => {
    expect(await statuses('/other', 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses('/tight', 2)).toEqual([200, 429]);
  });

  it('a reload starts the buckets afresh', async () => {
    expect((await gw.reload()).ok).toBe(true);
    expect(await statuses('/tight', 2)).toEqual([200, 429]);
  });
});
