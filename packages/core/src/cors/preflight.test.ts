import { describe, expect, it } from 'vitest';
import type { GatewayResponse } from '../http/gateway-responses.js';
import { compileCors } from './compile-cors.js';
import { checkPreflight, isPreflight, nonPreflightOptionsResponse, preflightResponse } from './preflight.js';
import type { CorsConfig } from './types.js';

const APP = 'http://localhost:4000';
const PREFLIGHT_VARY = 'origin, access-control-request-method, access-control-request-headers';

/** Headers as an object (names are unique in these responses), to compare whole sets. */
function headersOf(response: GatewayResponse): Record<string, string> {
  return Object.fromEntries(response.headers);
}

function preflight(config: CorsConfig, origin = APP, method = 'GET', requestHeaders?: string): GatewayResponse {
  return preflightResponse(compileCors(config), origin, method, requestHeaders);
}

const FULL: CorsConfig = {
  allowOrigins: [APP],
  allowMethods: ['POST', 'GET'],
  allowHeaders: ['testHeader'],
  allowCredentials: true,
  exposeHeaders: ['exposedHeader'],
  maxAge: 10,
};

describe('§2.3 automatic preflight: Trigger', () => {
  it('is OPTIONS with Origin and Access-Control-Request-Method', () => {
    expect(isPreflight('OPTIONS', APP, 'GET')).toBe(true);
  });

  it.each([
    ['OPTIONS', undefined, 'GET'],
    ['OPTIONS', APP, undefined],
    ['OPTIONS', undefined, undefined],
    ['GET', APP, 'GET'],
    ['options', APP, 'GET'],
  ])('is not %s with Origin %s and ACRM %s (§2.2)', (method, origin, requestMethod) => {
    expect(isPreflight(method, origin, requestMethod)).toBe(false);
  });
});

describe('§10 OPTIONS that is not a preflight (no Access-Control-Request-Method), no route', () => {
  it('is 204 with no header of its own: no CORS headers, no content-type, no Vary', () => {
    expect(nonPreflightOptionsResponse()).toEqual({ statusCode: 204, headers: [], body: '' });
    // A fresh response each time: the pipeline pushes apigw-requestid onto it.
    expect(nonPreflightOptionsResponse().headers).not.toBe(nonPreflightOptionsResponse().headers);
  });
});

describe('§2.3 automatic preflight: Status', () => {
  it('is 204 with an empty body when it matches', () => {
    const res = preflight(FULL);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  it('"Origin not allowed": still 204, empty body, no access-control-* header', () => {
    const res = preflight(FULL, 'http://localhost:3000');
    expect(res).toEqual({ statusCode: 204, headers: [['vary', PREFLIGHT_VARY]], body: '' });
  });
});

describe('§2.3 automatic preflight: full header set', () => {
  it('sends allow-origin, allow-credentials, allow-methods, allow-headers, max-age (no expose-headers)', () => {
    expect(headersOf(preflight(FULL))).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST,GET',
      'access-control-allow-headers': 'testHeader',
      'access-control-max-age': '10',
      vary: PREFLIGHT_VARY,
    });
  });

  it('"Access-Control-Allow-Credentials": only when configured', () => {
    const headers = headersOf(preflight({ allowOrigins: [APP], allowMethods: ['GET'] }));
    expect(headers).not.toHaveProperty('access-control-allow-credentials');
  });

  it('"Access-Control-Max-Age": only when set; -1 and 0 are sent as they are', () => {
    expect(headersOf(preflight({ allowOrigins: [APP], allowMethods: ['GET'] }))).not.toHaveProperty('access-control-max-age');
    expect(headersOf(preflight({ allowOrigins: [APP], allowMethods: ['GET'], maxAge: -1 }))['access-control-max-age']).toBe('-1');
    expect(headersOf(preflight({ allowOrigins: [APP], allowMethods: ['GET'], maxAge: 0 }))['access-control-max-age']).toBe('0');
  });

  it('"Access-Control-Allow-Headers": sent even when empty', () => {
    const res = preflight({ allowOrigins: [APP], allowMethods: ['*'] });
    expect(res.headers).toContainEqual(['access-control-allow-headers', '']);
  });
});

describe('§2.3 automatic preflight: Access-Control-Allow-Origin', () => {
  it('is the request origin for an explicit entry', () => {
    expect(headersOf(preflight({ allowOrigins: ['https://a.com', APP], allowMethods: ['GET'] }))['access-control-allow-origin']).toBe(APP);
  });

  it('§8.2: is one origin, never the configured list', () => {
    const res = preflight({ allowOrigins: ['https://a.com', 'https://b.com'], allowMethods: ['GET'] }, 'https://b.com');
    expect(res.headers.filter(([name]) => name === 'access-control-allow-origin')).toEqual([['access-control-allow-origin', 'https://b.com']]);
  });

  it('"http://*" echoes an http origin and refuses an https one (AWS-validated test_wildcard_origin)', () => {
    const config: CorsConfig = { allowOrigins: ['http://*'], allowMethods: ['*'] };
    expect(headersOf(preflight(config, 'http://localhost:4000'))['access-control-allow-origin']).toBe('http://localhost:4000');
    expect(headersOf(preflight(config, 'https://localhost:4000'))).toEqual({ vary: PREFLIGHT_VARY });
  });

  it('"https://*" echoes an https origin and refuses an http one', () => {
    const config: CorsConfig = { allowOrigins: ['https://*'], allowMethods: ['*'] };
    expect(headersOf(preflight(config, 'https://localhost:4000'))['access-control-allow-origin']).toBe('https://localhost:4000');
    expect(headersOf(preflight(config, 'http://localhost:4000'))).toEqual({ vary: PREFLIGHT_VARY });
  });

  it('"*" without credentials answers "*"', () => {
    expect(headersOf(preflight({ allowOrigins: ['*'], allowMethods: ['*'] }))).toMatchObject({
      'access-control-allow-origin': '*',
    });
  });

  it('"Origin case": a mixed-case entry matches the lower-case Origin browsers send', () => {
    const res = preflight({ allowOrigins: ['http://MyORIGIN.com'], allowMethods: ['*'] }, 'http://myorigin.com');
    expect(headersOf(res)['access-control-allow-origin']).toBe('http://myorigin.com');
  });
});

describe('§2.3 automatic preflight: Matching', () => {
  it('with only allowOrigins set, never matches (AWS-validated test_partial_cors_config_never_matches)', () => {
    expect(headersOf(preflight({ allowOrigins: [APP] }))).toEqual({ vary: PREFLIGHT_VARY });
  });

  it('refuses a method that is not in allowMethods', () => {
    expect(headersOf(preflight(FULL, APP, 'DELETE'))).toEqual({ vary: PREFLIGHT_VARY });
  });

  it('compares the requested method with the upper-cased allowMethods', () => {
    expect(headersOf(preflight({ allowOrigins: [APP], allowMethods: ['patch'] }, APP, 'PATCH'))).toHaveProperty('access-control-allow-methods', 'PATCH');
  });

  it('refuses when one requested header is not allowed (test,test2 against no allowHeaders)', () => {
    expect(headersOf(preflight({ allowOrigins: [APP], allowMethods: ['*'] }, APP, 'GET', 'test,test2'))).toEqual({ vary: PREFLIGHT_VARY });
    expect(headersOf(preflight(FULL, APP, 'GET', 'testHeader,other'))).toEqual({ vary: PREFLIGHT_VARY });
  });

  it('matches requested header names without case', () => {
    const config: CorsConfig = { allowOrigins: [APP], allowMethods: ['POST'], allowHeaders: ['Content-Type', 'authorization'] };
    for (const requested of ['content-type', 'Content-Type', 'CONTENT-TYPE', 'Authorization']) {
      expect(headersOf(preflight(config, APP, 'POST', requested))).toHaveProperty('access-control-allow-origin', APP);
    }
  });

  it('reads a comma/space-separated Access-Control-Request-Headers list', () => {
    const config: CorsConfig = { allowOrigins: [APP], allowMethods: ['POST'], allowHeaders: ['content-type', 'authorization', 'x-api-key'] };
    for (const requested of ['content-type,authorization', 'Content-Type, Authorization', ' content-type ,  x-api-key ', 'content-type,,authorization,', '']) {
      expect(headersOf(preflight(config, APP, 'POST', requested))).toHaveProperty('access-control-allow-origin', APP);
    }
    expect(headersOf(preflight(config, APP, 'POST', 'content-type, x-other'))).not.toHaveProperty('access-control-allow-origin');
  });

  it('matches everything with "*" methods and headers (AWS-validated options-req-cors-with-methods-with-header)', () => {
    const res = preflight({ allowOrigins: [APP], allowMethods: ['*'], allowHeaders: ['*'] }, APP, 'GET', 'test,test2');
    expect(headersOf(res)).toMatchObject({ 'access-control-allow-origin': APP });
  });
});

describe('§2.3 automatic preflight: "*" in allowMethods and allowHeaders', () => {
  it('echoes the requested method and headers, which browsers accept with and without credentials', () => {
    for (const allowCredentials of [false, true]) {
      const res = preflight({ allowOrigins: [APP], allowMethods: ['*'], allowHeaders: ['*'], allowCredentials }, APP, 'PUT', 'Authorization, X-Custom');
      expect(headersOf(res)).toMatchObject({
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'Authorization, X-Custom',
      });
    }
  });

  it('echoes an empty allow-headers when no headers were requested', () => {
    const res = preflight({ allowOrigins: [APP], allowMethods: ['*'], allowHeaders: ['*'] });
    expect(res.headers).toContainEqual(['access-control-allow-headers', '']);
  });

  it('"*" with origin "*" (no credentials possible) answers origin "*" and echoes the rest', () => {
    const res = preflight({ allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] }, 'https://x.example', 'DELETE', 'x-a');
    expect(headersOf(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'DELETE',
      'access-control-allow-headers': 'x-a',
      vary: PREFLIGHT_VARY,
    });
  });
});

describe('§2.3 automatic preflight: Vary (DEVIATION)', () => {
  it('is sent on every automatic preflight answer, matched or not', () => {
    expect(headersOf(preflight(FULL)).vary).toBe(PREFLIGHT_VARY);
    expect(headersOf(preflight(FULL, 'https://evil.example')).vary).toBe(PREFLIGHT_VARY);
  });
});

describe('checkPreflight explains a rejected preflight (for the request log)', () => {
  const cors = compileCors({ allowOrigins: ['https://app.example.com'], allowMethods: ['GET'], allowHeaders: ['authorization'] });
  it.each([
    ['https://evil.example.com', 'GET', undefined, 'origin https://evil.example.com is not in cors.allowOrigins'],
    ['https://app.example.com', 'DELETE', undefined, 'method DELETE is not in cors.allowMethods'],
    ['https://app.example.com', 'GET', 'authorization, x-secret', 'header x-secret is not in cors.allowHeaders'],
  ])('%s %s %s → %s', (origin, method, headers, reason) => {
    expect(checkPreflight(cors, origin, method, headers)).toEqual({ ok: false, reason });
  });
  it('§2.3 only allowOrigins configured: says allowMethods is missing', () => {
    expect(checkPreflight(compileCors({ allowOrigins: ['https://app.example.com'] }), 'https://app.example.com', 'GET', undefined)).toEqual({
      ok: false,
      reason: 'cors.allowMethods is not configured, so no preflight matches',
    });
  });
  it('a matching preflight gives the origin to allow', () => {
    expect(checkPreflight(cors, 'https://app.example.com', 'GET', 'Authorization')).toEqual({ ok: true, allowOrigin: 'https://app.example.com' });
  });
});
