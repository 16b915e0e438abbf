import { describe, expect, it } from 'vitest';
import { makeInput, makeRequest, utf8 } from '../payload/test-support/event-input.js';
import { buildAuthorizerEventV1, buildAuthorizerEventV2 } from './event.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/items/a b';

function input() {
  return makeInput({
    request: makeRequest({
      method: 'POST',
      rawPath: '/dev/items/a%20b',
      rawQueryString: 'q=1&q=2',
      rawHeaders: ['Host', 'h', 'Authorization', 'Bearer x', 'Cookie', 's=1; t=2', 'Content-Type', 'application/json'],
      body: utf8('{"secret":1}'),
    }),
    routeKey: 'POST /items/{id}',
    routePath: '/items/{id}',
    pathParameters: { id: 'a b' },
    decodedPath: '/dev/items/a b',
    stage: 'dev',
    stageVariables: { env: 'local' },
    authorizer: { jwt: { claims: { sub: 'x' }, scopes: null } },
  });
}

describe('§5.1 the event a Lambda authorizer receives', () => {
  it('2.0: the request fields plus type, routeArn and the identitySource list; no body, no authorizer', () => {
    const event = buildAuthorizerEventV2(input(), { arn: ARN, identitySource: ['Bearer x', 'local'] });
    expect(Object.keys(event)).toEqual([
      'version',
      'type',
      'routeArn',
      'identitySource',
      'routeKey',
      'rawPath',
      'rawQueryString',
      'cookies',
      'headers',
      'queryStringParameters',
      'requestContext',
      'pathParameters',
      'stageVariables',
    ]);
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: ARN,
      identitySource: ['Bearer x', 'local'],
      routeKey: 'POST /items/{id}',
      rawPath: '/dev/items/a b',
      rawQueryString: 'q=1&q=2',
      cookies: ['s=1', 't=2'],
      queryStringParameters: { q: '1,2' },
      pathParameters: { id: 'a b' },
      stageVariables: { env: 'local' },
    });
    expect(event.headers).toMatchObject({ authorization: 'Bearer x' });
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('isBase64Encoded');
  });

  it('1.0: methodArn, comma-joined identitySource and authorizationToken, the 1.0 request fields, no body', () => {
    const event = buildAuthorizerEventV1(input(), { arn: ARN, identitySource: ['Bearer x', 'local'] });
    expect(Object.keys(event).slice(0, 5)).toEqual(['version', 'type', 'methodArn', 'identitySource', 'authorizationToken']);
    expect(event).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      methodArn: ARN,
      identitySource: 'Bearer x,local',
      authorizationToken: 'Bearer x,local',
      resource: '/items/{id}',
      path: '/dev/items/a%20b',
      httpMethod: 'POST',
      queryStringParameters: { q: '2' },
      multiValueQueryStringParameters: { q: ['1', '2'] },
      pathParameters: { id: 'a b' },
      stageVariables: { env: 'local' },
    });
    expect(event.headers).toMatchObject({ Authorization: 'Bearer x' });
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(event).not.toHaveProperty('body');
  });
});
