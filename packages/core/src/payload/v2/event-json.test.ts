import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTraceId } from '../integration-headers.js';
import { arbitraryEventInput } from '../test-support/event-input-arbitrary.js';
import { EXAMPLE_EPOCH, makeInput, makeRequest, utf8 } from '../test-support/event-input.js';
import { serializeEventV2 } from './event-json.js';
import { buildEventV2 } from './event.js';

const TRACE = formatTraceId('JCJJxhz4PHcEJgQ=', EXAMPLE_EPOCH);

/** Parses the serialized event, checking on the way that it is the built event's JSON. */
function serialized(input: Parameters<typeof serializeEventV2>[0]) {
  const text = serializeEventV2(input);
  expect(text).toBe(JSON.stringify(buildEventV2(input)));
  return JSON.parse(text) as ReturnType<typeof buildEventV2>;
}

describe('serializeEventV2: the 2.0 event as JSON text', () => {
  it('is JSON.stringify(buildEventV2(input)), character for character, for random requests', () => {
    fc.assert(
      fc.property(arbitraryEventInput, (input) => {
        const text = serializeEventV2(input);
        expect(JSON.parse(text)).toStrictEqual(buildEventV2(input));
        // Array-index names ("0", "123") go first in an object; the serializer hands such maps
        // to JSON.stringify, so even then the text is the same.
        expect(text).toBe(JSON.stringify(buildEventV2(input)));
      }),
      { numRuns: 4000 },
    );
  });

  it('splits the Cookie headers out of headers into cookies (§4.1)', () => {
    const event = serialized(
      makeInput({ request: makeRequest({ rawHeaders: ['Cookie', 'session=abc123; theme=dark', 'Accept', '*/*', 'cookie', 'lang=en'] }) }),
    );
    expect(event.cookies).toStrictEqual(['session=abc123', 'theme=dark', 'lang=en']);
    expect(event.headers).toStrictEqual({ accept: '*/*', 'x-amzn-trace-id': TRACE, 'x-forwarded-for': '198.51.100.7' });
  });

  it('lower-cases header names and comma-joins repeats where the name was first seen (§4.1)', () => {
    const event = serialized(
      makeInput({ request: makeRequest({ rawHeaders: ['X-Custom', 'v1', 'Accept', '*/*', 'x-custom', 'v2', 'User-Agent', 'a', 'user-agent', 'b'] }) }),
    );
    expect(Object.entries(event.headers)).toStrictEqual([
      ['x-custom', 'v1,v2'],
      ['accept', '*/*'],
      ['user-agent', 'a,b'],
      ['x-amzn-trace-id', TRACE],
      ['x-forwarded-for', '198.51.100.7'],
    ]);
    expect(event.requestContext.http.userAgent).toBe('a,b');
  });

  it('leaves out cookies, queryStringParameters, pathParameters, stageVariables, authorizer and body when empty (§4.1)', () => {
    // An empty Cookie header gives no cookies; empty maps count as none.
    const input = makeInput({ request: makeRequest({ rawHeaders: ['Cookie', ' ; '] }), pathParameters: {}, stageVariables: {} });
    const text = serializeEventV2(input);
    expect(text).toBe(JSON.stringify(buildEventV2(input)));
    for (const field of ['cookies', 'queryStringParameters', 'pathParameters', 'stageVariables', 'authorizer', 'body']) {
      expect(text).not.toContain(`"${field}"`);
    }
    expect(text).not.toContain('null');
  });

  it('writes every optional field, in buildEventV2 order, when there is a value', () => {
    const event = serialized(
      makeInput({
        request: makeRequest({
          method: 'POST',
          rawQueryString: 'q=Hello%20World&tag=x&tag=y',
          rawHeaders: ['Content-Type', 'application/json', 'Cookie', 'a=1', 'X-Amzn-Trace-Id', 'Root=client', 'X-Forwarded-For', '10.0.0.1'],
          body: utf8('{"hello":"x"}'),
        }),
        routeKey: 'POST /items/{id}',
        pathParameters: { id: 'a b' },
        stage: 'dev',
        stageVariables: { env: 'dev' },
        authorizer: { jwt: { claims: { sub: 'u1' }, scopes: null } },
        forwarded: { port: '443', proto: 'https' },
      }),
    );
    expect(event).toMatchObject({
      cookies: ['a=1'],
      headers: { 'x-amzn-trace-id': 'Root=client', 'x-forwarded-for': '10.0.0.1, 198.51.100.7', 'x-forwarded-port': '443' },
      queryStringParameters: { q: 'Hello World', tag: 'x,y' },
      pathParameters: { id: 'a b' },
      stageVariables: { env: 'dev' },
      requestContext: { authorizer: { jwt: { claims: { sub: 'u1' }, scopes: null } } },
      body: '{"hello":"x"}',
      isBase64Encoded: false,
    });
  });

  it('escapes what JSON must: quotes, backslashes, control characters, lone surrogates', () => {
    const nasty = 'say "hi"\\ \n\t\u0000 \ud800 😀 \u2028';
    const event = serialized(
      makeInput({ request: makeRequest({ rawHeaders: [nasty, nasty, 'User-Agent', nasty], requestId: nasty }), routeKey: nasty, stage: nasty }),
    );
    expect(event.headers[nasty.toLowerCase()]).toBe(nasty);
    expect(event.requestContext.http.userAgent).toBe(nasty);
    expect(event.requestContext.requestId).toBe(nasty);
  });

  it('keeps object key order for array-index names: "0" and "123" before the others', () => {
    const event = serialized(
      makeInput({ request: makeRequest({ rawHeaders: ['X-B', '1', '123', 'x', '0', 'y'], rawQueryString: 'b=1&10=2&2=3' }) }),
    );
    expect(Object.keys(event.headers).slice(0, 3)).toStrictEqual(['0', '123', 'x-b']);
    expect(Object.keys(event.queryStringParameters ?? {})).toStrictEqual(['2', '10', 'b']);
  });

  it('is the same with many headers, past the linear fold', () => {
    const rawHeaders = Array.from({ length: 60 }, (_, i) => [`X-H${i % 30}`, `v${i}`]).flat();
    expect(serialized(makeInput({ request: makeRequest({ rawHeaders }) })).headers['x-h0']).toBe('v0,v30');
  });

  it('does not carry state from one request to the next', () => {
    const first = makeInput({ request: makeRequest({ rawHeaders: ['A', '1', 'B', '2', 'C', '3'], rawQueryString: 'x=1&y=2' }) });
    const second = makeInput({ request: makeRequest({ rawHeaders: ['A', '9'], rawQueryString: 'z=3' }) });
    serializeEventV2(first);
    expect(serialized(second).headers).toStrictEqual({ a: '9', 'x-amzn-trace-id': TRACE, 'x-forwarded-for': '198.51.100.7' });
    expect(serialized(first).queryStringParameters).toStrictEqual({ x: '1', y: '2' });
  });

  it('writes the same stage variables object the same way on every request', () => {
    const stageVariables = { env: 'dev', 'say "hi"': '\\' };
    expect(serialized(makeInput({ stageVariables })).stageVariables).toStrictEqual(stageVariables);
    expect(serialized(makeInput({ stageVariables })).stageVariables).toStrictEqual(stageVariables);
  });

  it('writes a verified token\'s (frozen, shared) claims the same way on every request, and other claims their own way (§3.4)', () => {
    const alice = Object.freeze({ sub: 'alice', scope: 'a b' });
    const bob = Object.freeze({ sub: 'bob' });
    for (const claims of [alice, bob, alice]) {
      const input = makeInput({ authorizer: { jwt: { claims, scopes: null } } });
      expect(serializeEventV2(input)).toBe(JSON.stringify(buildEventV2(input)));
    }
    const scoped = makeInput({ authorizer: { jwt: { claims: alice, scopes: ['a'] } } });
    expect(serializeEventV2(scoped)).toBe(JSON.stringify(buildEventV2(scoped)));
  });
});
