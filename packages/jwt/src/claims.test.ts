import { describe, expect, it } from 'vitest';
import { toEventClaims } from './claims.js';

describe('§3.4 every claim value is a string', () => {
  it('renders the measured shapes', () => {
    expect(
      toEventClaims({
        sub: 'u1',
        exp: 1787996002,
        email_verified: true,
        'cognito:groups': ['admin', 'poweruser'],
        scope: 'a/read a/write',
        gone: null,
        address: { street: 'x', zip: 1 },
      }),
    ).toEqual({
      sub: 'u1',
      exp: '1787996002',
      email_verified: 'true',
      'cognito:groups': '[admin poweruser]',
      scope: 'a/read a/write',
      address: '{"street":"x","zip":1}',
    });
  });

  it('arrays of non-strings and nested arrays keep the bracket form', () => {
    expect(toEventClaims({ a: [1, true, ['x', 'y']], b: [], c: [{ k: 1 }] })).toEqual({ a: '[1 true [x y]]', b: '[]', c: '[{"k":1}]' });
  });

  it('false and 0 are kept, not dropped', () => {
    expect(toEventClaims({ f: false, z: 0, e: '' })).toEqual({ f: 'false', z: '0', e: '' });
  });
});
