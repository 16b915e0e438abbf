import type { HandlerFunction, LocalgwConfig, ResolvedConfig } from '@localgw/core';
import { traced, type Api, type Authorizer, type Integration, type Route, type RouteSettings, type Stage } from './model.js';
import type { FunctionOverride } from './to-config.js';

/** What a native config says that the model has no field for; put back when the model is served. */
export interface ConfigExtras {
  /** `devTokens`, `idleTimeout`: gateway settings, not API resources. */
  top: Pick<LocalgwConfig, 'devTokens' | 'idleTimeout'>;
  /** A JWT authorizer's local key set, by authorizer name. */
  jwks: Record<string, NonNullable<Extract<NonNullable<LocalgwConfig['authorizers']>[string], { type: 'jwt' }>['jwks']>>;
}

export interface ConfigAsModel {
  api: Api;
  /** The handler (and environment) of each function the config's integrations name, by function name. */
  functions: Record<string, FunctionOverride>;
  extras: ConfigExtras;
}

/**
 * A native `localgw.config` as the model (config-formats.md §0.2): the reader that lets the
 * management API show and edit the config's API like any other. Each Lambda route becomes an
 * `AWS_PROXY` integration whose URI is the function's name, its handler kept in `functions`;
 * routes' throttling becomes the stage's route settings. `toLocalgwConfig(api, [], { functions })`
 * plus `extras` gives the same config back.
 *
 * `raw` is the config as written (validated), `resolved` what resolveConfig made of it: the
 * names of functions and the defaults come from the latter, mappings and URLs from the former.
 */
export function fromLocalgwConfig(raw: LocalgwConfig, resolved: ResolvedConfig, apiId: string, name: string): ConfigAsModel {
  const api: Api = { ...traced(undefined), apiId, name, protocolType: 'HTTP', logicalId: undefined, routes: [], integrations: [], authorizers: [], stages: [] };
  const functions: Record<string, FunctionOverride> = {};
  const extras: ConfigExtras = { top: {}, jwks: {} };
  if (raw.devTokens !== undefined) extras.top.devTokens = raw.devTokens;
  if (raw.idleTimeout !== undefined) extras.top.idleTimeout = raw.idleTimeout;
  if (raw.cors) api.corsConfiguration = structuredClone(raw.cors);

  const authorizerIds = new Map<string, Authorizer>();
  for (const authorizer of Object.values(resolved.authorizers)) {
    const model: Authorizer = { ...traced(undefined), authorizerId: `authorizer:${authorizer.name}`, name: authorizer.name, aliases: [], authorizerType: 'JWT', identitySource: [] };
    if (authorizer.type === 'jwt') {
      model.identitySource = [authorizer.identitySource];
      model.jwtConfiguration = { issuer: authorizer.issuer, audience: [...authorizer.audience] };
      if (authorizer.jwks !== undefined) extras.jwks[authorizer.name] = authorizer.jwks;
    } else {
      const functionName = authorizer.functionName ?? authorizerFunctionName(authorizer.name);
      Object.assign(model, {
        authorizerType: 'REQUEST',
        identitySource: authorizer.identitySource.map((s) => s.expression),
        authorizerUri: functionName,
        authorizerPayloadFormatVersion: authorizer.payloadFormatVersion,
        enableSimpleResponses: authorizer.enableSimpleResponses,
        authorizerResultTtlInSeconds: authorizer.resultTtlMs / 1000,
      });
      functions[functionName] = override(authorizer.handler, authorizer.environment);
    }
    api.authorizers.push(model);
    authorizerIds.set(authorizer.name, model);
  }

  const stage: Stage = { ...traced(undefined), stageName: resolved.stage, autoDeploy: true, routeSettings: {} };
  if (raw.stageVariables) stage.stageVariables = { ...raw.stageVariables };
  if (raw.throttle) stage.defaultRouteSettings = throttling(raw.throttle);

  const rawRoutes = Object.entries(raw.routes);
  for (const [index, route] of resolved.routes.entries()) {
    const written = rawRoutes[index]![1];
    const shape: { url?: string; requestParameters?: Record<string, string>; responseParameters?: Record<string, Record<string, string>>; throttle?: { rateLimit: number; burstLimit: number } } =
      typeof written === 'string' ? {} : written;
    const routeKey = route.key.routeKey;
    const integration: Integration = { ...traced(undefined), integrationId: `integration:${routeKey}`, integrationType: 'AWS_PROXY', connectionType: 'INTERNET', timeoutInMillis: route.integration.timeoutMs };
    if (route.integration.type === 'lambda') {
      const { functionName } = route.integration;
      Object.assign(integration, { integrationUri: functionName, integrationMethod: 'POST', payloadFormatVersion: route.integration.payloadFormatVersion });
      functions[functionName] = override(route.integration.handler, route.integration.environment);
    } else {
      // The URL as written: stage variables in it are filled in when it is served.
      Object.assign(integration, { integrationType: 'HTTP_PROXY', integrationUri: 'url' in shape ? shape.url : route.integration.url, integrationMethod: route.integration.method ?? 'ANY', payloadFormatVersion: '1.0' });
    }
    if (shape.requestParameters) integration.requestParameters = { ...shape.requestParameters };
    if (shape.responseParameters) integration.responseParameters = structuredClone(shape.responseParameters);
    api.integrations.push(integration);

    const model: Route = { ...traced(undefined), routeId: `route:${routeKey}`, routeKey, target: `integrations/${integration.integrationId}`, authorizationType: 'NONE' };
    if (route.authorizer !== undefined) {
      const authorizer = authorizerIds.get(route.authorizer)!;
      model.authorizationType = authorizer.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
      model.authorizerId = authorizer.authorizerId;
      if (route.authorizationScopes?.length) model.authorizationScopes = [...route.authorizationScopes];
    }
    api.routes.push(model);
    if (shape.throttle) stage.routeSettings![routeKey] = throttling(shape.throttle);
  }
  api.stages.push(stage);
  return { api, functions, extras };
}

function override(handler: string | HandlerFunction, environment: Readonly<Record<string, string>>): FunctionOverride {
  return { handler, ...(Object.keys(environment).length > 0 && { environment: { ...environment } }) };
}

function throttling(limits: { rateLimit: number; burstLimit: number }): RouteSettings {
  return { throttlingRateLimit: limits.rateLimit, throttlingBurstLimit: limits.burstLimit };
}

/** The name localgw gives a REQUEST authorizer's function when the config names none: `authorizer-NAME`. */
export function authorizerFunctionName(name: string): string {
  return `authorizer-${name}`.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
}

/**
 * The model served again as a native config: what toLocalgwConfig makes of it, plus what the
 * model has no field for (gateway settings, local key sets of authorizers that still exist).
 */
export function withConfigExtras(config: LocalgwConfig, extras: ConfigExtras, apiId: string | undefined): LocalgwConfig {
  const out: LocalgwConfig = { ...config, ...extras.top, ...(apiId !== undefined && { apiId }) };
  if (out.authorizers) {
    const authorizers = { ...out.authorizers };
    for (const [name, jwks] of Object.entries(extras.jwks)) {
      const authorizer = authorizers[name];
      if (authorizer?.type === 'jwt') authorizers[name] = { ...authorizer, jwks };
    }
    out.authorizers = authorizers;
  }
  return out;
}
