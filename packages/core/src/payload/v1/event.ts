import type { APIGatewayEventIdentity, APIGatewayProxyEvent } from 'aws-lambda';
import { getHeader } from '../../http/gateway-request.js';
import { encodeRequestBody } from '../body.js';
import { hasEntries, type EventInput } from '../event-input.js';
import { foldHeadersV1, parseQueryV1 } from '../headers.js';
import { withIntegrationHeaders } from '../integration-headers.js';
import { formatRequestTime } from '../request-time.js';

/** The payload 1.0 event on an HTTP API: `APIGatewayProxyEvent` plus `version: "1.0"`. */
export type IntegrationEventV1 = APIGatewayProxyEvent & { version: '1.0' };

/**
 * Builds the payload format 1.0 event as HTTP APIs send it (§4.3).
 *
 * - `path` is the path as received, still **percent-encoded** (named-stage prefix included);
 *   `requestContext.path` and `pathParameters` are decoded.
 * - Header names keep their case; `headers`/`queryStringParameters` hold the last value,
 *   the `multiValue…` maps every value.
 * - Absent maps and an absent body are `null`, not left out.
 * - `resource` and `requestContext.resourcePath` are the route path, or `"$default"` for the
 *   `$default` route; `requestContext.resourceId` is the route key. A captured `$default`
 *   event has all three as `"$default"`.
 * - `requestContext.authorizer` is `{ claims, scopes }` after a JWT authorizer, else `null`
 *   (the docs sample form; one capture leaves the key out instead).
 */
export function buildEventV1(input: EventInput): IntegrationEventV1 {
  const { request, api } = input;
  const { headers, multiValueHeaders } = foldHeadersV1(withIntegrationHeaders(request, input.forwarded));
  const query = parseQueryV1(request.rawQueryString);
  // Only a body needs its Content-Type: most requests skip the header scan.
  const encoded = encodeRequestBody(request.body, request.body?.length ? getHeader(request.rawHeaders, 'content-type') : undefined);
  const resourcePath = input.routePath ?? input.routeKey;
  const userAgent = getHeader(request.rawHeaders, 'user-agent') ?? '';
  return {
    version: '1.0',
    resource: resourcePath,
    path: request.rawPath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query ? query.queryStringParameters : null,
    multiValueQueryStringParameters: query ? query.multiValueQueryStringParameters : null,
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: authorizerV1(input.authorizer),
      domainName: api.domainName,
      domainPrefix: api.domainPrefix,
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: identityOf(request.sourceIp, userAgent),
      path: input.decodedPath,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      requestTime: formatRequestTime(request.timeEpoch),
      requestTimeEpoch: request.timeEpoch,
      resourceId: input.routeKey,
      resourcePath,
      stage: input.stage,
    },
    pathParameters: hasEntries(input.pathParameters) ? input.pathParameters : null,
    stageVariables: hasEntries(input.stageVariables) ? input.stageVariables : null,
    body: encoded.body ?? null,
    isBase64Encoded: encoded.isBase64Encoded,
  };
}

/**
 * `requestContext.authorizer` in 1.0: `{ claims, scopes }` after a JWT authorizer (§3.4); a
 * Lambda authorizer's context keys flattened, plus `principalId` for a policy answer (§5.5).
 */
function authorizerV1(authorizer: EventInput['authorizer']): APIGatewayProxyEvent['requestContext']['authorizer'] {
  if (authorizer === undefined) return null;
  if ('jwt' in authorizer) return { claims: authorizer.jwt.claims, scopes: authorizer.jwt.scopes };
  const flat: Record<string, unknown> = {};
  if (authorizer.lambda !== null) {
    for (const key of Object.keys(authorizer.lambda)) Object.defineProperty(flat, key, { value: authorizer.lambda[key], enumerable: true, writable: true, configurable: true });
  }
  if (authorizer.principalId !== undefined) flat.principalId = authorizer.principalId;
  return flat;
}

/**
 * The identity block exactly as a captured HTTP API 1.0 event has it. REST-only fields that
 * `@types/aws-lambda` requires (`apiKey`, `apiKeyId`, `clientCert` without mTLS) are absent on
 * HTTP APIs, hence the cast.
 */
function identityOf(sourceIp: string, userAgent: string): APIGatewayEventIdentity {
  return {
    accessKey: null,
    accountId: null,
    caller: null,
    cognitoAmr: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  } as unknown as APIGatewayEventIdentity;
}
