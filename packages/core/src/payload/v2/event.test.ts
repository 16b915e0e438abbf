import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatTraceId } from '../integration-headers.js';
import { EXAMPLE_API, EXAMPLE_EPOCH, makeInput, makeRequest, utf8 } from '../test-support/event-input.js';
import { buildEventV2, type IntegrationEventV2 } from './event.js';

/** The complete 2.0 example of aws-behavior.md §4.1, as the doc prints it. */
const DOC_EXAMPLE = {
  version: '2.0',
  routeKey: 'POST /items/{id}',
  rawPath: '/dev/items/a b',
  rawQueryString: 'q=Hello%20World&tag=x&tag=y',
  cookies: ['session=abc123', 'theme=dark'],
  headers: {
    accept: 'application/json',
    'content-length': '13',
    'content-type': 'application/json',
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'curl/8.2.1',
    'x-amzn-trace-id': 'Root=1-67fd88a4-127eb8e773d2bb6f7df47ab6',
    'x-custom': 'v1,v2',
    'x-forwarded-for': '198.51.100.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  },
  queryStringParameters: { q: 'Hello World', tag: 'x,y' },
  pathParameters: { id: 'a b' },
  stageVariables: { env: 'dev' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123',
    authorizer: {
      jwt: {
        claims: { sub: 'u1', exp: '1787996002', 'cognito:groups': '[admin poweruser]', scope: 'read write' },
        scopes: null,
      },
    },
    domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abc123',
    http: {
      method: 'POST',
      path: '/dev/items/a b',
      protocol: 'HTTP/1.1',
      sourceIp: '198.51.100.7',
      userAgent: 'curl/8.2.1',
    },
    requestId: 'JCJJxhz4PHcEJgQ=',
    routeKey: 'POST /items/{id}',
    stage: 'dev',
    time: '14/Apr/2025:22:13:56 +0000',
    timeEpoch: 1744668836573,
  },
  body: '{"hello":"x"}',
  isBase64Encoded: false,
};

function docExampleInput() {
  return makeInput({
    request: makeRequest({
      method: 'POST',
      rawPath: '/dev/items/a%20b',
      rawQueryString: 'q=Hello%20World&tag=x&tag=y',
      rawHeaders: [
        'Host', 'abc123.execute-api.us-east-1.amazonaws.com',
        'User-Agent', 'curl/8.2.1',
        'Accept', 'application/json',
        'Content-Type', 'application/json',
        'Content-Length', '13',
        'X-Custom', 'v1',
        'X-Custom', 'v2',
        'Cookie', 'session=abc123; theme=dark',
      ],
      body: utf8('{"hello":"x"}'),
    }),
    routeKey: 'POST /items/{id}',
    routePath: '/items/{id}',
    pathParameters: { id: 'a b' },
    decodedPath: '/dev/items/a b',
    stage: 'dev',
    stageVariables: { env: 'dev' },
    authorizer: DOC_EXAMPLE.requestContext.authorizer,
    forwarded: { port: '443', proto: 'https' },
  });
}

describe('§4.1 payload 2.0 event', () => {
  it('reproduces the complete §4.1 example (trace id derived locally)', () => {
    const expected = structuredClone(DOC_EXAMPLE);
    expected.headers['x-amzn-trace-id'] = formatTraceId('JCJJxhz4PHcEJgQ=', EXAMPLE_EPOCH);
    expect(buildEventV2(docExampleInput())).toStrictEqual(expected);
  });

  it('leaves out cookies, queryStringParameters, pathParameters, stageVariables, body and authorizer when empty', () => {
    const event = buildEventV2(makeInput({ pathParameters: {}, stageVariables: {} }));
    for (const field of ['cookies', 'queryStringParameters', 'pathParameters', 'stageVariables', 'body']) {
      expect(event).not.toHaveProperty(field);
    }
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(event.isBase64Encoded).toBe(false);
    expect(JSON.stringify(event)).not.toContain('null');
  });

  it('rawPath and http.path are the decoded path; rawQueryString stays encoded (§8 item 9)', () => {
    // TT-snap V2_SpecialCharactersInPath and V2_UrlEncodedQueryString.
    const event = buildEventV2(
      makeInput({
        request: makeRequest({
          method: 'POST',
          rawPath: '/test9/api/users/John%20Doe/orders/Summer%20Sale%202023',
          rawQueryString: 'q=Hello%20World&tag=C%23%20Programming&tag=.NET%20Core',
        }),
        routeKey: 'POST /test9/api/users/{userId}/orders/{orderName}',
        routePath: '/test9/api/users/{userId}/orders/{orderName}',
        pathParameters: { userId: 'John Doe', orderName: 'Summer Sale 2023' },
      }),
    );
    expect(event.rawPath).toBe('/test9/api/users/John Doe/orders/Summer Sale 2023');
    expect(event.requestContext.http.path).toBe(event.rawPath);
    expect(event.rawQueryString).toBe('q=Hello%20World&tag=C%23%20Programming&tag=.NET%20Core');
    expect(event.queryStringParameters).toStrictEqual({ q: 'Hello World', tag: 'C# Programming,.NET Core' });
    expect(event.pathParameters).toStrictEqual({ userId: 'John Doe', orderName: 'Summer Sale 2023' });
    expect(event.routeKey).toBe('POST /test9/api/users/{userId}/orders/{orderName}');
  });

  it('uses the $default route key and stage, with no stage prefix in rawPath (§8 item 8)', () => {
    const event = buildEventV2(makeInput({ request: makeRequest({ rawPath: '/anything/here' }) }));
    expect(event.routeKey).toBe('$default');
    expect(event.requestContext.routeKey).toBe('$default');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.rawPath).toBe('/anything/here');
  });

  it('userAgent is "" when the request has no User-Agent', () => {
    const event = buildEventV2(makeInput());
    expect(event.requestContext.http.userAgent).toBe('');
    expect(event.headers).not.toHaveProperty('user-agent');
  });

  it('headers are lower-case and include the added x-amzn-trace-id and x-forwarded-for', () => {
    const event = buildEventV2(makeInput({ request: makeRequest({ rawHeaders: ['Host', 'localhost:3000', 'X-Api-Key', 'k'] }) }));
    expect(event.headers).toStrictEqual({
      host: 'localhost:3000',
      'x-api-key': 'k',
      'x-amzn-trace-id': formatTraceId('JCJJxhz4PHcEJgQ=', EXAMPLE_EPOCH),
      'x-forwarded-for': '198.51.100.7',
    });
  });

  it('a binary body is base64 with isBase64Encoded true (TT-snap V2_BinaryContent)', () => {
    const event = buildEventV2(
      makeInput({
        request: makeRequest({
          method: 'POST',
          rawHeaders: ['Content-Type', 'application/octet-stream', 'Content-Length', '5'],
          body: Uint8Array.from([1, 2, 3, 4, 5]),
        }),
      }),
    );
    expect(event.body).toBe('AQIDBAU=');
    expect(event.isBase64Encoded).toBe(true);
  });

  it('a form-urlencoded body is base64 too (§8 item 11)', () => {
    const event = buildEventV2(
      makeInput({
        request: makeRequest({
          method: 'POST',
          rawHeaders: ['content-type', 'application/x-www-form-urlencoded'],
          body: utf8('a=1'),
        }),
      }),
    );
    expect(event).toMatchObject({ body: 'YT0x', isBase64Encoded: true });
  });

  it('the JWT authorizer block carries claims and scopes as given', () => {
    const authorizer = { jwt: { claims: { sub: 'u1' }, scopes: ['items/read'] } };
    expect(buildEventV2(makeInput({ authorizer })).requestContext.authorizer).toStrictEqual(authorizer);
  });

  it('requestContext carries the API identity, request id and time', () => {
    const { requestContext } = buildEventV2(makeInput());
    expect(requestContext).toMatchObject({
      ...EXAMPLE_API,
      requestId: 'JCJJxhz4PHcEJgQ=',
      time: '14/Apr/2025:22:13:56 +0000',
      timeEpoch: EXAMPLE_EPOCH,
      http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '198.51.100.7' },
    });
  });

  it('survives structuredClone and JSON (how it reaches the handler)', () => {
    const event = buildEventV2(docExampleInput());
    expect(structuredClone(event)).toStrictEqual(event);
    expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
  });

  it('is assignable to the @types/aws-lambda 2.0 event types', () => {
    expectTypeOf<IntegrationEventV2>().toMatchTypeOf<APIGatewayProxyEventV2>();
    expectTypeOf(buildEventV2).returns.toMatchTypeOf<APIGatewayProxyEventV2>();
    // With an authorizer present, it reads as the JWT- or the Lambda-authorizer event.
    expectTypeOf<IntegrationEventV2['requestContext']['authorizer']>().toEqualTypeOf<
      | APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']
      | APIGatewayProxyEventV2WithLambdaAuthorizer<unknown>['requestContext']['authorizer']
      | undefined
    >();
  });
});

describe('§5.5 a Lambda authorizer\'s context in the 2.0 event', () => {
  it('is requestContext.authorizer.lambda with JSON types kept; principalId is not part of it', () => {
    const event = buildEventV2(makeInput({ authorizer: { lambda: { tier: 'gold', n: 3, nested: { a: [true] } }, principalId: 'p' } }));
    expect(event.requestContext.authorizer).toEqual({ lambda: { tier: 'gold', n: 3, nested: { a: [true] } } });
  });

  it('is {"lambda": null} when the authorizer returned no context (§10)', () => {
    expect(buildEventV2(makeInput({ authorizer: { lambda: null } })).requestContext.authorizer).toEqual({ lambda: null });
  });
});
