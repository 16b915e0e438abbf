import { traced, type Api, type AuthorizationType, type Authorizer, type Integration, type Route, type Stage } from '../model/model.js';
import { readOpenApi } from '../openapi/read-openapi.js';
import { childPointer } from '../source/pointer.js';
import { CFN_INTEGRATION_KEYS, readCors, readIntegrationFields, readPayloadVersion, readStageSettings } from './common.js';
import { Fields } from './fields.js';
import { parseLambdaUri } from './lambda-arn.js';
import type { RawResource, Stack } from './stack.js';

/** The resources of `AWS::ApiGatewayV2::*` (config-formats.md §4.1), read into the model. */

function propertiesOf(stack: Stack, logicalId: string, resource: RawResource, target: Api | Route | Integration | Authorizer | Stage): Fields {
  return new Fields(stack, childPointer(childPointer('/Resources', logicalId), 'Properties'), resource.Properties, target);
}

function resourcePointer(logicalId: string): string {
  return childPointer('/Resources', logicalId);
}

/** `AWS::ApiGatewayV2::Api` with `ProtocolType: HTTP`; undefined for a WebSocket API. */
export function readApiV2(stack: Stack, logicalId: string, resource: RawResource, apiId: string): Api | undefined {
  const api: Api = { ...traced(stack.sourceOf(resourcePointer(logicalId))), apiId, name: logicalId, protocolType: 'HTTP', logicalId, routes: [], integrations: [], authorizers: [], stages: [] };
  const fields = propertiesOf(stack, logicalId, resource, api);
  const protocol = fields.string('ProtocolType', 'protocolType');
  if (protocol !== undefined && protocol.toUpperCase() !== 'HTTP') {
    stack.issue('warning', fields.pointerOf('ProtocolType'), `API ${logicalId} is a ${protocol} API: localgw emulates HTTP APIs, so it is not served`);
    return undefined;
  }
  api.name = fields.string('Name', 'name') ?? logicalId;
  const description = fields.string('Description', 'description');
  if (description !== undefined) api.description = description;
  const disable = fields.boolean('DisableExecuteApiEndpoint', 'disableExecuteApiEndpoint');
  if (disable !== undefined) api.disableExecuteApiEndpoint = disable;
  const cors = fields.block('CorsConfiguration', 'corsConfiguration');
  if (cors) api.corsConfiguration = readCors(cors);
  if (fields.has('Body')) {
    const body = fields.block('Body', 'body');
    if (body) readOpenApi(body, api, { fromTemplate: true });
  } else if (fields.has('BodyS3Location')) {
    stack.issue('error', fields.pointerOf('BodyS3Location'), `API ${logicalId} takes its OpenAPI definition from S3 (BodyS3Location), which localgw cannot read`, 'inline it as Body, or serve the OpenAPI file with localgw directly');
  }
  if (fields.has('Target')) quickCreate(stack, fields, api);
  return api;
}

/** §4.1 quick create: `Target` makes an integration, a `$default` (or `RouteKey`) route and a `$default` stage. */
function quickCreate(stack: Stack, fields: Fields, api: Api): void {
  const target = fields.string('Target', 'target');
  if (target === undefined) return;
  const source = stack.sourceOf(fields.pointerOf('Target'));
  // A Lambda ARN (or a function's name); anything else is a URL for an HTTP proxy (§4.1).
  const lambda = !/^https?:\/\//i.test(target) && (/^arn:/.test(target) || parseLambdaUri(target) !== undefined);
  const integration: Integration = {
    ...traced(source),
    integrationId: `${api.apiId}-quick-create`,
    integrationType: lambda ? 'AWS_PROXY' : 'HTTP_PROXY',
    integrationUri: target,
    payloadFormatVersion: lambda ? '2.0' : '1.0',
  };
  integration.fieldSources.integrationUri = source;
  const routeKey = fields.string('RouteKey', 'routeKey') ?? '$default';
  const route: Route = { ...traced(source), routeId: `${api.apiId}-quick-create`, routeKey, target: `integrations/${integration.integrationId}`, authorizationType: 'NONE' };
  route.fieldSources.routeKey = fields.target.fieldSources.routeKey ?? source;
  api.integrations.push(integration);
  api.routes.push(route);
  api.stages.push({ ...traced(source), stageName: '$default', autoDeploy: true });
}

export interface Attached<T> {
  /** The resolved `ApiId`: the API's id, to attach it to. */
  apiRef: string | undefined;
  value: T;
}

export function readIntegrationV2(stack: Stack, logicalId: string, resource: RawResource): Attached<Integration> {
  const integration: Integration = { ...traced(stack.sourceOf(resourcePointer(logicalId))), integrationId: stack.prefix + logicalId, integrationType: 'AWS_PROXY' };
  const fields = propertiesOf(stack, logicalId, resource, integration);
  const apiRef = fields.string('ApiId', 'apiId');
  readIntegrationFields(fields, integration, CFN_INTEGRATION_KEYS);
  const response = readCfnResponseParameters(fields);
  if (response !== undefined) integration.responseParameters = response;
  return { apiRef, value: integration };
}

/**
 * §4.1: CloudFormation writes response mappings as `{"404": {"ResponseParameters": [{"Destination":
 * "append:header.h", "Source": "v"}]}}`; the API's shape is `{"404": {"append:header.h": "v"}}`.
 */
function readCfnResponseParameters(fields: Fields): Record<string, Record<string, string>> | undefined {
  const block = fields.block('ResponseParameters', 'responseParameters');
  if (block === undefined) return undefined;
  const out: Record<string, Record<string, string>> = {};
  for (const status of block.keys()) {
    const entry = block.block(status, status);
    const list = entry?.value('ResponseParameters', `${status}.ResponseParameters`);
    if (!Array.isArray(list)) {
      // Also accept the API's own shape, which some templates copy from the CLI.
      const flat = block.stringMap(status, status);
      if (flat) out[status] = flat;
      continue;
    }
    const mapped: Record<string, string> = {};
    for (const [i, item] of list.entries()) {
      const { Destination, Source } = (item ?? {}) as { Destination?: unknown; Source?: unknown };
      if (typeof Destination !== 'string' || typeof Source !== 'string') {
        fields.stack.issue('error', childPointer(childPointer(entry!.pointer, 'ResponseParameters'), i), 'each response parameter needs a Destination and a Source string');
        continue;
      }
      mapped[Destination] = Source;
    }
    out[status] = mapped;
  }
  return out;
}

const AUTHORIZATION_TYPES = new Set(['NONE', 'JWT', 'CUSTOM', 'AWS_IAM']);

export function readRouteV2(stack: Stack, logicalId: string, resource: RawResource): Attached<Route> {
  const route: Route = { ...traced(stack.sourceOf(resourcePointer(logicalId))), routeId: stack.prefix + logicalId, routeKey: '', authorizationType: 'NONE' };
  const fields = propertiesOf(stack, logicalId, resource, route);
  const apiRef = fields.string('ApiId', 'apiId');
  route.routeKey = fields.string('RouteKey', 'routeKey') ?? '';
  if (route.routeKey === '') stack.issue('error', resourcePointer(logicalId), `route ${logicalId} has no RouteKey`);
  const target = fields.string('Target', 'target');
  if (target !== undefined) route.target = target;
  readRouteAuthorization(fields, route, logicalId);
  const operation = fields.string('OperationName', 'operationName');
  if (operation !== undefined) route.operationName = operation;
  return { apiRef, value: route };
}

function readRouteAuthorization(fields: Fields, route: Route, name: string): void {
  const type = fields.string('AuthorizationType', 'authorizationType')?.toUpperCase();
  if (type !== undefined) {
    if (AUTHORIZATION_TYPES.has(type)) route.authorizationType = type as AuthorizationType;
    else fields.stack.issue('error', fields.pointerOf('AuthorizationType'), `${name}: AuthorizationType "${type}" is not NONE, JWT, CUSTOM or AWS_IAM`);
  }
  const authorizer = fields.string('AuthorizerId', 'authorizerId');
  if (authorizer !== undefined) route.authorizerId = authorizer;
  const scopes = fields.strings('AuthorizationScopes', 'authorizationScopes');
  if (scopes !== undefined) route.authorizationScopes = scopes;
}

export function readAuthorizerV2(stack: Stack, logicalId: string, resource: RawResource): Attached<Authorizer> {
  const authorizer: Authorizer = {
    ...traced(stack.sourceOf(resourcePointer(logicalId))),
    authorizerId: stack.prefix + logicalId,
    name: logicalId,
    aliases: [],
    authorizerType: 'JWT',
    identitySource: [],
  };
  const fields = propertiesOf(stack, logicalId, resource, authorizer);
  const apiRef = fields.string('ApiId', 'apiId');
  const name = fields.string('Name', 'name');
  if (name !== undefined && name !== logicalId) {
    authorizer.name = name;
    authorizer.aliases.push(logicalId);
  }
  const type = fields.string('AuthorizerType', 'authorizerType')?.toUpperCase();
  if (type === 'REQUEST' || type === 'JWT') authorizer.authorizerType = type;
  else stack.issue('error', fields.pointerOf(type === undefined ? 'ApiId' : 'AuthorizerType'), `authorizer ${logicalId}: AuthorizerType must be JWT or REQUEST`);
  authorizer.identitySource = fields.strings('IdentitySource', 'identitySource') ?? [];
  const jwt = fields.block('JwtConfiguration', 'jwtConfiguration');
  if (jwt) {
    const issuer = jwt.string('Issuer', 'issuer');
    const audience = jwt.strings('Audience', 'audience');
    authorizer.jwtConfiguration = { ...(issuer !== undefined && { issuer }), ...(audience !== undefined && { audience }) };
  }
  const uri = fields.string('AuthorizerUri', 'authorizerUri');
  if (uri !== undefined) authorizer.authorizerUri = uri;
  const version = readPayloadVersion(fields, 'AuthorizerPayloadFormatVersion', 'authorizerPayloadFormatVersion');
  if (version !== undefined) authorizer.authorizerPayloadFormatVersion = version;
  const simple = fields.boolean('EnableSimpleResponses', 'enableSimpleResponses');
  if (simple !== undefined) authorizer.enableSimpleResponses = simple;
  const ttl = fields.number('AuthorizerResultTtlInSeconds', 'authorizerResultTtlInSeconds');
  if (ttl !== undefined) authorizer.authorizerResultTtlInSeconds = ttl;
  return { apiRef, value: authorizer };
}

export function readStageV2(stack: Stack, logicalId: string, resource: RawResource): Attached<Stage> {
  const stage: Stage = { ...traced(stack.sourceOf(resourcePointer(logicalId))), stageName: '$default' };
  const fields = propertiesOf(stack, logicalId, resource, stage);
  const apiRef = fields.string('ApiId', 'apiId');
  stage.stageName = fields.string('StageName', 'stageName') ?? '$default';
  // Not `Variables`, the REST name SAM CLI reads here (config-formats.md §2.10).
  readStageSettings(fields, stage);
  const autoDeploy = fields.boolean('AutoDeploy', 'autoDeploy');
  if (autoDeploy !== undefined) stage.autoDeploy = autoDeploy;
  return { apiRef, value: stage };
}

/**
 * `AWS::ApiGatewayV2::ApiGatewayManagedOverrides` (§4.1): changes the route, integration or
 * stage a quick create made, e.g. AWS's JWT sample attaching an authorizer to `$default`.
 */
export function applyManagedOverrides(stack: Stack, logicalId: string, resource: RawResource, findApi: (ref: string) => Api | undefined): void {
  const holder = traced(stack.sourceOf(resourcePointer(logicalId)));
  const fields = new Fields(stack, childPointer(resourcePointer(logicalId), 'Properties'), resource.Properties, holder);
  const apiRef = fields.string('ApiId', 'apiId');
  const api = apiRef === undefined ? undefined : findApi(apiRef);
  if (!api) {
    stack.issue('warning', fields.pointerOf('ApiId'), `${logicalId} overrides an API that is not in the template`);
    return;
  }
  const quick = api.routes.find((r) => r.routeId === `${api.apiId}-quick-create`);
  const route = fields.block('Route', 'route');
  if (route && quick) {
    const overlay = traced(quick.source);
    readRouteAuthorization(new Fields(stack, route.pointer, route.raw, overlay), quick, logicalId);
    Object.assign(quick.fieldSources, overlay.fieldSources);
    const target = route.string('Target', 'target');
    if (target !== undefined) quick.target = target;
  }
  const integration = fields.block('Integration', 'integration');
  const quickIntegration = api.integrations.find((i) => i.integrationId === `${api.apiId}-quick-create`);
  if (integration && quickIntegration) {
    // The override may change what a quick create left to defaults, not the target.
    const { payloadFormatVersion, timeoutInMillis, method } = CFN_INTEGRATION_KEYS;
    readIntegrationFields(new Fields(stack, integration.pointer, integration.raw, quickIntegration), quickIntegration, { payloadFormatVersion, timeoutInMillis, method });
  }
  const stage = fields.block('Stage', 'stage');
  const quickStage = api.stages[0];
  if (stage && quickStage) readStageSettings(new Fields(stack, stage.pointer, stage.raw, quickStage), quickStage);
}
