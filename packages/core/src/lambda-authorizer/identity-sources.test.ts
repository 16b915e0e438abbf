import { describe, expect, it } from 'vitest';
import { EXAMPLE_API, makeRequest } from '../payload/test-support/event-input.js';
import { parseIdentitySource, readIdentityValues, type IdentityFacts, type IdentitySource } from './identity-sources.js';

function sources(...expressions: string[]): IdentitySource[] {
  return expressions.map((expression) => {
    const parsed = parseIdentitySource(expression);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.source;
  });
}

function facts(overrides: Partial<IdentityFacts> = {}): IdentityFacts {
  return {
    request: makeRequest({ rawHeaders: ['Host', 'h', 'X-Api-Key', 'k1', 'x-api-key', 'k2', 'Authorization', 'Bearer t'], rawQueryString: 'token=a%20b&token=c&Token=X' }),
    routeKey: 'GET /items/{id}',
    stage: 'dev',
    decodedPath: '/dev/items/1',
    api: EXAMPLE_API,
    stageVariables: { tenant: 'acme' },
    ...overrides,
  };
}

describe('§5.2 identity sources of a Lambda REQUEST authorizer', () => {
  it('reads headers (case-insensitive, repeats comma-joined), query parameters (case-sensitive), context and stage variables', () => {
    const values = readIdentityValues(
      sources('$request.header.x-api-key', '$request.header.Authorization', '$request.querystring.token', '$context.routeKey', '$stageVariables.tenant'),
      facts(),
    );
    expect(values).toEqual({ ok: true, values: ['k1,k2', 'Bearer t', 'a b,c', 'GET /items/{id}', 'acme'] });
  });

  it('any missing or empty value names the source, so the authorizer is not invoked (401)', () => {
    expect(readIdentityValues(sources('$request.header.Authorization', '$request.header.x-missing'), facts())).toEqual({ ok: false, missing: '$request.header.x-missing' });
    const empty = facts({ request: makeRequest({ rawHeaders: ['Authorization', ''] }) });
    expect(readIdentityValues(sources('$request.header.Authorization'), empty)).toEqual({ ok: false, missing: '$request.header.Authorization' });
    expect(readIdentityValues(sources('$stageVariables.nope'), facts())).toEqual({ ok: false, missing: '$stageVariables.nope' });
    expect(readIdentityValues(sources('$stageVariables.constructor'), facts())).toEqual({ ok: false, missing: '$stageVariables.constructor' });
    expect(readIdentityValues(sources('$request.querystring.TOKEN'), facts())).toEqual({ ok: false, missing: '$request.querystring.TOKEN' });
  });

  it('no identity sources: nothing to check', () => {
    expect(readIdentityValues([], facts())).toEqual({ ok: true, values: [] });
  });

  it('refuses expressions API Gateway does not take, with a hint', () => {
    expect(parseIdentitySource('$request.body.token')).toMatchObject({ ok: false, message: '"$request.body.token" is not an identity source' });
    expect(parseIdentitySource('$request.header.bad name')).toMatchObject({ ok: false });
    expect(parseIdentitySource('$context.nope')).toMatchObject({ ok: false, message: expect.stringContaining('"$context.nope"') });
    expect(parseIdentitySource('$stageVariables.a-b')).toMatchObject({ ok: false });
    expect(parseIdentitySource('$context.identity.sourceIp')).toMatchObject({ ok: true });
  });
});
