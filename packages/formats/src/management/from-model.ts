import type { Api, Authorizer, Integration, Route, Stage } from '../model/model.js';
import { snapshotOf } from './context.js';
import {
  API_KEY_SELECTION_EXPRESSION,
  ROUTE_SELECTION_EXPRESSION,
  type AuthorizerResource,
  type IntegrationResource,
  type ManagedApi,
  type RouteResource,
  type StageResource,
} from './resources.js';

export interface FromModelOptions {
  /** ISO-8601: when the file was read (the API's and its stages' createdDate). */
  now: string;
  /** What else distinguishes one version of the file from another (handler paths), for the baseline. */
  fingerprintExtra?: unknown;
}

export interface ModelAsManaged {
  managed: ManagedApi;
  /** The model with the management API's ids: what a management edit is merged back into. */
  model: Api;
}

/**
 * An API read from a config file or template as the management API shows it. Ids become short
 * and URL-safe, derived from the model's own (a logical id, a route key), so they stay the same
 * from one reload to the next and a script can keep using them. Each stage serves the file as it
 * is (the file is its deployment): one deployment, which every stage points at.
 */
export function fromModel(api: Api, options: FromModelOptions): ModelAsManaged {
  const model = withWireIds(api);
  const stages = (model.stages.length > 0 ? model.stages : [{ stageName: '$default', autoDeploy: true } as Stage]).map((s) => stageResource(s, options.now));
  const managed: ManagedApi = { ...managedResources(model, options.now, false), stages, deployments: [], origin: 'config', changes: [] };
  const deploymentId = shortId(`deployment:${model.apiId}`, 6);
  managed.deployments.push({ deploymentId, createdDate: options.now, deploymentStatus: 'DEPLOYED', autoDeployed: true, description: 'the config file', snapshot: snapshotOf(managed) });
  for (const stage of stages) {
    stage.deploymentId = deploymentId;
    stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deploymentId}'`;
  }
  managed.baseline = fingerprint(managed, options.fingerprintExtra);
  return { managed, model };
}

/**
 * The API, its routes, integrations and authorizers as the management API's resources, with
 * short ids derived from the model's (`rename` false: the model has them already).
 */
export function managedResources(api: Api, now: string, rename = true): Pick<ManagedApi, 'api' | 'routes' | 'integrations' | 'authorizers'> {
  const model = rename ? withWireIds(api) : api;
  return {
    api: {
      apiId: model.apiId,
      name: model.name,
      protocolType: 'HTTP',
      routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
      apiKeySelectionExpression: API_KEY_SELECTION_EXPRESSION,
      createdDate: now,
      tags: {},
      ...(model.corsConfiguration && { corsConfiguration: structuredClone(model.corsConfiguration) }),
      ...(model.description !== undefined && { description: model.description }),
      ...(model.disableExecuteApiEndpoint !== undefined && { disableExecuteApiEndpoint: model.disableExecuteApiEndpoint }),
    },
    routes: model.routes.map(routeResource),
    integrations: model.integrations.map(integrationResource),
    authorizers: model.authorizers.map(authorizerResource),
  };
}

/**
 * What the file says about the API, without dates or ids of deployments: equal fingerprints
 * mean a reload found the file's API unchanged (a handler edit), so management changes stay.
 */
export function fingerprint(managed: ManagedApi, extra: unknown): string {
  const { createdDate: _created, ...api } = managed.api;
  const stages = managed.stages.map(({ createdDate: _c, lastUpdatedDate: _u, deploymentId: _d, lastDeploymentStatusMessage: _m, ...stage }) => stage);
  return JSON.stringify([api, managed.routes, managed.integrations, managed.authorizers, stages, extra ?? null]);
}

/** The model with short ids, and every reference (`target`, `authorizerId`) following them. */
function withWireIds(api: Api): Api {
  const used = new Set<string>();
  const rename = (id: string) => {
    let out = shortId(id, 7);
    for (let n = 2; used.has(out); n++) out = shortId(`${id}#${n}`, 7);
    used.add(out);
    return out;
  };
  const integrationIds = new Map(api.integrations.map((i) => [i.integrationId, rename(`integration:${i.integrationId}`)]));
  const authorizerIds = new Map(api.authorizers.map((a) => [a.authorizerId, rename(`authorizer:${a.authorizerId}`)]));
  return {
    ...api,
    integrations: api.integrations.map((i) => ({ ...i, integrationId: integrationIds.get(i.integrationId)! })),
    authorizers: api.authorizers.map((a) => ({ ...a, authorizerId: authorizerIds.get(a.authorizerId)! })),
    routes: api.routes.map((r) => {
      const target = r.target === undefined ? undefined : /^integrations\/(.+)$/.exec(r.target)?.[1];
      const route: Route = { ...r, routeId: rename(`route:${r.routeId}`) };
      if (target !== undefined && integrationIds.has(target)) route.target = `integrations/${integrationIds.get(target)!}`;
      if (r.authorizerId !== undefined && authorizerIds.has(r.authorizerId)) route.authorizerId = authorizerIds.get(r.authorizerId)!;
      return route;
    }),
  };
}

/** A stable id of `length` lowercase letters and digits (FNV-1a, twice for enough bits). */
export function shortId(text: string, length: number): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0;
  }
  const digits = (a.toString(36) + b.toString(36)).padStart(length, '0');
  return digits.slice(-length);
}

function routeResource(route: Route): RouteResource {
  return clean({
    routeId: route.routeId,
    routeKey: route.routeKey,
    authorizationType: route.authorizationType,
    apiKeyRequired: false,
    target: route.target,
    authorizerId: route.authorizerId,
    authorizationScopes: route.authorizationScopes,
    operationName: route.operationName,
  });
}

function integrationResource(integration: Integration): IntegrationResource {
  const http = integration.integrationType === 'HTTP_PROXY';
  return clean({
    integrationId: integration.integrationId,
    integrationType: integration.integrationType,
    connectionType: integration.connectionType ?? 'INTERNET',
    integrationUri: integration.integrationUri,
    // The defaults AWS echoes (config-formats.md §5.3), which are also what localgw runs with.
    integrationMethod: integration.integrationMethod ?? (http ? 'ANY' : 'POST'),
    payloadFormatVersion: integration.payloadFormatVersion ?? (http ? '1.0' : undefined),
    timeoutInMillis: integration.timeoutInMillis ?? 30_000,
    integrationSubtype: integration.integrationSubtype,
    requestParameters: integration.requestParameters,
    responseParameters: integration.responseParameters,
  });
}

function authorizerResource(authorizer: Authorizer): AuthorizerResource {
  return clean({
    authorizerId: authorizer.authorizerId,
    name: authorizer.name,
    authorizerType: authorizer.authorizerType,
    identitySource: [...authorizer.identitySource],
    jwtConfiguration: authorizer.jwtConfiguration,
    authorizerUri: authorizer.authorizerUri,
    authorizerPayloadFormatVersion: authorizer.authorizerPayloadFormatVersion,
    enableSimpleResponses: authorizer.enableSimpleResponses,
    authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
  });
}

function stageResource(stage: Stage, now: string): StageResource {
  return {
    stageName: stage.stageName,
    // A file serves what it says at once; a template stage keeps its own AutoDeploy for later edits.
    autoDeploy: stage.autoDeploy ?? true,
    createdDate: now,
    lastUpdatedDate: now,
    defaultRouteSettings: { detailedMetricsEnabled: false, ...stage.defaultRouteSettings },
    routeSettings: structuredClone(stage.routeSettings ?? {}),
    stageVariables: { ...stage.stageVariables },
    tags: {},
  };
}

/** A copy without the members that are undefined (they are absent on the wire). */
function clean<T extends object>(value: T): T {
  return structuredClone(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))) as T;
}
