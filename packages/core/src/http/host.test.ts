import { describe, expect, it } from 'vitest';
import { parseHost } from './host.js';

describe('parseHost: the Host header as the event reads it (§4.1, item 17)', () => {
  it.each([
    ['api.example.test:3000', 'api', '3000'],
    ['api.example.test', 'api', undefined],
    ['API.Example.test:8080', 'API', '8080'],
    ['localhost:3000', 'localhost', '3000'],
    ['127.0.0.1:54321', '127', '54321'],
    ['[::1]:3000', '[::1]', '3000'],
    ['[2001:db8::1]', '[2001:db8::1]', undefined],
    ["a-b_c~d!e$f&g'h(i)j*k+l;m=n", "a-b_c~d!e$f&g'h(i)j*k+l;m=n", undefined],
  ])('%s: domainName as sent, prefix %s, port %s', (value, domainPrefix, port) => {
    expect(parseHost(value)).toStrictEqual({ domainName: value, domainPrefix, port });
  });

  it.each([
    ['a space', 'a b'],
    ['an empty value', ''],
    ['only a port', ':3000'],
    ['an empty port', 'host:'],
    ['a port that is not digits', 'host:80a'],
    ['a port of six digits', 'host:123456'],
    ['two Host lines joined', 'a.test,b.test'],
    ['user info', 'user@host'],
    ['a path', 'host/path'],
    ['a backslash', 'host\\x'],
    ['a percent sign', 'ho%73t'],
    ['a non-ASCII letter', 'bücher.test'],
    ['an unclosed IPv6 literal', '[::1'],
    ['an empty IPv6 literal', '[]'],
    ['text after an IPv6 literal', '[::1]x'],
    ['a name inside brackets', '[host]'],
  ])('refuses %s', (_name, value) => {
    expect(parseHost(value)).toBeUndefined();
  });
});
