import { describe, expect, it } from 'vitest';
import { EXAMPLE_API, EXAMPLE_EPOCH, makeRequest } from '../payload/test-support/event-input.js';
import { compileContextVariable, type ContextFacts } from './context-variables.js';

const facts: ContextFacts = {
  request: makeRequest({ method: 'POST', rawHeaders: ['User-Agent', 'curl/8'] }),
  routeKey: 'POST /items',
  stage: 'dev',
  decodedPath: '/dev/items',
  api: EXAMPLE_API,
  authorizer: { claims: { sub: 'alice' }, lambda: { tier: 'gold', n: 3 }, principalId: 'p-1' },
};

function read(name: string): string | undefined {
  const variable = compileContextVariable(name);
  if (typeof variable === 'string') throw new Error(variable);
  return variable(facts);
}

describe('§7.3 $context variables', () => {
  it('reads the request, route, stage and API fields', () => {
    expect(read('routeKey')).toBe('POST /items');
    expect(read('stage')).toBe('dev');
    expect(read('path')).toBe('/dev/items');
    expect(read('httpMethod')).toBe('POST');
    expect(read('requestId')).toBe('JCJJxhz4PHcEJgQ=');
    expect(read('extendedRequestId')).toBe('JCJJxhz4PHcEJgQ=');
    expect(read('identity.sourceIp')).toBe('198.51.100.7');
    expect(read('identity.userAgent')).toBe('curl/8');
    expect(read('requestTimeEpoch')).toBe(String(EXAMPLE_EPOCH));
    expect(read('requestTime')).toBe('14/Apr/2025:22:13:56 +0000');
    expect(read('apiId')).toBe('abc123');
    expect(read('protocol')).toBe('HTTP/1.1');
  });

  it('reads what the authorizer produced: claims, principalId, context keys (non-strings as JSON)', () => {
    expect(read('authorizer.claims.sub')).toBe('alice');
    expect(read('authorizer.claims.nope')).toBeUndefined();
    expect(read('authorizer.principalId')).toBe('p-1');
    expect(read('authorizer.tier')).toBe('gold');
    expect(read('authorizer.n')).toBe('3');
    expect(read('authorizer.toString')).toBeUndefined();
  });

  it('knows the IAM/Cognito identity names without a value, and refuses unknown names', () => {
    expect(read('identity.userArn')).toBeUndefined();
    expect(compileContextVariable('requestid')).toEqual(expect.stringContaining('not a context variable'));
    expect(compileContextVariable('authorizer.claims')).toEqual(expect.stringContaining('not a context variable'));
    expect(compileContextVariable('a b')).toEqual(expect.stringContaining('letters, digits'));
    expect(compileContextVariable('constructor')).toEqual(expect.stringContaining('not a context variable'));
  });
});
