import { describe, expect, it } from 'vitest';
import { hasRequiredScope, readTokenScopes } from './scopes.js';

describe('§3.2 scopes come from "scope" or "scp"', () => {
  it('splits a space-separated scope string', () => {
    expect(readTokenScopes({ scope: ' items/read  items/write ' })).toEqual(['items/read', 'items/write']);
  });
  it('reads scp as an array or a string', () => {
    expect(readTokenScopes({ scp: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(readTokenScopes({ scp: 'a b' })).toEqual(['a', 'b']);
  });
  it('takes the union of both, without duplicates, ignoring junk', () => {
    expect(readTokenScopes({ scope: 'a b', scp: ['b', 'c', 7] })).toEqual(['a', 'b', 'c']);
    expect(readTokenScopes({ scope: 42 })).toEqual([]);
  });
  it('a route needs at least one of its scopes, not all', () => {
    expect(hasRequiredScope(['a'], ['a', 'b'])).toBe(true);
    expect(hasRequiredScope(['c'], ['a', 'b'])).toBe(false);
    expect(hasRequiredScope([], ['a'])).toBe(false);
  });
});
