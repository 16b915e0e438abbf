import { readPayloadVersion, readRouteSettings } from '../cloudformation/common.js';
import { Fields } from '../cloudformation/fields.js';
import { functionArn } from '../cloudformation/lambda-arn.js';
import type { RawResource, Stack } from '../cloudformation/stack.js';
import { traced, type Api, type Integration, type LambdaFunction, type Route } from '../model/model.js';
import { childPointer } from '../source/pointer.js';
import type { SamAuth } from './http-api.js';

export const IMPLICIT_API_ID = 'ServerlessHttpApi';

export interface SamApi {
  api: Api;
  auth: SamAuth;
}

export interface EventContext {
  /** The SAM API an event's resolved `ApiId` names. */
  apiByRef(ref: string): SamApi | undefined;
  /** The implicit `ServerlessHttpApi` of the function's template. */
  implicitApi(stack: Stack): SamApi | undefined;
}

/** Whether a template's functions have `HttpApi` events without `ApiId`, which need the implicit API (§2.6). */
export function needsImplicitApi(stack: Stack): string | undefined {
  for (const [logicalId, resource] of Object.entries(stack.resources)) {
    if (resource?.Type !== 'AWS::Serverless::Function') continue;
    const events = (resource.Properties?.Events ?? {}) as Record<string, { Type?: unknown; Properties?: { ApiId?: unknown } }>;
    for (const [name, event] of Object.entries(events)) {
      if (event?.Type === 'HttpApi' && event.Properties?.ApiId === undefined) return childPointer(childPointer(childPointer(childPointer('/Resources', logicalId), 'Properties'), 'Events'), name);
    }
  }
  return undefined;
}

/**
 * `HttpApi` events of an `AWS::Serverless::Function` (config-formats.md §2.5): each adds a route
 * and a Lambda integration to its API, unless the API's definition already integrates that
 * route. Other event types are not HTTP API routes; `Api` (REST) events are reported.
 */
export function readHttpApiEvents(stack: Stack, logicalId: string, resource: RawResource, fn: LambdaFunction, context: EventContext): void {
  const eventsPointer = childPointer(childPointer(childPointer('/Resources', logicalId), 'Properties'), 'Events');
  const holder = traced(undefined);
  const events = new Fields(stack, childPointer(childPointer('/Resources', logicalId), 'Properties'), resource.Properties, holder).block('Events', 'events');
  for (const name of events?.keys() ?? []) {
    const at = childPointer(eventsPointer, name);
    const event = events!.block(name, name);
    const type = event?.string('Type', 'type');
    if (type === 'Api') {
      stack.issue('warning', at, `${logicalId}.Events.${name} is a REST API event (Type: Api): localgw emulates HTTP APIs, so it is not served`, 'use Type: HttpApi for an HTTP API route');
      continue;
    }
    if (type !== 'HttpApi' || !event) continue;
    const route: Route = { ...traced(stack.sourceOf(at)), routeId: `${logicalId}.${name}`, routeKey: '', authorizationType: 'NONE' };
    const properties = event.block('Properties', 'properties');
    const fields = new Fields(stack, childPointer(at, 'Properties'), properties?.raw ?? {}, route);
    readEvent(fields, `${logicalId}.Events.${name}`, route, fn, context, stack);
  }
}

function readEvent(fields: Fields, label: string, route: Route, fn: LambdaFunction, context: EventContext, stack: Stack): void {
  let target: SamApi | undefined;
  if (fields.has('ApiId')) {
    const ref = fields.string('ApiId', 'apiId');
    target = ref === undefined ? undefined : context.apiByRef(ref);
    if (!target) {
      stack.issue('error', fields.pointerOf('ApiId'), `${label}: ApiId must reference an AWS::Serverless::HttpApi in this template${ref ? ` (got "${ref}")` : ''}`);
      return;
    }
  } else target = context.implicitApi(stack);
  if (!target) return;
  const { api, auth } = target;

  const path = fields.string('Path', 'path');
  const method = fields.string('Method', 'method');
  if (path === undefined && method === undefined) route.routeKey = '$default';
  else if (path === undefined || method === undefined) {
    stack.issue('error', fields.pointer, `${label}: the event is missing ${path === undefined ? 'Path' : 'Method'}`, 'give both Path and Method, or neither for the $default route');
    return;
  } else {
    const upper = method.toUpperCase();
    route.routeKey = `${upper === 'X-AMAZON-APIGATEWAY-ANY-METHOD' ? 'ANY' : upper} ${path}`;
  }
  route.fieldSources.routeKey = fields.target.fieldSources.path ?? route.source!;

  const region = String(stack.scope.parameter('AWS::Region'));
  const partition = String(stack.scope.parameter('AWS::Partition'));
  const account = String(stack.scope.parameter('AWS::AccountId'));
  const integration: Integration = {
    ...traced(route.source),
    integrationId: route.routeId,
    integrationType: 'AWS_PROXY',
    integrationMethod: 'POST',
    integrationUri: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn(partition, region, account, fn.functionName)}/invocations`,
    // SAM writes "2.0" into every integration it generates (§2.5).
    payloadFormatVersion: readPayloadVersion(fields, 'PayloadFormatVersion', 'payloadFormatVersion') ?? '2.0',
  };
  integration.fieldSources.integrationUri = route.source!;
  integration.fieldSources.payloadFormatVersion = route.fieldSources.payloadFormatVersion ?? route.source!;
  const timeout = fields.number('TimeoutInMillis', 'timeoutInMillis');
  if (timeout !== undefined) {
    integration.timeoutInMillis = timeout;
    integration.fieldSources.timeoutInMillis = route.fieldSources.timeoutInMillis!;
  }

  const existing = api.routes.find((r) => r.routeKey === route.routeKey);
  if (existing?.target !== undefined) {
    // Defined by another event: SAM refuses it. Integrated by the DefinitionBody: SAM leaves it alone.
    if (api.integrations.some((i) => `integrations/${i.integrationId}` === existing.target && i.source?.pointer.includes('/Events/'))) {
      stack.issue('error', route.fieldSources.routeKey.pointer, `${label}: ${route.routeKey} is defined more than once on API ${api.logicalId ?? api.apiId}`);
    }
    return;
  }
  api.integrations.push(integration);
  const routed = existing ?? route;
  routed.target = `integrations/${integration.integrationId}`;
  if (!existing) api.routes.push(route);
  else Object.assign(existing.fieldSources, { target: route.source! });

  readEventAuth(fields, label, routed, api, auth, stack);
  const settings = fields.block('RouteSettings', 'routeSettings');
  if (settings) {
    const stage = api.stages[0];
    if (stage) stage.routeSettings = { ...stage.routeSettings, [route.routeKey]: readRouteSettings(settings) };
  }
}

/** §2.3, §2.5: the event's `Auth.Authorizer` (a name, `NONE`, `AWS_IAM`) and `AuthorizationScopes`. */
function readEventAuth(fields: Fields, label: string, route: Route, api: Api, auth: SamAuth, stack: Stack): void {
  const block = fields.block('Auth', 'auth');
  if (!block) return;
  let name = block.string('Authorizer', 'authorizer');
  const scopes = block.strings('AuthorizationScopes', 'authorizationScopes');
  route.fieldSources.authorizerId = block.stack.sourceOf(block.pointerOf(name !== undefined ? 'Authorizer' : 'AuthorizationScopes'));
  if (name === undefined) {
    if (auth.defaultAuthorizer === undefined) {
      stack.issue('error', block.pointer, `${label}: 'Auth' needs an Authorizer, or a DefaultAuthorizer on the HttpApi`);
      return;
    }
    name = auth.defaultAuthorizer;
  }
  if (name === 'NONE') {
    if (auth.defaultAuthorizer === undefined) {
      stack.issue('error', block.pointerOf('Authorizer'), `${label}: Authorizer NONE is only valid when the HttpApi has a DefaultAuthorizer`);
    }
    route.authorizationType = 'NONE';
    return;
  }
  if (name === 'AWS_IAM') {
    if (!auth.iamEnabled) stack.issue('error', block.pointerOf('Authorizer'), `${label}: Authorizer AWS_IAM needs EnableIamAuthorizer: true on the HttpApi's Auth`);
    route.authorizationType = 'AWS_IAM';
    return;
  }
  const authorizer = api.authorizers.find((a) => a.name === name);
  if (!authorizer) {
    stack.issue('error', block.pointerOf('Authorizer'), `${label}: no authorizer named "${name}" in the HttpApi's Auth.Authorizers`, `defined: ${api.authorizers.map((a) => a.name).join(', ') || 'none'}`);
    return;
  }
  setAuthorizer(route, authorizer.authorizerId, authorizer.authorizerType, scopes ?? auth.defaultScopes.get(name));
}

function setAuthorizer(route: Route, authorizerId: string, type: 'JWT' | 'REQUEST', scopes: string[] | undefined): void {
  route.authorizationType = type === 'JWT' ? 'JWT' : 'CUSTOM';
  route.authorizerId = authorizerId;
  // Scopes belong to JWT routes only; SAM writes [] for Lambda authorizers (§1.5).
  if (type === 'JWT' && scopes?.length) route.authorizationScopes = scopes;
  else delete route.authorizationScopes;
}

/**
 * §2.3: the DefaultAuthorizer protects every integrated route that has no security of its own,
 * except OPTIONS (so CORS preflights reach the gateway).
 */
export function applyDefaultAuthorizer(api: Api, auth: SamAuth): void {
  const name = auth.defaultAuthorizer;
  if (name === undefined) return;
  const authorizer = api.authorizers.find((a) => a.name === name);
  for (const route of api.routes) {
    // A route's own security (an event's Auth, a DefinitionBody `security`) records its source.
    if (route.target === undefined || route.fieldSources.authorizerId !== undefined) continue;
    if (route.routeKey.startsWith('OPTIONS ')) continue;
    route.fieldSources.authorizerId = auth.defaultAuthorizerSource ?? route.source!;
    if (name === 'AWS_IAM') route.authorizationType = 'AWS_IAM';
    else if (authorizer) setAuthorizer(route, authorizer.authorizerId, authorizer.authorizerType, auth.defaultScopes.get(name));
  }
}
