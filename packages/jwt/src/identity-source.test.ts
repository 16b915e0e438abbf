import { describe, expect, it } from 'vitest';
import { parseIdentitySource, readToken, type IdentitySource } from './identity-source.js';

const parsed = (expression: string): IdentitySource => {
  const result = parseIdentitySource(expression);
  if (typeof result === 'string') throw new Error(result);
  return result;
};
const headers = (...rawHeaders: string[]) => ({ rawHeaders, rawQueryString: '' });
const query = (rawQueryString: string) => ({ rawHeaders: [], rawQueryString });

describe('§3.1 identitySource: a single header or query string entry', () => {
  it('accepts $request.header.NAME and $request.querystring.NAME', () => {
    expect(parsed('$request.header.Authorization')).toMatchObject({ kind: 'header', name: 'Authorization', lowerName: 'authorization' });
    expect(parsed('$request.querystring.access_token')).toMatchObject({ kind: 'querystring', name: 'access_token' });
  });

  it.each([
    ['$request.header.Authorization,$request.querystring.token', /exactly one/],
    ['$context.authorizer.x', /not supported/],
    ['$stageVariables.token', /not supported/],
    ['Authorization', /not supported/],
    ['$request.header.Bad Header', /not a valid HTTP header name/],
    ['$request.path.token', /not supported/],
  ])('rejects %s', (expression, message) => {
    expect(parseIdentitySource(expression)).toMatch(message);
  });
});

describe('§3.2 step 1: reading the token', () => {
  const authorization = parsed('$request.header.Authorization');

  it('matches the header name case-insensitively', () => {
    expect(readToken(authorization, headers('aUtHoRiZaTiOn', 'Bearer abc'))).toEqual({ ok: true, token: 'abc' });
  });

  it('accepts the bare token and a Bearer prefix in any case', () => {
    expect(readToken(authorization, headers('Authorization', 'abc'))).toEqual({ ok: true, token: 'abc' });
    expect(readToken(authorization, headers('Authorization', 'bearer abc'))).toEqual({ ok: true, token: 'abc' });
    expect(readToken(authorization, headers('Authorization', 'BEARER   abc  '))).toEqual({ ok: true, token: 'abc' });
  });

  it('a missing header is reported by name', () => {
    const result = readToken(authorization, headers('X-Token', 'abc'));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/missing header "Authorization"/) });
  });

  it('an empty value or a lone "Bearer " counts as no token', () => {
    expect(readToken(authorization, headers('Authorization', ''))).toMatchObject({ ok: false, reason: expect.stringMatching(/empty header/) });
    expect(readToken(authorization, headers('Authorization', 'Bearer   '))).toMatchObject({ ok: false });
  });

  it('repeated headers are comma-joined (§4.1), so a duplicated token cannot pass as one', () => {
    expect(readToken(authorization, headers('Authorization', 'a', 'authorization', 'b'))).toEqual({ ok: true, token: 'a,b' });
  });

  it('reads a query string parameter by its case-sensitive name, decoded', () => {
    const source = parsed('$request.querystring.access_token');
    expect(readToken(source, query('x=1&access_token=ab%2Ecd'))).toEqual({ ok: true, token: 'ab.cd' });
    expect(readToken(source, query('Access_Token=abc'))).toMatchObject({ ok: false, reason: expect.stringMatching(/missing query string parameter "access_token"/) });
    expect(readToken(source, query(''))).toMatchObject({ ok: false });
    expect(readToken(source, query('access_token='))).toMatchObject({ ok: false, reason: expect.stringMatching(/empty/) });
    expect(readToken(source, headers('Authorization', 'Bearer abc'))).toMatchObject({ ok: false });
  });
});
