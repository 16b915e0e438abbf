import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatTraceId } from '../integration-headers.js';
import { EXAMPLE_EPOCH, makeInput, makeRequest, utf8 } from '../test-support/event-input.js';
import { buildEventV1 } from './event.js';

const TRACE = formatTraceId('JCJmXjUAPHcEP4w=', 1744669019524);

/**
 * The complete 1.0 example of aws-behavior.md §4.3, with two corrections from the captured
 * events it is drawn from: a `User-Agent` request header (the example's identity shows
 * `curl/8.2.1`) and `cognitoAmr: null` in `identity` (present in a raw HTTP API capture).
 */
const DOC_EXAMPLE = {
  version: '1.0',
  resource: '/users/{username}/orders',
  path: '/users/John%20Doe/orders',
  httpMethod: 'POST',
  headers: {
    'Content-Length': '10',
    'Content-Type': 'application/json',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'curl/8.2.1',
    'X-Amzn-Trace-Id': TRACE,
    'X-Forwarded-For': '198.51.100.7',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  },
  multiValueHeaders: {
    'Content-Length': ['10'],
    'Content-Type': ['application/json'],
    Host: ['abc123.execute-api.us-east-1.amazonaws.com'],
    'User-Agent': ['curl/8.2.1'],
    'X-Amzn-Trace-Id': [TRACE],
    'X-Forwarded-For': ['198.51.100.7'],
    'X-Forwarded-Port': ['443'],
    'X-Forwarded-Proto': ['https'],
  },
  queryStringParameters: { tag: '.NET Core' },
  multiValueQueryStringParameters: { tag: ['C# Programming', '.NET Core'] },
  pathParameters: { username: 'John Doe' },
  stageVariables: null,
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123',
    authorizer: null,
    domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abc123',
    extendedRequestId: 'JCJmXjUAPHcEP4w=',
    httpMethod: 'POST',
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAmr: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '198.51.100.7',
      user: null,
      userAgent: 'curl/8.2.1',
      userArn: null,
    },
    path: '/users/John Doe/orders',
    protocol: 'HTTP/1.1',
    requestId: 'JCJmXjUAPHcEP4w=',
    requestTime: '14/Apr/2025:22:16:59 +0000',
    requestTimeEpoch: 1744669019524,
    resourceId: 'POST /users/{username}/orders',
    resourcePath: '/users/{username}/orders',
    stage: '$default',
  },
  body: '{"qty": 2}',
  isBase64Encoded: false,
};

function docExampleInput() {
  return makeInput({
    request: makeRequest({
      method: 'POST',
      rawPath: '/users/John%20Doe/orders',
      rawQueryString: 'tag=C%23%20Programming&tag=.NET%20Core',
      rawHeaders: [
        'Content-Length', '10',
        'Content-Type', 'application/json',
        'Host', 'abc123.execute-api.us-east-1.amazonaws.com',
        'User-Agent', 'curl/8.2.1',
      ],
      body: utf8('{"qty": 2}'),
      requestId: 'JCJmXjUAPHcEP4w=',
      timeEpoch: 1744669019524,
    }),
    routeKey: 'POST /users/{username}/orders',
    routePath: '/users/{username}/orders',
    pathParameters: { username: 'John Doe' },
    decodedPath: '/users/John Doe/orders',
    forwarded: { port: '443', proto: 'https' },
  });
}

describe('§4.3 payload 1.0 event', () => {
  it('reproduces the complete §4.3 example', () => {
    expect(buildEventV1(docExampleInput())).toStrictEqual(DOC_EXAMPLE);
  });

  it('path stays percent-encoded while requestContext.path and pathParameters are decoded (§8 item 9)', () => {
    // TT-snap V1_SpecialCharactersInPathHttpV1.
    const event = buildEventV1(
      makeInput({
        request: makeRequest({ method: 'POST', rawPath: '/test5/api/users/John%20Doe/orders/Summer%20Sale%202023' }),
        routeKey: 'POST /test5/api/users/{username}/orders/{orderName}',
        routePath: '/test5/api/users/{username}/orders/{orderName}',
        pathParameters: { orderName: 'Summer Sale 2023', username: 'John Doe' },
      }),
    );
    expect(event.path).toBe('/test5/api/users/John%20Doe/orders/Summer%20Sale%202023');
    expect(event.requestContext.path).toBe('/test5/api/users/John Doe/orders/Summer Sale 2023');
    expect(event.resource).toBe('/test5/api/users/{username}/orders/{orderName}');
    expect(event.requestContext.resourcePath).toBe(event.resource);
    expect(event.requestContext.resourceId).toBe('POST /test5/api/users/{username}/orders/{orderName}');
  });

  it('a named stage stays in both path and requestContext.path (§1.2)', () => {
    const event = buildEventV1(
      makeInput({ request: makeRequest({ rawPath: '/dev/a%20b' }), decodedPath: '/dev/a b', stage: 'dev' }),
    );
    expect(event.path).toBe('/dev/a%20b');
    expect(event.requestContext.path).toBe('/dev/a b');
    expect(event.requestContext.stage).toBe('dev');
  });

  it('the $default route has resource, resourcePath and resourceId "$default" (captured event)', () => {
    const { resource, requestContext } = buildEventV1(makeInput());
    expect(resource).toBe('$default');
    expect(requestContext.resourcePath).toBe('$default');
    expect(requestContext.resourceId).toBe('$default');
  });

  it('absent maps and body are null, not left out', () => {
    const event = buildEventV1(makeInput({ pathParameters: {}, stageVariables: {} }));
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.authorizer).toBeNull();
  });

  it('last value in single-value maps, all values in multi-value maps (TT-snap V1_UrlEncodedQueryStringHttpV1)', () => {
    const event = buildEventV1(
      makeInput({
        request: makeRequest({
          rawQueryString: 'q=Hello%20World&tag=C%23%20Programming&tag=.NET%20Core',
          rawHeaders: ['X-Multi', 'one', 'X-Multi', 'two'],
        }),
      }),
    );
    expect(event.queryStringParameters).toStrictEqual({ q: 'Hello World', tag: '.NET Core' });
    expect(event.multiValueQueryStringParameters).toStrictEqual({ q: ['Hello World'], tag: ['C# Programming', '.NET Core'] });
    expect(event.headers['X-Multi']).toBe('two');
    expect(event.multiValueHeaders['X-Multi']).toStrictEqual(['one', 'two']);
  });

  it('keeps the Cookie header (no cookies field in 1.0)', () => {
    const event = buildEventV1(makeInput({ request: makeRequest({ rawHeaders: ['Cookie', 'a=1; b=2'] }) }));
    expect(event.headers['Cookie']).toBe('a=1; b=2');
    expect(event).not.toHaveProperty('cookies');
  });

  it('identity.userAgent is "" without a User-Agent (TT-snap)', () => {
    expect(buildEventV1(makeInput()).requestContext.identity.userAgent).toBe('');
  });

  it('a JWT authorizer gives requestContext.authorizer { claims, scopes } (§3.4)', () => {
    const event = buildEventV1(makeInput({ authorizer: { jwt: { claims: { sub: 'u1', exp: '1787996002' }, scopes: null } } }));
    expect(event.requestContext.authorizer).toStrictEqual({ claims: { sub: 'u1', exp: '1787996002' }, scopes: null });
  });

  it('a binary body is base64 (§4.2 applies to 1.0 on HTTP APIs)', () => {
    const event = buildEventV1(
      makeInput({ request: makeRequest({ method: 'POST', rawHeaders: ['Content-Type', 'image/png'], body: Uint8Array.from([1, 2, 3, 4, 5]) }) }),
    );
    expect(event.body).toBe('AQIDBAU=');
    expect(event.isBase64Encoded).toBe(true);
  });

  it('requestTime is CLF and requestTimeEpoch is milliseconds', () => {
    const { requestContext } = buildEventV1(makeInput());
    expect(requestContext.requestTime).toBe('14/Apr/2025:22:13:56 +0000');
    expect(requestContext.requestTimeEpoch).toBe(EXAMPLE_EPOCH);
  });

  it('is assignable to APIGatewayProxyEvent', () => {
    expectTypeOf(buildEventV1).returns.toMatchTypeOf<APIGatewayProxyEvent>();
  });
});

describe('§5.5 a Lambda authorizer\'s context in the 1.0 event', () => {
  it('is flattened into requestContext.authorizer, with principalId, JSON types kept and __proto__ an own key', () => {
    const lambda = JSON.parse('{"tier":"gold","n":3,"list":[1],"__proto__":"x"}') as Record<string, unknown>;
    const event = buildEventV1(makeInput({ authorizer: { lambda, principalId: 'user-1' } }));
    expect(event.requestContext.authorizer).toEqual({ tier: 'gold', n: 3, list: [1], ['__proto__']: 'x', principalId: 'user-1' });
    expect(Object.getPrototypeOf(event.requestContext.authorizer)).toBe(Object.prototype);
    expect(Object.hasOwn(event.requestContext.authorizer!, '__proto__')).toBe(true);
  });

  it('without a context or principalId it is an empty object', () => {
    expect(buildEventV1(makeInput({ authorizer: { lambda: null } })).requestContext.authorizer).toEqual({});
  });
});
