import { describe, expect, it } from 'vitest';
import { gatewayResponse, type GatewayResponse } from '../http/gateway-responses.js';
import { compileCors } from './compile-cors.js';
import { applyCors, type CorsRequest } from './response-headers.js';
import type { CorsConfig } from './types.js';

const APP = 'http://localhost:4000';
const PREFLIGHT_VARY = 'origin, access-control-request-method, access-control-request-headers';

const CONFIG: CorsConfig = {
  allowOrigins: [APP],
  allowMethods: ['POST', 'GET'],
  allowHeaders: ['testHeader'],
  allowCredentials: true,
  exposeHeaders: ['exposedHeader'],
  maxAge: 10,
};

/** What an HTTP integration that sets its own CORS headers returns (LocalStack's fixture). */
function backendWithCors(): GatewayResponse {
  return {
    statusCode: 200,
    headers: [
      ['content-type', 'application/json'],
      ['Access-Control-Allow-Origin', 'https://localhost:3000'],
      ['access-control-allow-credentials', 'true'],
      ['x-trace', 'abc'],
      ['ACCESS-CONTROL-EXPOSE-HEADERS', 'X-My-Custom-Header, X-Another-Custom-Header'],
    ],
    body: '{}',
  };
}

function plain(): GatewayResponse {
  return { statusCode: 200, headers: [['content-type', 'text/plain']], body: 'ok' };
}

function request(partial: Partial<CorsRequest> = {}): CorsRequest {
  return { method: 'GET', origin: undefined, requestMethod: undefined, requestHeaders: undefined, ...partial };
}

const apply = (config: CorsConfig | undefined, req: CorsRequest, res: GatewayResponse) =>
  applyCors(config && compileCors(config), req, res);

describe('§2.2 when CORS headers are produced', () => {
  it('CORS not configured: the response is untouched, backend CORS headers pass through', () => {
    const res = backendWithCors();
    const before = structuredClone(res);
    expect(apply(undefined, request({ origin: APP }), res)).toEqual(before);
  });

  it('CORS configured: every access-control-* header from the backend is removed, whatever its case', () => {
    const res = apply(CONFIG, request({ origin: 'http://localhost:3000' }), backendWithCors());
    expect(res.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-trace', 'abc'],
      ['vary', 'origin'],
    ]);
  });

  it('CORS configured and no Origin: backend CORS headers removed, none added', () => {
    const res = apply(CONFIG, request(), backendWithCors());
    expect(res.headers.filter(([name]) => /^access-control-/i.test(name))).toEqual([]);
  });

  it('CORS configured: the backend\'s CORS headers are replaced by the configured ones', () => {
    const res = apply(CONFIG, request({ origin: APP }), backendWithCors());
    expect(res.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-trace', 'abc'],
      ['access-control-allow-origin', APP],
      ['access-control-allow-credentials', 'true'],
      ['access-control-expose-headers', 'exposedHeader'],
      ['vary', 'origin'],
    ]);
  });

  it('OPTIONS with Origin but without Access-Control-Request-Method is an ordinary request', () => {
    const res = apply(CONFIG, request({ method: 'OPTIONS', origin: APP }), plain());
    expect(Object.fromEntries(res.headers)).toEqual({
      'content-type': 'text/plain',
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'exposedHeader',
      vary: 'origin',
    });
  });
});

describe('§2.4 ordinary (non-preflight) CORS responses', () => {
  it('adds allow-origin, allow-credentials and expose-headers for an allowed origin, and no preflight headers', () => {
    const headers = Object.fromEntries(apply(CONFIG, request({ method: 'POST', origin: APP }), plain()).headers);
    expect(headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'exposedHeader',
    });
    expect(headers).not.toHaveProperty('access-control-allow-methods');
    expect(headers).not.toHaveProperty('access-control-max-age');
  });

  it('adds nothing but Vary for an origin that is not allowed (get-req-cors-not-ok)', () => {
    expect(apply(CONFIG, request({ origin: 'http://localhost:3000' }), plain()).headers).toEqual([
      ['content-type', 'text/plain'],
      ['vary', 'origin'],
    ]);
  });

  it('sends expose-headers joined, and leaves it out when none are configured', () => {
    const withExpose = apply({ allowOrigins: ['*'], exposeHeaders: ['Date', 'x-api-id'] }, request({ origin: APP }), plain());
    expect(withExpose.headers).toContainEqual(['access-control-expose-headers', 'Date,x-api-id']);
    const without = apply({ allowOrigins: ['*'] }, request({ origin: APP }), plain());
    expect(without.headers.map(([name]) => name)).not.toContain('access-control-expose-headers');
    expect(without.headers.map(([name]) => name)).not.toContain('access-control-allow-credentials');
  });

  it('answers "*" for a "*" origin', () => {
    expect(apply({ allowOrigins: ['*'] }, request({ origin: APP }), plain()).headers).toContainEqual(['access-control-allow-origin', '*']);
  });

  it('echoes an origin matched by "https://*"', () => {
    const res = apply({ allowOrigins: ['https://*'] }, request({ origin: 'https://app.test' }), plain());
    expect(res.headers).toContainEqual(['access-control-allow-origin', 'https://app.test']);
  });

  it('§8.2: sends exactly one allow-origin, the requesting origin', () => {
    const res = apply({ allowOrigins: ['https://a.com', 'https://b.com'] }, request({ origin: 'https://a.com' }), plain());
    expect(res.headers.filter(([name]) => name === 'access-control-allow-origin')).toEqual([['access-control-allow-origin', 'https://a.com']]);
  });

  it('adds CORS headers to gateway errors too (401, 403, 404, 500, 503)', () => {
    for (const key of ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'] as const) {
      const res = apply(CONFIG, request({ origin: APP }), gatewayResponse(key));
      expect(res.headers).toContainEqual(['access-control-allow-origin', APP]);
      expect(res.headers).toContainEqual(['content-type', 'application/json']);
    }
  });
});

describe('§2.4 routed OPTIONS preflight (a route matched the OPTIONS)', () => {
  const preflight = (partial: Partial<CorsRequest> = {}) =>
    request({ method: 'OPTIONS', origin: APP, requestMethod: 'GET', ...partial });

  it('gets the ordinary set plus allow-methods, allow-headers and max-age on top of the integration response', () => {
    const res = apply(CONFIG, preflight(), backendWithCors());
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{}');
    expect(res.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-trace', 'abc'],
      ['access-control-allow-origin', APP],
      ['access-control-allow-credentials', 'true'],
      ['access-control-expose-headers', 'exposedHeader'],
      ['access-control-allow-methods', 'POST,GET'],
      ['access-control-allow-headers', 'testHeader'],
      ['access-control-max-age', '10'],
      ['vary', PREFLIGHT_VARY],
    ]);
  });

  it('gets allow-headers even when empty (AWS-validated options-req-cors-with-methods)', () => {
    const res = apply({ allowOrigins: [APP], allowMethods: ['*'] }, preflight(), plain());
    expect(res.headers).toContainEqual(['access-control-allow-headers', '']);
    expect(res.headers).toContainEqual(['access-control-allow-methods', 'GET']);
  });

  it('with only allowOrigins set, never matches: no CORS headers (test_partial_cors_config_never_matches)', () => {
    const res = apply({ allowOrigins: [APP] }, preflight(), plain());
    expect(res.headers).toEqual([
      ['content-type', 'text/plain'],
      ['vary', PREFLIGHT_VARY],
    ]);
  });

  it('a requested header outside allowHeaders means no CORS headers (options-req-cors-with-methods-miss-header)', () => {
    const res = apply({ allowOrigins: [APP], allowMethods: ['*'] }, preflight({ requestHeaders: 'test,test2' }), plain());
    expect(res.headers.map(([name]) => name)).toEqual(['content-type', 'vary']);
  });

  it('a disallowed origin gets no CORS headers, and the integration response is kept', () => {
    const res = apply(CONFIG, preflight({ origin: 'http://localhost:3000' }), backendWithCors());
    expect(res.headers).toEqual([
      ['content-type', 'application/json'],
      ['x-trace', 'abc'],
      ['vary', PREFLIGHT_VARY],
    ]);
  });

  it('a 401 from an authorizer on the route still gets the CORS headers (§1.7)', () => {
    const res = apply(CONFIG, preflight(), gatewayResponse('UNAUTHORIZED'));
    expect(res.statusCode).toBe(401);
    expect(res.headers).toContainEqual(['access-control-allow-methods', 'POST,GET']);
  });
});

describe('Vary', () => {
  it('§10 "vary: origin" on a response to an allowed origin, as captured, the gateway\'s own 401 included', () => {
    expect(apply(CONFIG, request({ origin: APP }), plain()).headers).toContainEqual(['vary', 'origin']);
    expect(apply(CONFIG, request({ origin: APP }), gatewayResponse('UNAUTHORIZED')).headers).toEqual([
      ['content-type', 'application/json'],
      ['access-control-allow-origin', APP],
      ['access-control-allow-credentials', 'true'],
      ['access-control-expose-headers', 'exposedHeader'],
      ['vary', 'origin'],
    ]);
  });

  it('DEVIATION (unknown in AWS): also without an Origin header and for a refused origin', () => {
    expect(apply(CONFIG, request(), plain()).headers).toContainEqual(['vary', 'origin']);
    expect(apply(CONFIG, request({ origin: 'https://evil.example' }), plain()).headers).toContainEqual(['vary', 'origin']);
  });

  it('extends the backend\'s Vary instead of adding a second one', () => {
    const res: GatewayResponse = { statusCode: 200, headers: [['Vary', 'Accept-Encoding']], body: '' };
    expect(apply(CONFIG, request({ origin: APP }), res).headers.filter(([n]) => n.toLowerCase() === 'vary')).toEqual([['Vary', 'Accept-Encoding, origin']]);
  });

  it('does not repeat tokens the backend already varies on, in any case, in any of its Vary lines', () => {
    for (const varies of [['Origin, Accept'], ['accept', ' ORIGIN '], ['a,origin'], ['origin']]) {
      const res: GatewayResponse = { statusCode: 200, headers: varies.map((v): [string, string] => ['vary', v]), body: '' };
      expect(apply(CONFIG, request({ origin: APP }), res).headers.filter(([n]) => n === 'vary').map(([, v]) => v)).toEqual(varies);
    }
  });

  it('a token that only contains "origin" is not "origin"', () => {
    const res: GatewayResponse = { statusCode: 200, headers: [['vary', 'x-origin, origins']], body: '' };
    expect(apply(CONFIG, request({ origin: APP }), res).headers).toContainEqual(['vary', 'x-origin, origins, origin']);
  });

  it('adds only the missing preflight tokens', () => {
    const res: GatewayResponse = { statusCode: 200, headers: [['vary', 'Origin']], body: '' };
    const out = apply(CONFIG, request({ method: 'OPTIONS', origin: APP, requestMethod: 'GET' }), res);
    expect(out.headers.filter(([n]) => n === 'vary')).toEqual([['vary', 'Origin, access-control-request-method, access-control-request-headers']]);
  });

  it('leaves Vary: * alone', () => {
    const res: GatewayResponse = { statusCode: 200, headers: [['vary', '*']], body: '' };
    expect(apply(CONFIG, request({ origin: APP }), res).headers.filter(([n]) => n === 'vary')).toEqual([['vary', '*']]);
  });

  it('does not edit the backend\'s header pair object in place', () => {
    const pair: [string, string] = ['vary', 'Accept'];
    apply(CONFIG, request({ origin: APP }), { statusCode: 200, headers: [pair], body: '' });
    expect(pair).toEqual(['vary', 'Accept']);
  });
});

describe('applyCors on the hot path', () => {
  it('mutates response.headers in place and returns the same response', () => {
    const res = backendWithCors();
    const headers = res.headers;
    const out = apply(CONFIG, request({ origin: APP }), res);
    expect(out).toBe(res);
    expect(out.headers).toBe(headers);
  });
});
