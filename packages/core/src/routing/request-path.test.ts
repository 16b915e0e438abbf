import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequestPath, invalidPathReason, pathBeforeDecodedQuery } from './request-path.js';

/** What the pipeline does: the path part, then its decoded form (undefined: 400). */
const read = (rawPath: string) => decodeRequestPath(pathBeforeDecodedQuery(rawPath));

describe('§1.4 the live capture of encoded paths (July 2026), rules (a)–(d)', () => {
  it('(a) decodes the path twice', () => {
    expect(read('/capture/slash%252Fvalue')).toBe('/capture/slash/value');
    expect(read('/capture/question%253Fvalue')).toBe('/capture/question?value');
    expect(read('/capture/percent%2525value')).toBe('/capture/percent%value');
  });

  it('(b) a ? from the first decoding ends the path', () => {
    expect(pathBeforeDecodedQuery('/capture/question%3Fvalue')).toBe('/capture/question');
    expect(pathBeforeDecodedQuery('/capture/question%3fvalue/more%3Fx')).toBe('/capture/question');
    expect(read('/capture/question%3Fvalue')).toBe('/capture/question');
    // What follows the cut is not part of the path, so it cannot make the path invalid.
    expect(read('/a%3F%ZZ')).toBe('/a');
    // A ? from the second decoding is an ordinary character.
    expect(pathBeforeDecodedQuery('/a%253Fb')).toBe('/a%253Fb');
  });

  it('(c) refuses a path that is not valid percent-encoding once decoded', () => {
    expect(read('/capture/percent%25done')).toBeUndefined();
    expect(invalidPathReason('/capture/percent%25done')).toContain('once decoded');
  });

  it.each([
    ['a non-hex escape', '/%ZZ'],
    ['a lone %', '/100%'],
    ['a % before one hex digit', '/%A'],
    ['non-hex digits after valid escapes', '/%20/%zz'],
  ])('(c) refuses an invalid escape as sent [INF]: %s', (_name, raw) => {
    expect(read(raw)).toBeUndefined();
    expect(invalidPathReason(raw)).toBe('the path is not valid percent-encoding');
  });

  it('(d) decodes %20, %23, %2F and UTF-8 once, as before', () => {
    expect(read('/capture/space%20value')).toBe('/capture/space value');
    expect(read('/capture/hash%23value')).toBe('/capture/hash#value');
    expect(read('/capture/slash%2Fvalue')).toBe('/capture/slash/value');
    expect(read('/caf%C3%A9/%E2%82%AC/%F0%9F%98%80')).toBe('/café/€/😀');
    expect(read('/users/John%20Doe/orders/Summer%20Sale%202023')).toBe('/users/John Doe/orders/Summer Sale 2023');
    expect(read('/RSC/%40id%2Fassets%2Frsf0.js%23save.txt')).toBe('/RSC/@id/assets/rsf0.js#save.txt');
  });
});

describe('§1.4 decodeRequestPath, further cases', () => {
  it('returns a path without escapes as it is (the same string: nothing is built)', () => {
    const path = '/plain/path';
    expect(decodeRequestPath(path)).toBe(path);
    expect(pathBeforeDecodedQuery(path)).toBe(path);
  });

  it('accepts lower-case hex and keeps "+", the stage segment and the trailing slash', () => {
    expect(read('/caf%c3%a9')).toBe('/café');
    expect(read('/a+b')).toBe('/a+b');
    expect(read('/dev/thing/')).toBe('/dev/thing/');
  });

  it.each([
    ['a truncated UTF-8 sequence', '/%E2%82/%41', '/%E2%82/A'],
    ['a lone continuation byte', '/%80%C3%A9', '/%80é'],
    ['an overlong encoding', '/%C0%AF', '/%C0%AF'],
    ['an encoded surrogate', '/%ED%A0%80x', '/%ED%A0%80x'],
    ['a byte that never starts UTF-8', '/%FF%FE', '/%FF%FE'],
    ['bytes that become UTF-8 only once decoded', '/%C3%25A9', '/é'],
  ])('keeps escapes that are valid but not UTF-8 as written: %s', (_name, raw, decoded) => {
    expect(read(raw)).toBe(decoded);
  });

  it.each([
    ['a target that is not a path', '*', 'the request target is not a path'],
    ['an empty path', '', 'the request target is not a path'],
    ['a backslash', '/a\\b', 'a backslash in the path'],
  ])('refuses %s', (_name, raw, reason) => {
    expect(read(raw)).toBeUndefined();
    expect(invalidPathReason(raw)).toBe(reason);
  });

  it('an encoded backslash is an ordinary character', () => {
    expect(read('/a%5Cb')).toBe('/a\\b');
  });

  it('inverts encodeURIComponent applied twice, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(read(`/${encodeURIComponent(encodeURIComponent(text))}`)).toBe(`/${text}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('inverts encodeURIComponent applied once, for text without % or ?', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((t) => !t.includes('%') && !t.includes('?')), (text) => {
        expect(read(`/${encodeURIComponent(text)}`)).toBe(`/${text}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, and refuses exactly the paths with an invalid escape as sent or once decoded', () => {
    const strict = /^(?:[^%]|%[0-9A-Fa-f]{2})*$/;
    const piece = fc.constantFrom('%', '%2', '%20', '%25', '%2525', '%3F', '%C3', '%A9', '%E2', '%zz', 'a', 'd', '/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const path = pathBeforeDecodedQuery(`/${pieces.join('')}`);
        const once = strict.test(path) ? decodeURIComponentLoosely(path) : undefined;
        const valid = once !== undefined && strict.test(once);
        expect(decodeRequestPath(path) !== undefined).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Each `%XX` as its byte, each byte as Latin-1: enough to tell where the `%` of a decoded form are. */
function decodeURIComponentLoosely(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
