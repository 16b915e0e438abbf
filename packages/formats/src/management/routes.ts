import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import { Input } from './input.js';
import type { ManagedApi, RouteResource } from './resources.js';
import { checkRouteKey } from './validate.js';

const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'] as const;
/** aws-behavior.md §3.1: a route carries at most 10 authorization scopes. */
const MAX_SCOPES = 10;

export function createRoute(ctx: StoreContext, apiId: string, body: unknown): RouteResource {
  const managed = ctx.managed(apiId);
  const input = new Input(body);
  const routeKey = checkRouteKey(input.required('routeKey', input.string('routeKey', { min: 1 })));
  if (managed.routes.some((r) => r.routeKey === routeKey)) throw conflict(`Route with key ${routeKey} already exists for this API`);
  const route: RouteResource = { routeId: ctx.resourceId(managed), routeKey, authorizationType: 'NONE', apiKeyRequired: false };
  applyRouteMembers(managed, route, input);
  managed.routes.push(route);
  ctx.record(managed, `CreateRoute ${routeKey}`);
  ctx.autoDeploy(managed);
  return route;
}

export function updateRoute(ctx: StoreContext, apiId: string, routeId: string, body: unknown): RouteResource {
  const managed = ctx.managed(apiId);
  const route = ctx.route(managed, routeId);
  const input = new Input(body);
  const next = structuredClone(route);
  const routeKey = input.string('routeKey', { min: 1 });
  if (routeKey !== undefined) {
    next.routeKey = checkRouteKey(routeKey);
    if (managed.routes.some((r) => r !== route && r.routeKey === next.routeKey)) throw conflict(`Route with key ${next.routeKey} already exists for this API`);
  }
  applyRouteMembers(managed, next, input);
  Object.assign(route, next);
  for (const key of Object.keys(route) as Array<keyof RouteResource>) if (!(key in next)) delete route[key];
  ctx.record(managed, `UpdateRoute ${route.routeKey}`);
  ctx.autoDeploy(managed);
  return route;
}

export function deleteRoute(ctx: StoreContext, apiId: string, routeId: string): void {
  const managed = ctx.managed(apiId);
  const route = ctx.route(managed, routeId);
  managed.routes.splice(managed.routes.indexOf(route), 1);
  for (const stage of managed.stages) delete stage.routeSettings[route.routeKey];
  ctx.record(managed, `DeleteRoute ${route.routeKey}`);
  ctx.autoDeploy(managed);
}

function applyRouteMembers(managed: ManagedApi, route: RouteResource, input: Input): void {
  const type = input.oneOf('authorizationType', AUTHORIZATION_TYPES, 'authorization type');
  if (type !== undefined) {
    route.authorizationType = type;
    // A route made open (or IAM) keeps no authorizer: what the console does, and nothing is left dangling.
    if (type === 'NONE' || type === 'AWS_IAM') {
      delete route.authorizerId;
      delete route.authorizationScopes;
    }
  }
  const authorizerId = input.string('authorizerId');
  if (authorizerId !== undefined) route.authorizerId = authorizerId;
  const scopes = input.strings('authorizationScopes', { min: 1, max: 64 });
  if (scopes !== undefined) {
    if (scopes.length > MAX_SCOPES) throw badRequest(`A route takes at most ${MAX_SCOPES} authorization scopes, got ${scopes.length}`);
    if (scopes.length === 0) delete route.authorizationScopes;
    else route.authorizationScopes = scopes;
  }
  const target = input.string('target', { min: 1, max: 128 });
  if (target !== undefined) {
    const id = /^integrations\/(.+)$/.exec(target)?.[1];
    if (id === undefined) throw badRequest(`Invalid target "${target}": a route's target is "integrations/INTEGRATION_ID"`);
    if (!managed.integrations.some((i) => i.integrationId === id)) throw badRequest(`Invalid target "${target}": the API has no integration ${id}`);
    route.target = target;
  } else if (input.raw('target') === '') delete route.target;
  const operationName = input.string('operationName', { min: 1, max: 64 });
  if (operationName !== undefined) route.operationName = operationName;
  if (input.boolean('apiKeyRequired') === true) throw badRequest('API keys are not supported for HTTP APIs: apiKeyRequired must be false');
  for (const member of ['requestModels', 'modelSelectionExpression', 'routeResponseSelectionExpression'] as const) {
    if (input.has(member)) throw badRequest(`${member} is supported only for WebSocket APIs`);
  }
  checkAuthorization(managed, route);
}

/** The route's authorizationType, authorizerId and scopes agree with each other and with the authorizer. */
function checkAuthorization(managed: ManagedApi, route: RouteResource): void {
  const type = route.authorizationType;
  if (type === 'JWT' || type === 'CUSTOM') {
    if (route.authorizerId === undefined) throw badRequest(`Authorization type ${type} needs an authorizerId`);
    const authorizer = managed.authorizers.find((a) => a.authorizerId === route.authorizerId);
    if (!authorizer) throw badRequest(`Invalid authorizer identifier specified ${route.authorizerId}`);
    const wanted = type === 'JWT' ? 'JWT' : 'REQUEST';
    if (authorizer.authorizerType !== wanted) {
      throw badRequest(`Authorization type ${type} needs a ${wanted} authorizer; authorizer ${authorizer.authorizerId} (${authorizer.name}) is ${authorizer.authorizerType}`);
    }
  } else if (route.authorizerId !== undefined) {
    throw badRequest(`An authorizerId needs authorization type JWT or CUSTOM, not ${type}`);
  }
  if (route.authorizationScopes?.length && type !== 'JWT') throw badRequest('Authorization scopes are supported only for JWT authorizers');
}
