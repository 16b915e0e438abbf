import type { CorsConfiguration } from '../model/model.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import { Input } from './input.js';
import { API_KEY_SELECTION_EXPRESSION, ROUTE_SELECTION_EXPRESSION, type ApiResource, type IntegrationResource, type ManagedApi, type RouteResource, type StageResource } from './resources.js';
import { checkCors, checkRouteKey } from './validate.js';

const PROTOCOLS = ['HTTP', 'WEBSOCKET'] as const;

/** CreateApi (config-formats.md §5.3), with quick create when `target` is given. */
export function createApi(ctx: StoreContext, body: unknown): ManagedApi {
  const input = new Input(body);
  const name = input.required('name', input.string('name', { min: 1, max: 128 }));
  const protocol = input.required('protocolType', input.oneOf('protocolType', PROTOCOLS, 'protocol'));
  if (protocol === 'WEBSOCKET') throw badRequest('localgw emulates HTTP APIs only: WebSocket APIs are not supported (use protocolType HTTP)');
  const api: ApiResource = {
    apiId: ctx.id(10, (id) => ctx.state.apis.some((m) => m.api.apiId === id)),
    name,
    protocolType: 'HTTP',
    routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
    apiKeySelectionExpression: API_KEY_SELECTION_EXPRESSION,
    createdDate: ctx.timestamp(),
    tags: input.stringMap('tags') ?? {},
  };
  applyApiMembers(api, input);
  const managed: ManagedApi = { api, routes: [], integrations: [], authorizers: [], stages: [], deployments: [], origin: 'management', changes: [] };
  const target = input.string('target', { min: 1, max: 2048 });
  const routeKey = input.string('routeKey');
  if (target === undefined && routeKey !== undefined) throw badRequest('routeKey is part of quick create: give a target too');
  if (target !== undefined) quickCreate(ctx, managed, target, routeKey === undefined ? '$default' : checkRouteKey(routeKey), input.string('credentialsArn'));
  ctx.state.apis.push(managed);
  ctx.autoDeploy(managed);
  return managed;
}

/** UpdateApi: PATCH, only the members sent change; CORS members merge into the API's CORS. */
export function updateApi(ctx: StoreContext, apiId: string, body: unknown): ManagedApi {
  const managed = ctx.managed(apiId);
  const input = new Input(body);
  // Checked whole on a copy: a refused update changes nothing.
  const api = structuredClone(managed.api);
  const name = input.string('name', { min: 1, max: 128 });
  if (name !== undefined) api.name = name;
  const changed = applyApiMembers(api, input);
  const target = input.string('target', { min: 1, max: 2048 });
  const routeKey = input.string('routeKey');
  if (target !== undefined || routeKey !== undefined) {
    updateQuickCreate(ctx, managed, target, routeKey === undefined ? undefined : checkRouteKey(routeKey), input.string('credentialsArn'));
    changed.push(target !== undefined ? 'target' : 'routeKey');
  }
  managed.api = api;
  if (name !== undefined) changed.unshift('name');
  ctx.record(managed, `UpdateApi (${changed.join(', ') || 'no change'})`);
  ctx.autoDeploy(managed);
  return managed;
}

export function deleteApi(ctx: StoreContext, apiId: string): void {
  const managed = ctx.managed(apiId);
  ctx.state.apis.splice(ctx.state.apis.indexOf(managed), 1);
}

/** DeleteCorsConfiguration: CORS is no longer configured (aws-behavior.md §2.5). */
export function deleteCors(ctx: StoreContext, apiId: string): void {
  const managed = ctx.managed(apiId);
  delete managed.api.corsConfiguration;
  ctx.record(managed, 'DeleteCorsConfiguration');
  ctx.autoDeploy(managed);
}

/** The members CreateApi and UpdateApi share; returns the names of those sent. */
function applyApiMembers(api: ApiResource, input: Input): string[] {
  const sent: string[] = [];
  const cors = input.object('corsConfiguration');
  if (cors) {
    const merged = { ...api.corsConfiguration, ...readCors(cors) };
    checkCors(merged);
    api.corsConfiguration = merged;
    sent.push('corsConfiguration');
  }
  const description = input.string('description', { max: 1024 });
  if (description !== undefined) api.description = description;
  const version = input.string('version', { min: 1, max: 64 });
  if (version !== undefined) api.version = version;
  for (const flag of ['disableExecuteApiEndpoint', 'disableSchemaValidation'] as const) {
    const value = input.boolean(flag);
    if (value !== undefined) {
      api[flag] = value;
      sent.push(flag);
    }
  }
  const ipAddressType = input.oneOf('ipAddressType', ['ipv4', 'dualstack'], 'ip address type');
  if (ipAddressType !== undefined) api.ipAddressType = ipAddressType;
  const routeSelection = input.string('routeSelectionExpression');
  if (routeSelection !== undefined && routeSelection !== ROUTE_SELECTION_EXPRESSION && routeSelection !== '${request.method} ${request.path}') {
    throw badRequest(`An HTTP API's routeSelectionExpression is ${ROUTE_SELECTION_EXPRESSION}`);
  }
  for (const name of ['description', 'version'] as const) if (input.has(name)) sent.push(name);
  return sent;
}

/** The Cors shape: lists of strings, a boolean, maxAge an integer (checked by checkCors). */
export function readCors(cors: Input): CorsConfiguration {
  const out: CorsConfiguration = {};
  const credentials = cors.boolean('allowCredentials');
  if (credentials !== undefined) out.allowCredentials = credentials;
  for (const key of ['allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders'] as const) {
    const value = cors.strings(key, key === 'allowMethods' ? { min: 1, max: 64 } : {});
    if (value !== undefined) out[key] = value;
  }
  const maxAge = cors.number('maxAge');
  if (maxAge !== undefined) out.maxAge = maxAge;
  return out;
}

/**
 * Quick create (config-formats.md §5.3): an integration for `target` (a URL → HTTP_PROXY,
 * anything else → AWS_PROXY, a Lambda), the route, and a `$default` stage that auto-deploys,
 * all marked `apiGatewayManaged`.
 */
function quickCreate(ctx: StoreContext, managed: ManagedApi, target: string, routeKey: string, credentialsArn: string | undefined): void {
  const integration: IntegrationResource = { integrationId: ctx.resourceId(managed), connectionType: 'INTERNET', apiGatewayManaged: true, ...integrationFor(target) };
  if (credentialsArn !== undefined) integration.credentialsArn = credentialsArn;
  managed.integrations.push(integration);
  const route: RouteResource = {
    routeId: ctx.resourceId(managed),
    routeKey,
    target: `integrations/${integration.integrationId}`,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    apiGatewayManaged: true,
  };
  managed.routes.push(route);
  if (!managed.stages.some((s) => s.stageName === '$default')) {
    const now = ctx.timestamp();
    const stage: StageResource = {
      stageName: '$default',
      autoDeploy: true,
      createdDate: now,
      lastUpdatedDate: now,
      defaultRouteSettings: { detailedMetricsEnabled: false },
      routeSettings: {},
      stageVariables: {},
      tags: {},
      apiGatewayManaged: true,
    };
    managed.stages.push(stage);
  }
}

function integrationFor(target: string): Pick<IntegrationResource, 'integrationType' | 'integrationUri' | 'integrationMethod' | 'payloadFormatVersion' | 'timeoutInMillis'> {
  if (/^https?:\/\//i.test(target)) return { integrationType: 'HTTP_PROXY', integrationUri: target, integrationMethod: 'ANY', payloadFormatVersion: '1.0', timeoutInMillis: 30_000 };
  return { integrationType: 'AWS_PROXY', integrationUri: target, integrationMethod: 'POST', payloadFormatVersion: '2.0', timeoutInMillis: 30_000 };
}

/** UpdateApi's quick-create members: they change the quick-created integration and route (or make them). */
function updateQuickCreate(ctx: StoreContext, managed: ManagedApi, target: string | undefined, routeKey: string | undefined, credentialsArn: string | undefined): void {
  const integration = managed.integrations.find((i) => i.apiGatewayManaged);
  const route = managed.routes.find((r) => r.apiGatewayManaged);
  if (!integration || !route) {
    if (target === undefined) throw badRequest('The API has no quick-create route: give a target to create one');
    quickCreate(ctx, managed, target, routeKey ?? '$default', credentialsArn);
    return;
  }
  if (routeKey !== undefined && routeKey !== route.routeKey && managed.routes.some((r) => r.routeKey === routeKey)) throw conflict(`Route with key ${routeKey} already exists for this API`);
  if (target !== undefined) Object.assign(integration, integrationFor(target));
  if (credentialsArn !== undefined) integration.credentialsArn = credentialsArn;
  if (routeKey !== undefined) route.routeKey = routeKey;
}

/** The API as the management API answers it. `apiEndpoint` is where this gateway serves it. */
export function apiView(managed: ManagedApi, apiEndpoint: string | undefined): Record<string, unknown> {
  return { ...(apiEndpoint !== undefined && { apiEndpoint }), ...structuredClone(managed.api) };
}
