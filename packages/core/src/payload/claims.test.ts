import { describe, expect, it } from 'vitest';
import { toEventClaims } from './claims.js';

describe('§3.4 claims in the integration event are strings', () => {
  it('keeps strings as they are', () => {
    expect(toEventClaims({ sub: 'u1', scope: 'read write' })).toStrictEqual({ sub: 'u1', scope: 'read write' });
  });

  it('stringifies numbers and booleans ("exp": "1787996002", "email_verified": "true")', () => {
    expect(toEventClaims({ exp: 1787996002, email_verified: true, ratio: 1.5, off: false })).toStrictEqual({
      exp: '1787996002',
      email_verified: 'true',
      ratio: '1.5',
      off: 'false',
    });
  });

  it('renders arrays as [a b c], not JSON ("cognito:groups": "[admin poweruser]")', () => {
    expect(toEventClaims({ 'cognito:groups': ['admin', 'poweruser'] })).toStrictEqual({
      'cognito:groups': '[admin poweruser]',
    });
  });

  it('renders an empty array as [] and mixed arrays element by element [INF]', () => {
    expect(toEventClaims({ a: [], b: [1, true, 'x', ['y', 'z']] })).toStrictEqual({ a: '[]', b: '[1 true x [y z]]' });
  });

  it('omits claims whose value is null', () => {
    expect(toEventClaims({ sub: 'u1', middle_name: null })).toStrictEqual({ sub: 'u1' });
  });

  it('renders nested objects as JSON text', () => {
    expect(toEventClaims({ address: { country: 'FR', zip: 75001 } })).toStrictEqual({
      address: '{"country":"FR","zip":75001}',
    });
  });

  it('renders the §4.1 example claims', () => {
    const payload = JSON.parse('{"sub":"u1","exp":1787996002,"cognito:groups":["admin","poweruser"],"scope":"read write"}');
    expect(toEventClaims(payload)).toStrictEqual({
      sub: 'u1',
      exp: '1787996002',
      'cognito:groups': '[admin poweruser]',
      scope: 'read write',
    });
  });

  it('keeps a claim named __proto__ as an ordinary key', () => {
    const claims = toEventClaims(JSON.parse('{"__proto__":"x"}'));
    expect(Object.hasOwn(claims, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
  });
});
