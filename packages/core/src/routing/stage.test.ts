import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripStage } from './stage.js';

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
