import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { EventInput } from '../payload/event-input.js';
import { buildEventV1 } from '../payload/v1/event.js';
import { buildEventV2 } from '../payload/v2/event.js';

/** What a Lambda authorizer's event adds to the request's own fields (§5.1). */
export interface AuthorizerEventExtras {
  /** `routeArn` (2.0) / `methodArn` (1.0). */
  readonly arn: string;
  /** The identity source values, in the configured order. */
  readonly identitySource: readonly string[];
}

/**
 * The payload 2.0 authorizer event (§5.1): the request fields of the 2.0 integration event,
 * plus `type: "REQUEST"`, `routeArn` and `identitySource` (the list of values), with no `body`,
 * no `isBase64Encoded` and no `requestContext.authorizer`. In the docs' field order.
 */
export function buildAuthorizerEventV2(input: EventInput, extras: AuthorizerEventExtras): APIGatewayRequestAuthorizerEventV2 {
  const event = buildEventV2({ ...input, authorizer: undefined, request: { ...input.request, body: undefined } });
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: extras.arn,
    identitySource: [...extras.identitySource],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    ...(event.cookies && { cookies: event.cookies }),
    headers: event.headers ?? {},
    ...(event.queryStringParameters && { queryStringParameters: event.queryStringParameters }),
    requestContext: event.requestContext,
    ...(event.pathParameters && { pathParameters: event.pathParameters }),
    ...(event.stageVariables && { stageVariables: event.stageVariables }),
  } as APIGatewayRequestAuthorizerEventV2;
}

/**
 * The payload 1.0 authorizer event (§5.1): `version`, `type: "REQUEST"`, `methodArn`,
 * `identitySource` and `authorizationToken` (both the values comma-joined), then the 1.0
 * request fields (`resource`, `path`, `httpMethod`, `headers`, …, `requestContext`), no body.
 */
export function buildAuthorizerEventV1(input: EventInput, extras: AuthorizerEventExtras): APIGatewayRequestAuthorizerEvent & { version: '1.0'; identitySource: string; authorizationToken: string } {
  const event = buildEventV1({ ...input, authorizer: undefined, request: { ...input.request, body: undefined } });
  const joined = extras.identitySource.join(',');
  const { authorizer: _none, ...requestContext } = event.requestContext;
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn: extras.arn,
    identitySource: joined,
    authorizationToken: joined,
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    queryStringParameters: event.queryStringParameters,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters,
    pathParameters: event.pathParameters,
    stageVariables: event.stageVariables,
    requestContext: requestContext as unknown as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}
