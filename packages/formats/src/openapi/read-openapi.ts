import { Fields } from '../cloudformation/fields.js';
import { readIntegrationFields, readPayloadVersion } from '../cloudformation/common.js';
import { traced, type Api, type AuthorizationType, type Authorizer, type CorsConfiguration, type Integration, type Route } from '../model/model.js';
import { childPointer, pointerSegments } from '../source/pointer.js';

/**
 * An OpenAPI 3.0 definition with the `x-amazon-apigateway-*` extensions (config-formats.md §1),
 * as embedded in a template (`AWS::ApiGatewayV2::Api.Body`, a SAM `DefinitionBody`) or read from
 * a file: routes from `paths`, integrations, authorizers from `securitySchemes`, CORS. Read into
 * `api`; routes already there (from another source) are kept.
 */
export function readOpenApi(doc: Fields, api: Api, _options: { fromTemplate: boolean }): void {
  const stack = doc.stack;
  if (doc.has('swagger')) {
    stack.issue('error', doc.pointerOf('swagger'), 'HTTP APIs import OpenAPI 3.0 only; this is a Swagger 2.0 definition', 'convert it to OpenAPI 3.0');
    return;
  }
  const info = doc.block('info', 'info');
  const title = info?.string('title', 'title');
  if (title !== undefined && api.fieldSources.name === undefined) api.name = title;

  const endpoint = doc.block('x-amazon-apigateway-endpoint-configuration', 'endpointConfiguration');
  const disable = endpoint?.boolean('disableExecuteApiEndpoint', 'disableExecuteApiEndpoint');
  if (disable !== undefined) api.disableExecuteApiEndpoint = disable;

  const cors = doc.block('x-amazon-apigateway-cors', 'corsConfiguration');
  if (cors) api.corsConfiguration = { ...api.corsConfiguration, ...readOpenApiCors(cors) };

  const components = doc.block('components', 'components');
  const schemes = components?.block('securitySchemes', 'securitySchemes');
  const iamSchemes = new Set<string>();
  for (const name of schemes?.keys() ?? []) {
    const scheme = schemes!.block(name, name);
    if (!scheme) continue;
    if (scheme.string('x-amazon-apigateway-authtype', 'authtype')?.toLowerCase() === 'awssigv4') {
      iamSchemes.add(name);
      continue;
    }
    const authorizer = readScheme(scheme, name, api);
    if (authorizer && !api.authorizers.some((a) => a.name === name)) api.authorizers.push(authorizer);
  }
  const reusable = components?.block('x-amazon-apigateway-integrations', 'integrations');

  if (doc.has('security')) {
    stack.issue('warning', doc.pointerOf('security'), 'a root-level "security" is not documented for HTTP APIs and is not applied to any route', 'put the security requirement on each operation (config-formats.md §1.5)');
  }

  const paths = doc.block('paths', 'paths');
  for (const path of paths?.keys() ?? []) {
    const item = paths!.block(path, path);
    if (!item) continue;
    for (const key of item.keys()) {
      const method = methodOf(key);
      if (method === undefined) {
        if (key === 'trace') stack.issue('warning', item.pointerOf(key), `${path}: TRACE has no HTTP API meaning and is not served`);
        continue;
      }
      const isDefault = path === '$default' || path === '/$default';
      const routeKey = isDefault ? '$default' : `${method} ${path}`;
      const operation = item.raw![key];
      if (operation === null || typeof operation !== 'object') continue;
      readOperation(new Fields(stack, item.pointerOf(key), operation as Record<string, unknown>, traced(undefined)), routeKey, api, { reusable, iamSchemes });
    }
  }
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

function methodOf(key: string): string | undefined {
  if (key === 'x-amazon-apigateway-any-method') return 'ANY';
  const lower = key.toLowerCase();
  return METHODS.has(lower) ? lower.toUpperCase() : undefined;
}

function readOpenApiCors(cors: Fields): CorsConfiguration {
  const out: CorsConfiguration = {};
  const credentials = cors.boolean('allowCredentials', 'allowCredentials');
  if (credentials !== undefined) out.allowCredentials = credentials;
  const maxAge = cors.number('maxAge', 'maxAge');
  if (maxAge !== undefined) out.maxAge = maxAge;
  for (const key of ['allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders'] as const) {
    const value = cors.strings(key, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function identitySources(fields: Fields, key: string): string[] {
  const value = fields.value(key, 'identitySource');
  if (value === undefined || value === null) return [];
  // The docs say a comma-separated string; SAM writes a list (§1.5). Accept both.
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return list.map((s) => s.trim()).filter(Boolean);
}

function readScheme(scheme: Fields, name: string, api: Api): Authorizer | undefined {
  const authorizer: Authorizer = { ...traced(scheme.stack.sourceOf(scheme.pointer)), authorizerId: `${api.apiId}:${name}`, name, aliases: [], authorizerType: 'JWT', identitySource: [] };
  const ext = scheme.raw?.['x-amazon-apigateway-authorizer'];
  if (ext === undefined) return undefined;
  const fields = new Fields(scheme.stack, scheme.pointerOf('x-amazon-apigateway-authorizer'), ext as Record<string, unknown>, authorizer);
  const type = fields.string('type', 'authorizerType')?.toLowerCase();
  authorizer.identitySource = identitySources(fields, 'identitySource');
  if (type === 'jwt') {
    const jwt = fields.block('jwtConfiguration', 'jwtConfiguration');
    let issuer = jwt?.string('issuer', 'issuer');
    const audience = jwt?.strings('audience', 'audience');
    // openIdConnect schemes may leave the issuer out: it is the discovery URL without its suffix.
    const discovery = scheme.string('openIdConnectUrl', 'openIdConnectUrl');
    if (issuer === undefined && discovery !== undefined) {
      issuer = discovery.replace(/\/\.well-known\/openid-configuration\/?$/, '');
      authorizer.fieldSources['jwtConfiguration.issuer'] = scheme.stack.sourceOf(scheme.pointerOf('openIdConnectUrl'));
    }
    authorizer.jwtConfiguration = { ...(issuer !== undefined && { issuer }), ...(audience !== undefined && { audience }) };
    return authorizer;
  }
  if (type === 'request') {
    authorizer.authorizerType = 'REQUEST';
    const uri = fields.string('authorizerUri', 'authorizerUri');
    if (uri !== undefined) authorizer.authorizerUri = uri;
    const version = readPayloadVersion(fields, 'authorizerPayloadFormatVersion', 'authorizerPayloadFormatVersion');
    if (version !== undefined) authorizer.authorizerPayloadFormatVersion = version;
    const simple = fields.boolean('enableSimpleResponses', 'enableSimpleResponses');
    if (simple !== undefined) authorizer.enableSimpleResponses = simple;
    const ttl = fields.number('authorizerResultTtlInSeconds', 'authorizerResultTtlInSeconds');
    if (ttl !== undefined) authorizer.authorizerResultTtlInSeconds = ttl;
    return authorizer;
  }
  scheme.stack.issue('warning', fields.pointerOf('type'), `authorizer ${name}: type "${type ?? ''}" is not an HTTP API authorizer ("jwt" or "request")`);
  return undefined;
}

interface OperationContext {
  reusable: Fields | undefined;
  iamSchemes: ReadonlySet<string>;
}

function readOperation(operation: Fields, routeKey: string, api: Api, context: OperationContext): void {
  const stack = operation.stack;
  const existing = api.routes.find((r) => r.routeKey === routeKey);
  const route: Route = existing ?? { ...traced(stack.sourceOf(operation.pointer)), routeId: `${api.apiId}:${routeKey}`, routeKey, authorizationType: 'NONE' };
  route.fieldSources.routeKey ??= stack.sourceOf(operation.pointer);

  let integrationFields: Fields | undefined;
  if (operation.has('x-amazon-apigateway-integration')) {
    const raw = operation.raw!['x-amazon-apigateway-integration'] as Record<string, unknown> | null;
    const ref = raw && typeof raw.$ref === 'string' ? raw.$ref : undefined;
    if (ref !== undefined) {
      const name = pointerSegments(ref.replace(/^#/, '')).at(-1) ?? '';
      const target = context.reusable?.raw?.[name];
      if (!ref.startsWith('#/components/x-amazon-apigateway-integrations/') || target === undefined) {
        stack.issue('error', childPointer(operation.pointerOf('x-amazon-apigateway-integration'), '$ref'), `${routeKey}: $ref "${ref}" names no integration under components.x-amazon-apigateway-integrations`);
      } else integrationFields = new Fields(stack, context.reusable!.pointerOf(name), target as Record<string, unknown>, traced(undefined));
    } else if (raw) integrationFields = new Fields(stack, operation.pointerOf('x-amazon-apigateway-integration'), raw, traced(undefined));
  }
  if (integrationFields && !(existing?.target !== undefined)) {
    const integration = readIntegration(integrationFields, `${api.apiId}:${routeKey}`);
    api.integrations.push(integration);
    route.target = `integrations/${integration.integrationId}`;
    route.fieldSources.target = integration.source!;
  }

  if (operation.has('security')) readSecurity(operation, route, api, context);
  // X-auth: `x-amazon-apigateway-auth: {type: AWS_IAM}` on the operation, the other way to ask for IAM.
  const auth = operation.block('x-amazon-apigateway-auth', 'auth')?.string('type', 'auth.type')?.toUpperCase();
  if (auth === 'AWS_IAM') {
    route.authorizationType = 'AWS_IAM';
    route.fieldSources.authorizerId = stack.sourceOf(operation.pointerOf('x-amazon-apigateway-auth'));
    delete route.authorizerId;
  }
  if (!existing) api.routes.push(route);
}

function readIntegration(fields: Fields, integrationId: string): Integration {
  const integration = fields.target as Integration;
  Object.assign(integration, { integrationId, integrationType: 'AWS_PROXY' });
  integration.source = fields.stack.sourceOf(fields.pointer);
  readIntegrationFields(fields, integration, {
    type: 'type',
    uri: 'uri',
    method: 'httpMethod',
    payloadFormatVersion: 'payloadFormatVersion',
    timeoutInMillis: 'timeoutInMillis',
    connectionType: 'connectionType',
    integrationSubtype: 'integrationSubtype',
    requestParameters: 'requestParameters',
  });
  const responses = fields.block('responseParameters', 'responseParameters');
  if (responses) {
    const out: Record<string, Record<string, string>> = {};
    for (const status of responses.keys()) {
      const map = responses.stringMap(status, status);
      if (map) out[status] = map;
    }
    integration.responseParameters = out;
  }
  return integration;
}

/** §1.5: one security requirement per operation; `NONE` (SAM's opt-out) means no authorization. */
function readSecurity(operation: Fields, route: Route, api: Api, context: OperationContext): void {
  const value = operation.value('security', 'security');
  route.fieldSources.authorizerId = operation.stack.sourceOf(operation.pointerOf('security'));
  if (!Array.isArray(value) || value.length === 0) return;
  const requirements = value.filter((r) => r && typeof r === 'object' && Object.keys(r).length > 0) as Array<Record<string, unknown>>;
  if (requirements.length !== 1 || Object.keys(requirements[0]!).length !== 1) {
    operation.stack.issue('error', operation.pointerOf('security'), `${route.routeKey}: an HTTP API operation takes exactly one security requirement`, 'keep one of them (config-formats.md §1.5)');
    return;
  }
  const [name, scopes] = Object.entries(requirements[0]!)[0]!;
  let type: AuthorizationType;
  if (name === 'NONE') type = 'NONE';
  else if (name === 'AWS_IAM' || context.iamSchemes.has(name)) type = 'AWS_IAM';
  else {
    const authorizer = api.authorizers.find((a) => a.name === name);
    if (!authorizer) {
      operation.stack.issue('error', operation.pointerOf('security'), `${route.routeKey}: no security scheme named "${name}"`, `define it under components.securitySchemes with x-amazon-apigateway-authorizer`);
      return;
    }
    type = authorizer.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
    route.authorizerId = authorizer.authorizerId;
  }
  route.authorizationType = type;
  if (type === 'NONE') delete route.authorizerId;
  const list = Array.isArray(scopes) ? scopes.map(String) : [];
  if (list.length > 0) route.authorizationScopes = list;
  else delete route.authorizationScopes;
}
