import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRouteKey, ROUTE_METHODS } from './route-key.js';

function rejected(key: string) {
  const result = parseRouteKey(key);
  if (result.ok) throw new Error(`expected "${key}" to be rejected`);
  return { message: result.message, hint: result.hint };
}

describe('§1.1 route key syntax: valid keys', () => {
  it('parses $default', () => {
    expect(parseRouteKey('$default')).toStrictEqual({ ok: true, value: { kind: 'default', routeKey: '$default' } });
  });

  it('parses literals, a variable and a greedy variable', () => {
    expect(parseRouteKey('GET /users/{id}/files/{path+}')).toStrictEqual({
      ok: true,
      value: {
        kind: 'route',
        routeKey: 'GET /users/{id}/files/{path+}',
        method: 'GET',
        path: '/users/{id}/files/{path+}',
        segments: [
          { kind: 'literal', value: 'users' },
          { kind: 'param', name: 'id' },
          { kind: 'literal', value: 'files' },
          { kind: 'greedy', name: 'path' },
        ],
      },
    });
  });

  it('parses the root path as no segments', () => {
    expect(parseRouteKey('ANY /')).toMatchObject({ ok: true, value: { method: 'ANY', path: '/', segments: [] } });
  });

  it.each(ROUTE_METHODS)('accepts the method %s', (method) => {
    expect(parseRouteKey(`${method} /x`)).toMatchObject({ ok: true, value: { method } });
  });

  it('accepts variable names made of letters, digits, ".", "_" and "-"', () => {
    expect(parseRouteKey('GET /{a.B_c-9}')).toMatchObject({ ok: true, value: { segments: [{ kind: 'param', name: 'a.B_c-9' }] } });
  });

  it('accepts non-ASCII literals, compared decoded (§1.4)', () => {
    expect(parseRouteKey('GET /café')).toMatchObject({ ok: true, value: { segments: [{ kind: 'literal', value: 'café' }] } });
  });

  it('round-trips: the normalised routeKey is the key as written', () => {
    const segment = fc.oneof(fc.constantFrom('a', 'items', 'v1.0', 'x-y'), fc.constantFrom('{id}', '{name}'));
    fc.assert(
      fc.property(fc.constantFrom(...ROUTE_METHODS), fc.uniqueArray(segment, { maxLength: 4 }), fc.boolean(), (method, parts, greedy) => {
        const text = `${method} /${[...parts, ...(greedy ? ['{proxy+}'] : [])].join('/')}`;
        const parsed = parseRouteKey(text);
        expect(parsed.ok && parsed.value.routeKey).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('§1.1 route key syntax: rejected keys say how to fix them', () => {
  it('a greedy variable must be the last segment', () => {
    expect(rejected('ANY /files/{proxy+}/x')).toStrictEqual({
      message: 'greedy variable {proxy+} must be the last segment of the path',
      hint: 'use "ANY /files/{proxy+}"',
    });
  });

  it('a variable must fill a whole segment', () => {
    expect(rejected('GET /a/x{id}')).toStrictEqual({ message: 'path variable in "x{id}" must fill a whole segment', hint: 'use "GET /a/{id}"' });
    expect(rejected('GET /a/{id}.json').hint).toBe('use "GET /a/{id}"');
    expect(rejected('GET /a/{id').message).toBe('path variable in "{id" must fill a whole segment');
  });

  it('variable names must be non-empty and use the allowed characters', () => {
    for (const key of ['GET /{}', 'GET /{+}', 'GET /{a b}', 'GET /{a/b}', 'GET /{a+b}', 'GET /{é}']) {
      expect(parseRouteKey(key).ok, key).toBe(false);
    }
    expect(rejected('GET /{}').message).toBe('"{}" is not a valid path variable');
  });

  it('a variable name may appear only once', () => {
    expect(rejected('GET /{id}/x/{id}')).toStrictEqual({
      message: 'path variable {id} appears more than once in "/{id}/x/{id}"',
      hint: 'give each variable its own name',
    });
    expect(parseRouteKey('GET /{id}/{id+}').ok).toBe(false);
  });

  it('methods must be upper-case, with the upper-case form as the hint', () => {
    expect(rejected('get /items')).toStrictEqual({ message: 'method "get" must be upper-case', hint: 'use "GET /items"' });
    expect(rejected('Any /x').hint).toBe('use "ANY /x"');
  });

  it('unknown methods list the valid ones', () => {
    expect(rejected('FETCH /items')).toStrictEqual({
      message: '"FETCH" is not a method a route can use',
      hint: 'use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY',
    });
  });

  it('the path must start with "/"', () => {
    expect(rejected('GET items')).toStrictEqual({ message: 'path "items" must start with "/"', hint: 'use "GET /items"' });
  });

  it('a path alone has no method', () => {
    expect(rejected('/items').message).toBe('route key "/items" has no method');
    expect(rejected('/items').hint).toContain('"ANY /items"');
  });

  it('exactly one space separates method and path', () => {
    expect(rejected('GET  /items')).toStrictEqual({
      message: 'a route key has exactly one space, between the method and the path',
      hint: 'use "GET /items"',
    });
    expect(rejected('GET /a b').hint).toBe('e.g. "GET /items/{id}"');
    expect(parseRouteKey('GET\t/items').ok).toBe(false);
  });

  it('leading or trailing whitespace is refused', () => {
    expect(rejected(' GET /items ')).toStrictEqual({ message: 'route key " GET /items " has leading or trailing whitespace', hint: 'use "GET /items"' });
    expect(rejected('GET ').hint).toBeUndefined();
  });

  it('empty segments are refused, except the root path', () => {
    expect(rejected('GET /items/')).toStrictEqual({
      message: 'path "/items/" has an empty segment (a doubled or trailing "/")',
      hint: 'use "GET /items"',
    });
    expect(rejected('GET //').hint).toBe('use "GET /"');
    expect(rejected('GET /a//b').hint).toBe('use "GET /a/b"');
  });

  it('"%", "?", "#" and control characters are refused in literals', () => {
    expect(rejected('GET /caf%C3%A9').hint).toContain('write the character itself');
    expect(rejected('GET /a?b').message).toBe('path segment "a?b" contains "?"');
    expect(rejected('GET /a#b').message).toBe('path segment "a#b" contains "#"');
    expect(rejected('GET /a\u0000').message).toBe('path segment "a\u0000" contains "\\u0000"');
  });

  it('$default is spelled exactly', () => {
    expect(rejected('$DEFAULT')).toStrictEqual({ message: '"$DEFAULT" is not a route key', hint: 'the catch-all route is spelled "$default"' });
    expect(rejected('default').hint).toBe('the catch-all route is spelled "$default"');
    expect(rejected('items').hint).toBe('write "$default" or "METHOD /path", e.g. "GET /items/{id}"');
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('G', 'E', 'T', ' ', '/', '{', '}', '+', 'a', '%', '$') }), (text) => {
        const result = parseRouteKey(text);
        if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
