import { compileRoutes, decodeRequestPath, parseRouteKey, pathBeforeDecodedQuery, type CompiledRoute } from '@localgw/core';
import { describe, expect, it } from 'vitest';
import { targetUrl } from './http-proxy.js';

/** The backend URL for `rawPath` on `routeKey`, going through what the pipeline does first. */
function target(routeKey: string, template: string, rawPath: string, rawQueryString = ''): string {
  const parsed = parseRouteKey(routeKey);
  if (!parsed.ok) throw new Error(parsed.message);
  const path = pathBeforeDecodedQuery(rawPath);
  expect(decodeRequestPath(path)).toBeDefined();
  const match = compileRoutes([{ key: parsed.value, target: {} as CompiledRoute }]).match('GET', path)!;
  return targetUrl(template, match, path, rawQueryString);
}

describe('§6.1 HTTP proxy target: the path as API Gateway decoded it (§1.4)', () => {
  it('$default: decodes the path twice and re-encodes each segment for the backend', () => {
    expect(target('$default', 'http://b', '/a%2520b/c%252Fd')).toBe('http://b/a%20b/c%2Fd');
    expect(target('$default', 'http://b', '/a%20b/c%2Fd')).toBe('http://b/a%20b/c%2Fd');
    expect(target('$default', 'http://b', '/caf%C3%A9')).toBe('http://b/caf%C3%A9');
  });

  it('$default: the path ends at a ? the first decoding makes; the query string is forwarded whole', () => {
    expect(target('$default', 'http://b', '/question%3Fvalue', 'q=1')).toBe('http://b/question?q=1');
    expect(target('$default', 'http://b', '/question%253Fvalue')).toBe('http://b/question%3Fvalue');
  });

  it('$default: pchar characters travel as written, a decoded backslash or # stays in its segment', () => {
    expect(target('$default', 'http://b', "/users/me@x.com/a:b;c=d,e+f$g&h!'()*~")).toBe("http://b/users/me@x.com/a:b;c=d,e+f$g&h!'()*~");
    expect(target('$default', 'http://b', '/a%5C..%5Cb/c%23d')).toBe('http://b/a%5C..%5Cb/c%23d');
  });

  it('$default: dot segments, encoded once or twice, cannot climb above the base', () => {
    expect(target('$default', 'http://b/base', '/x/%2E%2E/%252E%252E/%252e%252e/secret')).toBe('http://b/base/secret');
  });

  it('variables carry their twice-decoded values', () => {
    expect(target('GET /items/{id}', 'http://b/v1/items/{id}', '/items/a%252Fb')).toBe('http://b/v1/items/a%2Fb');
    expect(target('ANY /api/{proxy+}', 'http://b/v1/{proxy}', '/api/a%2520b/c')).toBe('http://b/v1/a%20b/c');
    expect(target('ANY /api/{proxy+}', 'http://b/v1/{proxy}', '/api/a/b%3F/c')).toBe('http://b/v1/a/b');
  });
});
