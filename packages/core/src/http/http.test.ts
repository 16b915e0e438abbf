import { describe, expect, it } from 'vitest';
import { formatRequestId, REQUEST_ID_BYTES } from './request-id.js';
import { gatewayResponse, setRequestId } from './gateway-responses.js';
import { getFirstHeader, getHeader } from './gateway-request.js';

describe('§4.1 request ids', () => {
  it('have the 16-character base64 shape of AWS ids (JCJSViW5PHcESow=)', () => {
    const bytes = new Uint8Array(REQUEST_ID_BYTES).map((_, i) => i * 23 + 1);
    const id = formatRequestId(bytes);
    expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    // Same bytes, same id as the platform's base64 (checked against a known vector).
    expect(formatRequestId(new Uint8Array([0x24, 0x22, 0x52, 0x56, 0x25, 0xb9, 0x3c, 0x77, 0x04, 0x4a, 0x8c]))).toBe('JCJSViW5PHcESow=');
  });

  it('§10 use the URL-safe alphabet, as captured ids do (JCJp2jd_vHcEPSQ=, WSgv-h3yFiAEJBA=)', () => {
    expect(formatRequestId(Uint8Array.of(36, 34, 105, 218, 55, 127, 188, 119, 4, 61, 36))).toBe('JCJp2jd_vHcEPSQ=');
    expect(formatRequestId(Uint8Array.of(89, 40, 47, 250, 29, 242, 22, 32, 4, 36, 16))).toBe('WSgv-h3yFiAEJBA=');
    // Every byte value, in every position: never `+` or `/`.
    for (let byte = 0; byte < 256; byte++) expect(formatRequestId(new Uint8Array(REQUEST_ID_BYTES).fill(byte))).toMatch(/^[A-Za-z0-9_-]{15}=$/);
  });
});

describe('§7.1 gateway responses', () => {
  it.each([
    ['BAD_REQUEST', 400, '{"message":"Bad Request"}'],
    ['UNAUTHORIZED', 401, '{"message":"Unauthorized"}'],
    ['FORBIDDEN', 403, '{"message":"Forbidden"}'],
    ['NOT_FOUND', 404, '{"message":"Not Found"}'],
    ['REQUEST_TOO_LARGE', 413, '{"message":"Request Entity Too Large"}'],
    ['INTERNAL_SERVER_ERROR', 500, '{"message":"Internal Server Error"}'],
    ['SERVICE_UNAVAILABLE', 503, '{"message":"Service Unavailable"}'],
  ] as const)('%s → %i %s with application/json', (key, status, body) => {
    const response = gatewayResponse(key);
    expect(response.statusCode).toBe(status);
    expect(response.body).toBe(body);
    expect(response.headers).toEqual([['content-type', 'application/json']]);
  });

  it('§3.3 Unauthorized has Content-Length 26, Internal Server Error 35', () => {
    expect(new TextEncoder().encode(gatewayResponse('UNAUTHORIZED').body as string).length).toBe(26);
    expect(new TextEncoder().encode(gatewayResponse('INTERNAL_SERVER_ERROR').body as string).length).toBe(35);
  });

  it('each call returns a fresh headers array (pipeline steps append to it)', () => {
    const a = gatewayResponse('NOT_FOUND');
    a.headers.push(['x', 'y']);
    expect(gatewayResponse('NOT_FOUND').headers).toHaveLength(1);
  });
});

describe('§7.2 setRequestId: the gateway owns apigw-requestid', () => {
  it("drops a handler's own values, in any case, and adds the gateway's once", () => {
    const response = { statusCode: 200, body: '', headers: [['Apigw-RequestId', 'FAKE'], ['x-a', '1'], ['apigw-requestid', 'FAKE2']] as Array<[string, string]> };
    setRequestId(response, 'JCJp2jd_vHcEPSQ=');
    expect(response.headers).toEqual([['x-a', '1'], ['apigw-requestid', 'JCJp2jd_vHcEPSQ=']]);
  });
});

describe('getHeader', () => {
  it('is case-insensitive and comma-joins repeats (§4.1)', () => {
    const raw = ['Host', 'a', 'X-Custom', 'v1', 'x-custom', 'v2'];
    expect(getHeader(raw, 'x-CUSTOM')).toBe('v1,v2');
    expect(getHeader(raw, 'host')).toBe('a');
    expect(getHeader(raw, 'origin')).toBeUndefined();
  });
});

describe('getFirstHeader', () => {
  it('is case-insensitive and keeps the first of repeats, as node:http does for Host', () => {
    const raw = ['HOST', 'a', 'X-Custom', 'v1', 'host', 'b', 'x-custom', 'v2'];
    expect(getFirstHeader(raw, 'host')).toBe('a');
    expect(getFirstHeader(raw, 'x-custom')).toBe('v1');
    expect(getFirstHeader(raw, 'content-length')).toBeUndefined();
    // A name of the same length that differs is not a match.
    expect(getFirstHeader(['Hosx', 'c'], 'host')).toBeUndefined();
  });
});
