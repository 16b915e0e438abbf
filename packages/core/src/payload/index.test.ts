import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { gatewayResponse } from '../http/gateway-responses.js';
import { PAYLOAD_FORMATS, type PayloadFormatVersion } from './index.js';
import { makeInput, makeRequest } from './test-support/event-input.js';

// One contract, two implementations: the rules §4.4 and §4.5 share run against both formats.
const VERSIONS = Object.keys(PAYLOAD_FORMATS) as PayloadFormatVersion[];

describe.each(VERSIONS)('§4 payload format %s: shared rules', (version) => {
  const { buildEvent, mapResult } = PAYLOAD_FORMATS[version];

  it('events carry their version', () => {
    expect(buildEvent(makeInput()).version).toBe(version);
  });

  it('events are plain JSON data', () => {
    const event = buildEvent(makeInput({ request: makeRequest({ rawQueryString: 'a=1', body: Uint8Array.of(1) }) }));
    expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
  });

  it.each([
    ['{"statusCode":0}', 'statusCode 0'],
    ['{"statusCode":200.5}', 'statusCode 200.5'],
    ['{"statusCode":200,"body":[1]}', 'a non-string body'],
  ])('%s → 500 (%s)', (payload) => {
    expect(mapResult(payload)).toStrictEqual(gatewayResponse('INTERNAL_SERVER_ERROR'));
  });

  it('a structured response without content-type defaults to text/plain; charset=utf-8', () => {
    expect(mapResult('{"statusCode":418,"headers":{"X-A":"b"},"body":"short"}')).toStrictEqual({
      statusCode: 418,
      headers: [
        ['X-A', 'b'],
        ['content-type', 'text/plain; charset=utf-8'],
      ],
      body: 'short',
    });
  });

  it('isBase64Encoded: true sends the decoded bytes', () => {
    expect(mapResult('{"statusCode":200,"isBase64Encoded":true,"body":"aGk="}').body).toEqual(Uint8Array.of(104, 105));
  });
});

describe('§4 PAYLOAD_FORMATS', () => {
  it('has exactly the versions HTTP APIs support', () => {
    expect(VERSIONS).toStrictEqual(['1.0', '2.0']);
  });

  it('differs where AWS differs: a bare JSON string is 200 in 2.0 and 500 in 1.0', () => {
    expect(PAYLOAD_FORMATS['2.0'].mapResult('"hi"').statusCode).toBe(200);
    expect(PAYLOAD_FORMATS['1.0'].mapResult('"hi"').statusCode).toBe(500);
  });
});

describe.each(VERSIONS)('issue 13 item 8: names an object already has, in a %s event (property)', (version) => {
  const { buildEvent } = PAYLOAD_FORMATS[version];
  const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', 'propertyIsEnumerable'];
  const value = fc.stringMatching(/^[\w.-]{0,8}$/);
  // Distinct names, so each one's value is known; sent in any case.
  const entries = fc.uniqueArray(fc.tuple(fc.constantFrom(...INHERITED), value), { selector: ([name]) => name, maxLength: INHERITED.length });
  const own = (map: unknown, key: string) => typeof map === 'object' && map !== null && Object.hasOwn(map, key) ? (map as Record<string, unknown>)[key] : undefined;

  it('headers, cookies, query, path parameters and stage variables keep them as own keys, as JSON.parse would', () => {
    fc.assert(
      fc.property(entries, entries, entries, entries, entries, fc.boolean(), (headers, cookies, query, path, stage, upper) => {
        const sentName = (name: string) => (upper ? name.toUpperCase() : name);
        const rawHeaders = headers.flatMap(([name, v]) => [sentName(name), v]);
        if (cookies.length) rawHeaders.push('Cookie', cookies.map(([k, v]) => `${k}=${v}`).join('; '));
        const rawQueryString = query.map(([k, v]) => `${k}=${v}`).join('&');
        const event = buildEvent(
          makeInput({
            request: makeRequest({ rawHeaders, rawQueryString }),
            routeKey: 'GET /x/{id}',
            pathParameters: path.length ? Object.fromEntries(path) : undefined,
            stageVariables: stage.length ? Object.fromEntries(stage) : undefined,
          }),
        ) as unknown as Record<string, unknown>;
        // What a handler receives: the event as JSON, parsed. Building must already be that.
        // (Node's strict check: vitest's compares an own `constructor` key as if it were a class.)
        deepStrictEqual(event, JSON.parse(JSON.stringify(event)));
        for (const [name, v] of headers) expect(own(event.headers, version === '2.0' ? name.toLowerCase() : sentName(name))).toBe(v);
        if (version === '2.0') expect(event.cookies).toEqual(cookies.length ? cookies.map(([k, v]) => `${k}=${v}`) : undefined);
        for (const [k, v] of query) expect(own(event.queryStringParameters, k)).toBe(v);
        for (const [k, v] of path) expect(own(event.pathParameters, k)).toBe(v);
        for (const [k, v] of stage) expect(own(event.stageVariables, k)).toBe(v);
        // Nothing else under those names, and no map took on another prototype.
        for (const field of ['headers', 'queryStringParameters', 'pathParameters', 'stageVariables'] as const) {
          const map = event[field];
          if (map === null || map === undefined) continue;
          expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
          const sent = new Set({ headers: headers.map(([n]) => (version === '2.0' ? n : sentName(n))), queryStringParameters: query.map(([n]) => n), pathParameters: path.map(([n]) => n), stageVariables: stage.map(([n]) => n) }[field]);
          for (const name of INHERITED) if (!sent.has(name)) expect(Object.hasOwn(map, name)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
