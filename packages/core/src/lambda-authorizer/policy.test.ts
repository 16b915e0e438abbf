import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, matchesWildcard, parsePolicyDocument } from './policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:localgw/$default/GET/items/42';

function policy(...statements: object[]) {
  const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.policy;
}

describe('§5.3 IAM policy answers, evaluated against the route ARN', () => {
  it('an Allow for execute-api:Invoke on the exact ARN allows', () => {
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }), ARN).allowed).toBe(true);
  });

  it('* and ? are wildcards in Resource, * spanning "/" and ":"', () => {
    const allows = (resource: string) => evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource }), ARN).allowed;
    expect(allows('arn:aws:execute-api:*')).toBe(true);
    expect(allows('arn:aws:execute-api:us-east-1:123456789012:localgw/*/GET/items/*')).toBe(true);
    expect(allows('arn:aws:execute-api:us-east-1:123456789012:localgw/$default/GET/items/4?')).toBe(true);
    expect(allows('arn:aws:execute-api:us-east-1:123456789012:localgw/$default/POST/*')).toBe(false);
    expect(allows('arn:aws:execute-api:us-east-1:123456789012:localgw/$default/GET/items/4')).toBe(false);
    expect(allows('*')).toBe(true);
  });

  it('ARNs compare case-sensitively, action names case-insensitively', () => {
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'EXECUTE-API:invoke', Resource: ARN }), ARN).allowed).toBe(true);
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN.toUpperCase() }), ARN).allowed).toBe(false);
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: ARN }), ARN).allowed).toBe(true);
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: ARN }), ARN).allowed).toBe(false);
  });

  it('an explicit Deny wins over any Allow; nothing matching denies', () => {
    const both = policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*/GET/items/*' });
    const verdict = evaluatePolicy(both, ARN);
    expect(verdict).toEqual({ allowed: false, reason: expect.stringContaining('Statement[1]') });
    expect(evaluatePolicy(policy({ Effect: 'Deny', Action: '*', Resource: 'arn:other' }), ARN)).toEqual({
      allowed: false,
      reason: `no statement allows execute-api:Invoke on ${ARN}`,
    });
  });

  it('a single Statement object, Resource arrays, NotResource and NotAction', () => {
    const single = parsePolicyDocument({ Statement: { Effect: 'Allow', Action: ['s3:*', 'execute-api:Invoke'], Resource: ['arn:x', ARN] } });
    expect(single.ok && evaluatePolicy(single.policy, ARN).allowed).toBe(true);
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: '*', NotResource: '*/POST/*' }), ARN).allowed).toBe(true);
    expect(evaluatePolicy(policy({ Effect: 'Allow', NotAction: 'execute-api:Invoke', Resource: '*' }), ARN).allowed).toBe(false);
  });

  it('statements with a Condition are not evaluated locally, and the reason says so', () => {
    const verdict = evaluatePolicy(policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '1.2.3.4' } } }), ARN);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toMatch(/Condition are not evaluated locally/);
  });

  it('refuses documents API Gateway cannot use, saying what is wrong', () => {
    expect(parsePolicyDocument('nope')).toEqual({ ok: false, reason: 'policyDocument is not an object' });
    expect(parsePolicyDocument({})).toEqual({ ok: false, reason: 'policyDocument has no "Statement"' });
    expect(parsePolicyDocument({ Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] })).toEqual({
      ok: false,
      reason: 'Statement[0].Effect is "allow", not "Allow" or "Deny"',
    });
    expect(parsePolicyDocument({ Statement: [{ Effect: 'Allow', Resource: '*' }] })).toMatchObject({ ok: false, reason: expect.stringContaining('"Action"') });
    expect(parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action: '*', Resource: [] }] })).toMatchObject({ ok: false, reason: expect.stringContaining('non-empty') });
  });
});

describe('IAM wildcard matching', () => {
  /** The reference: the same rule as a regular expression. */
  const reference = (pattern: string, text: string) =>
    new RegExp(`^${[...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('')}$`).test(text);

  it('agrees with a regular-expression reference', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', ':', '*', '?');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'b', '/', ':'), maxLength: 14 }), (pattern, text) => {
        expect(matchesWildcard(pattern, text)).toBe(reference(pattern, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('stays quick on a hostile pattern', () => {
    const pattern = `${'*a'.repeat(200)}b`;
    const text = 'a'.repeat(5000);
    expect(matchesWildcard(pattern, text)).toBe(false);
  });
});
