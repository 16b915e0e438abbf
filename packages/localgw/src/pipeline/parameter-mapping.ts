import {
  applyRequestMapping,
  applyResponseMapping,
  gatewayResponse,
  type AuthorizerResult,
  type CompiledRoute,
  type ContextAuthorizer,
  type ContextFacts,
  type GatewayRequest,
  type GatewayResponse,
} from '@localgw/core';

/** The `$context.authorizer.*` values of an authorizer's result (§7.3). */
export function contextAuthorizer(result: AuthorizerResult | undefined): ContextAuthorizer | undefined {
  if (result === undefined) return undefined;
  if ('jwt' in result) return { claims: result.jwt.claims };
  return result.principalId === undefined ? { lambda: result.lambda } : { lambda: result.lambda, principalId: result.principalId };
}

export interface MappedRequestParts {
  request: GatewayRequest;
  /** `overwrite:path`: the decoded path the integration gets instead of the request's. */
  path: string | undefined;
}

/**
 * §6.2: the route's `requestParameters`, applied to what the integration receives (the headers,
 * query string and path the backend or the Lambda event sees). Values read the request as the
 * client sent it.
 */
export function mapRequest(
  route: CompiledRoute,
  request: GatewayRequest,
  context: ContextFacts,
  extra: { pathParameters: Record<string, string> | undefined; pathWithoutStage: string; stageVariables: Readonly<Record<string, string>> | undefined },
): MappedRequestParts {
  if (route.requestMapping === undefined) return { request, path: undefined };
  const mapped = applyRequestMapping(route.requestMapping, { ...context, ...extra });
  return { request: { ...request, rawHeaders: mapped.rawHeaders, rawQueryString: mapped.rawQueryString }, path: mapped.path };
}

/**
 * §6.3: the route's `responseParameters` for the integration's status code. A mapped status that
 * is not a status code is the gateway's 500, with the reason for the log.
 */
export function mapResponse(
  route: CompiledRoute,
  response: GatewayResponse,
  context: ContextFacts,
  stageVariables: Readonly<Record<string, string>> | undefined,
): { response: GatewayResponse; note?: string } {
  if (route.responseMapping === undefined) return { response };
  const mapped = applyResponseMapping(route.responseMapping, response.statusCode, { context, stageVariables, headers: response.headers, body: response.body });
  if (mapped === undefined) return { response };
  if (mapped.invalidStatus !== undefined) {
    return { response: gatewayResponse('INTERNAL_SERVER_ERROR'), note: `responseParameters["${response.statusCode}"] mapped the status to "${mapped.invalidStatus}", not a status code` };
  }
  return { response: { statusCode: mapped.statusCode, headers: mapped.headers, body: response.body } };
}
