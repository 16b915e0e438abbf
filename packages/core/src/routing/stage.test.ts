import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePath, stripStage } from './stage.js';

describe('§1.2 stages: routes match the path without the stage', () => {
  it('the $default stage has no prefix: the path is unchanged (§8.8)', () => {
    expect(stripStage('$default', '/items')).toBe('/items');
    expect(stripStage('$default', '/dev/items')).toBe('/dev/items');
    expect(stripStage('$default', '/')).toBe('/');
  });

  it('a named stage strips its segment', () => {
    expect(stripStage('dev', '/dev/items')).toBe('/items');
    expect(stripStage('dev', '/dev/items/a%2Fb/')).toBe('/items/a%2Fb/');
  });

  it('the stage root is "/", with or without a trailing slash', () => {
    expect(stripStage('dev', '/dev')).toBe('/');
    expect(stripStage('dev', '/dev/')).toBe('/');
  });

  it('a path outside the stage is undefined (the caller answers 404)', () => {
    expect(stripStage('dev', '/other')).toBeUndefined();
    expect(stripStage('dev', '/')).toBeUndefined();
    expect(stripStage('dev', '')).toBeUndefined();
    expect(stripStage('dev', 'dev/items')).toBeUndefined();
  });

  it('the stage must be a whole segment', () => {
    expect(stripStage('dev', '/devices')).toBeUndefined();
    expect(stripStage('dev', '/de')).toBeUndefined();
  });

  it('the stage segment is compared as sent: case-sensitive and not decoded', () => {
    expect(stripStage('dev', '/DEV/items')).toBeUndefined();
    expect(stripStage('dev', '/d%65v/items')).toBeUndefined();
  });

  it('strips exactly "/stage" from any path under it', () => {
    fc.assert(
      fc.property(fc.constantFrom('dev', 'prod', 'v1'), fc.string(), (stage, rest) => {
        expect(stripStage(stage, `/${stage}/${rest}`)).toBe(`/${rest}`);
        expect(stripStage(stage, `/x${stage}/${rest}`)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});

describe('§1.4 decodePath: rawPath in payload 2.0 is percent-decoded', () => {
  it('decodes spaces and UTF-8 (AWS capture)', () => {
    expect(decodePath('/users/John%20Doe/orders/Summer%20Sale%202023')).toBe('/users/John Doe/orders/Summer Sale 2023');
    expect(decodePath('/caf%C3%A9/%E2%82%AC/%F0%9F%98%80')).toBe('/café/€/😀');
  });

  it('decodes %2F, %23 and %40 too (captured event)', () => {
    expect(decodePath('/RSC/%40id%2Fassets%2Frsf0.js%23save.txt')).toBe('/RSC/@id/assets/rsf0.js#save.txt');
  });

  it('accepts lower-case hex', () => {
    expect(decodePath('/caf%c3%a9')).toBe('/café');
  });

  it('keeps "+" (form encoding does not apply to paths)', () => {
    expect(decodePath('/a+b')).toBe('/a+b');
  });

  it('keeps the stage segment and the trailing slash', () => {
    expect(decodePath('/dev/thing/')).toBe('/dev/thing/');
  });

  it('returns a path without escapes unchanged', () => {
    expect(decodePath('/plain/path')).toBe('/plain/path');
  });

  it.each([
    ['a lone %', '/100%', '/100%'],
    ['a % followed by one hex digit', '/%A', '/%A'],
    ['non-hex digits', '/%zz/%20', '/%zz/ '],
    ['a truncated UTF-8 sequence', '/%E2%82/%41', '/%E2%82/A'],
    ['a lone continuation byte', '/%80%C3%A9', '/%80é'],
    ['an overlong encoding', '/%C0%AF', '/%C0%AF'],
    ['an encoded surrogate', '/%ED%A0%80x', '/%ED%A0%80x'],
    ['a byte that never starts UTF-8', '/%FF%FE', '/%FF%FE'],
    ['a lead byte followed by ASCII', '/%E2%41', '/%E2A'],
    ['an escaped % before hex digits', '/%2541', '/%41'],
  ])('keeps malformed escapes as written: %s', (_name, raw, decoded) => {
    expect(decodePath(raw)).toBe(decoded);
  });

  it('inverts encodeURIComponent for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(decodePath(encodeURIComponent(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, and agrees with decodeURIComponent wherever that succeeds', () => {
    const piece = fc.constantFrom('%', '%2', '%20', '%C3', '%A9', '%E2', '%82', '%AC', '%F0', '%FF', '%zz', 'a', '/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const raw = pieces.join('');
        const decoded = decodePath(raw);
        let strict: string | undefined;
        try {
          strict = decodeURIComponent(raw);
        } catch {
          strict = undefined;
        }
        if (strict !== undefined) expect(decoded).toBe(strict);
        else expect(decoded).toContain('%');
      }),
      { numRuns: 1000 },
    );
  });
});
