import { describe, expect, it } from 'vitest';
import { interpretAuthorizerAnswer } from './answer.js';

const simple = { payloadFormatVersion: '2.0', simpleResponses: true } as const;
const iam2 = { payloadFormatVersion: '2.0', simpleResponses: false } as const;
const iam1 = { payloadFormatVersion: '1.0', simpleResponses: false } as const;
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] };

describe('§5.3 what a Lambda authorizer answers', () => {
  it('simple responses: isAuthorized and a context of JSON values', () => {
    const answer = interpretAuthorizerAnswer(JSON.stringify({ isAuthorized: true, context: { n: 1, list: ['a'], map: { k: true } } }), simple);
    expect(answer).toEqual({ kind: 'simple', authorized: true, context: { n: 1, list: ['a'], map: { k: true } } });
    expect(interpretAuthorizerAnswer('{"isAuthorized":false}', simple)).toEqual({ kind: 'simple', authorized: false, context: null });
  });

  it('simple responses without a boolean isAuthorized are malformed (→ 500)', () => {
    expect(interpretAuthorizerAnswer('{"isAuthorized":"true"}', simple)).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('"isAuthorized" was "true"') });
    expect(interpretAuthorizerAnswer(JSON.stringify({ principalId: 'u', policyDocument: POLICY }), simple)).toMatchObject({ kind: 'malformed' });
  });

  it('IAM policy answers with principalId and context', () => {
    const answer = interpretAuthorizerAnswer(JSON.stringify({ principalId: 'user-1', policyDocument: POLICY, context: { tier: 'gold' } }), iam2);
    expect(answer).toMatchObject({ kind: 'policy', principalId: 'user-1', context: { tier: 'gold' } });
  });

  it('a policy answer without policyDocument is malformed, with a hint when it looks like a simple response', () => {
    expect(interpretAuthorizerAnswer('{"isAuthorized":true}', iam2)).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('enableSimpleResponses') });
    expect(interpretAuthorizerAnswer(JSON.stringify({ principalId: 7, policyDocument: POLICY }), iam2)).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('principalId') });
  });

  it('output that is not a JSON object is malformed', () => {
    for (const payload of ['null', '"yes"', '[1]', 'true', 'not json']) {
      expect(interpretAuthorizerAnswer(payload, simple).kind).toBe('malformed');
    }
    expect(interpretAuthorizerAnswer(JSON.stringify({ isAuthorized: true, context: 'x' }), simple)).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('"context" must be an object') });
  });

  it('"claims" is a reserved context key with payload 1.0', () => {
    expect(interpretAuthorizerAnswer(JSON.stringify({ principalId: 'u', policyDocument: POLICY, context: { claims: 'x' } }), iam1)).toMatchObject({ kind: 'malformed', reason: expect.stringContaining('reserved') });
    expect(interpretAuthorizerAnswer(JSON.stringify({ principalId: 'u', policyDocument: POLICY, context: { claims: 'x' } }), iam2).kind).toBe('policy');
  });
});
