import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayEventRequestContextLambdaAuthorizer,
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
} from 'aws-lambda';
import { getHeader } from '../../http/gateway-request.js';
import { encodeRequestBody } from '../body.js';
import { hasEntries, type EventInput } from '../event-input.js';
import { foldHeadersV2, parseQueryV2 } from '../headers.js';
import { withIntegrationHeaders } from '../integration-headers.js';
import { formatRequestTime } from '../request-time.js';

/**
 * The payload 2.0 event. Assignable to `APIGatewayProxyEventV2` from `@types/aws-lambda`;
 * `requestContext.authorizer` is there only when an authorizer ran: `{ jwt: { claims, scopes } }`
 * or `{ lambda: context }` (§3.4, §5.5).
 */
export type IntegrationEventV2 = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: APIGatewayEventRequestContextJWTAuthorizer | APIGatewayEventRequestContextLambdaAuthorizer<unknown> }
>;

/**
 * Builds the payload format 2.0 event (§4.1). `rawPath` and `requestContext.http.path` are the
 * decoded path with any named-stage prefix; `rawQueryString` stays encoded; headers are
 * lower-cased and comma-joined with `cookie` split out into `cookies`; fields without a value
 * (`cookies`, `queryStringParameters`, `pathParameters`, `stageVariables`, `body`,
 * `authorizer`) are left out rather than sent as `{}` or `null`.
 */
export function buildEventV2(input: EventInput): IntegrationEventV2 {
  const { request, api } = input;
  const { headers, cookies } = foldHeadersV2(withIntegrationHeaders(request, input.forwarded, true));
  const queryStringParameters = parseQueryV2(request.rawQueryString);
  // Only a body needs its Content-Type: most requests skip the header scan.
  const encoded = encodeRequestBody(request.body, request.body?.length ? getHeader(request.rawHeaders, 'content-type') : undefined);
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.decodedPath,
    rawQueryString: request.rawQueryString,
    ...(cookies && { cookies }),
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    ...(hasEntries(input.pathParameters) && { pathParameters: input.pathParameters }),
    ...(hasEntries(input.stageVariables) && { stageVariables: input.stageVariables }),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      ...(input.authorizer && { authorizer: 'jwt' in input.authorizer ? input.authorizer : { lambda: input.authorizer.lambda } }),
      domainName: api.domainName,
      domainPrefix: api.domainPrefix,
      http: {
        method: request.method,
        path: input.decodedPath,
        // HTTP/2 clients are logged as HTTP/1.1 too (§4.1).
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: input.routeKey,
      stage: input.stage,
      time: formatRequestTime(request.timeEpoch),
      timeEpoch: request.timeEpoch,
    },
    ...(encoded.body !== undefined && { body: encoded.body }),
    isBase64Encoded: encoded.isBase64Encoded,
  };
}
