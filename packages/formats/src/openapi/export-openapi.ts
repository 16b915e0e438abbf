import { cloneData } from '../model/clone.js';
import type { Api, Authorizer, Integration, Route } from '../model/model.js';

/**
 * The `x-amazon-apigateway-*` extensions AWS documents for HTTP APIs (config-formats.md §1): an
 * export uses these and no others, so `aws apigatewayv2 import-api` takes it without warnings.
 */
export const HTTP_API_EXTENSIONS = [
  'x-amazon-apigateway-any-method',
  'x-amazon-apigateway-cors',
  'x-amazon-apigateway-authorizer',
  'x-amazon-apigateway-authtype',
  'x-amazon-apigateway-endpoint-configuration',
  'x-amazon-apigateway-integration',
  'x-amazon-apigateway-integrations',
  'x-amazon-apigateway-importexport-version',
] as const;

export interface ExportOpenApiOptions {
  /** `info.version`; default `1.0`. */
  version?: string;
}

type Json = Record<string, unknown>;

/**
 * One Api of the model → an OpenAPI 3.0 document object with the extensions API Gateway exports
 * for an HTTP API (`export-api --specification OAS30`): a path per route, `$default` as
 * `/$default` with `isDefaultRoute`, ANY as `x-amazon-apigateway-any-method`, each operation's
 * integration inline, authorizers as security schemes, CORS at the root. Pure: the admin API's
 * `ExportApi` and `localgw export` both call it. Stages are not part of a document (§1.6).
 */
export function exportOpenApi(api: Api, options: ExportOpenApiOptions = {}): Json {
  const info: Json = { title: api.name, version: options.version ?? '1.0' };
  if (api.description !== undefined) info.description = api.description;
  const doc: Json = { openapi: '3.0.1', info, 'x-amazon-apigateway-importexport-version': '1.0' };
  if (api.disableExecuteApiEndpoint !== undefined) doc['x-amazon-apigateway-endpoint-configuration'] = { disableExecuteApiEndpoint: api.disableExecuteApiEndpoint };
  const paths: Record<string, Json> = {};
  doc.paths = paths;
  const schemes: Record<string, Json> = {};
  const authorizers = new Map(api.authorizers.map((a) => [a.authorizerId, a]));

  for (const route of api.routes) {
    const isDefault = route.routeKey === '$default';
    const space = route.routeKey.indexOf(' ');
    const method = isDefault ? 'ANY' : route.routeKey.slice(0, space);
    const path = isDefault ? '/$default' : route.routeKey.slice(space + 1);
    const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
    const operation: Json = {};
    if (isDefault) operation.isDefaultRoute = true;
    if (route.operationName !== undefined) operation.operationId = route.operationName;
    const parameters = pathParameters(path);
    if (parameters.length > 0) operation.parameters = parameters;
    operation.responses = { default: { description: `Default response for ${route.routeKey}` } };
    const security = securityOf(route, authorizers, schemes);
    if (security) operation.security = security;
    const integration = route.target === undefined ? undefined : api.integrations.find((i) => route.target === `integrations/${i.integrationId}`);
    if (integration) operation['x-amazon-apigateway-integration'] = integrationOf(integration);
    (paths[path] ??= {})[key] = operation;
  }

  for (const authorizer of api.authorizers) schemes[authorizer.name] ??= schemeOf(authorizer);
  if (Object.keys(schemes).length > 0) doc.components = { securitySchemes: schemes };
  if (api.corsConfiguration && Object.keys(api.corsConfiguration).length > 0) doc['x-amazon-apigateway-cors'] = cloneData(api.corsConfiguration);
  return doc;
}

/** `{id}` and `{proxy+}` of a route path, as OpenAPI path parameters (API Gateway's export lists them). */
function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

const IAM_SCHEME = 'sigv4';

function securityOf(route: Route, authorizers: ReadonlyMap<string, Authorizer>, schemes: Record<string, Json>): Json[] | undefined {
  if (route.authorizationType === 'AWS_IAM') {
    schemes[IAM_SCHEME] ??= { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
    return [{ [IAM_SCHEME]: [] }];
  }
  if (route.authorizationType === 'NONE' || route.authorizerId === undefined) return undefined;
  const authorizer = authorizers.get(route.authorizerId);
  if (!authorizer) return undefined;
  // Scopes belong to JWT routes only (§1.5).
  return [{ [authorizer.name]: route.authorizationType === 'JWT' ? [...(route.authorizationScopes ?? [])] : [] }];
}

function schemeOf(authorizer: Authorizer): Json {
  const ext: Json = { type: authorizer.authorizerType === 'JWT' ? 'jwt' : 'request' };
  // The extension page documents a comma-separated string (§1.5).
  if (authorizer.identitySource.length > 0) ext.identitySource = authorizer.identitySource.join(', ');
  if (authorizer.authorizerType === 'JWT') {
    const jwt: Json = {};
    if (authorizer.jwtConfiguration?.issuer !== undefined) jwt.issuer = authorizer.jwtConfiguration.issuer;
    if (authorizer.jwtConfiguration?.audience !== undefined) jwt.audience = [...authorizer.jwtConfiguration.audience];
    ext.jwtConfiguration = jwt;
    return { type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': ext };
  }
  if (authorizer.authorizerUri !== undefined) ext.authorizerUri = authorizer.authorizerUri;
  if (authorizer.authorizerPayloadFormatVersion !== undefined) ext.authorizerPayloadFormatVersion = authorizer.authorizerPayloadFormatVersion;
  if (authorizer.enableSimpleResponses !== undefined) ext.enableSimpleResponses = authorizer.enableSimpleResponses;
  if (authorizer.authorizerResultTtlInSeconds !== undefined) ext.authorizerResultTtlInSeconds = authorizer.authorizerResultTtlInSeconds;
  const header = /^\$request\.header\.(.+)$/.exec(authorizer.identitySource[0] ?? '')?.[1];
  return { type: 'apiKey', name: header ?? 'Unused', in: 'header', 'x-amazon-apigateway-authorizer': ext };
}

function integrationOf(integration: Integration): Json {
  const lambda = integration.integrationType === 'AWS_PROXY';
  const out: Json = {
    type: integration.integrationType.toLowerCase(),
    // A Lambda is always invoked with POST (§1.3).
    httpMethod: lambda ? 'POST' : (integration.integrationMethod ?? 'ANY'),
  };
  if (integration.integrationUri !== undefined) out.uri = integration.integrationUri;
  out.payloadFormatVersion = integration.payloadFormatVersion ?? (lambda ? '2.0' : '1.0');
  if (!lambda) out.connectionType = integration.connectionType ?? 'INTERNET';
  if (integration.timeoutInMillis !== undefined) out.timeoutInMillis = integration.timeoutInMillis;
  if (integration.integrationSubtype !== undefined) out.integrationSubtype = integration.integrationSubtype;
  if (integration.requestParameters && Object.keys(integration.requestParameters).length > 0) out.requestParameters = { ...integration.requestParameters };
  if (integration.responseParameters && Object.keys(integration.responseParameters).length > 0) out.responseParameters = cloneData(integration.responseParameters);
  return out;
}
