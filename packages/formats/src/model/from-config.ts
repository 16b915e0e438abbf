import { cloneData } from './clone.js';
import { DEFAULT_IDENTITY_SOURCE, nameFunctions, type LocalgwConfig } from '@localgw/core';
import { traced, type Api, type Authorizer, type Integration, type LambdaFunction, type Route, type RouteSettings, type Stage } from './model.js';
import type { FunctionOverride } from './to-config.js';

export interface FromConfigOptions {
  /** The API's id; default `api`. */
  apiId?: string;
  /** The API's name (`info.title`, `Name`); default the id. */
  name?: string;
}

/** A config as the model: the API, and one function per distinct handler (what an export needs). */
export interface ConfigModel {
  api: Api;
  /** Each Lambda the API invokes, named as the gateway names it (`context.functionName`). */
  functions: LambdaFunction[];
}

/**
 * The invocation URI of a Lambda function, with the AWS variables that API Gateway substitutes
 * at import (config-formats.md §1.1): what an exported integration points at, a placeholder
 * until the function exists under that name in the account.
 */
export function lambdaInvocationUri(functionName: string): string {
  return `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${functionName}/invocations`;
}

/**
 * A localgw config (the running definition, whatever it was read from) → the model, so it can
 * be exported as OpenAPI or CloudFormation. The inverse of `toLocalgwConfig`: importing the
 * export (with the `functions` map the export names) gives the same routes, CORS and authorizers.
 * Lambda integrations point at a function per distinct handler and environment, named as
 * `nameFunctions` names them (or by the route's `functionName`).
 */
export function fromLocalgwConfig(config: LocalgwConfig, options: FromConfigOptions = {}): ConfigModel {
  const apiId = options.apiId ?? 'api';
  const api: Api = { ...traced(undefined), apiId, name: options.name ?? apiId, protocolType: 'HTTP', logicalId: undefined, routes: [], integrations: [], authorizers: [], stages: [] };
  const functions = new Map<string, LambdaFunction>();
  const addFunction = (name: string, handler: unknown, environment: Record<string, string> | undefined, timeout: number | undefined) => {
    if (functions.has(name)) return;
    const fn: LambdaFunction = { ...traced(undefined), functionName: name, logicalId: name, code: { kind: 'dir', dir: '.' } };
    if (typeof handler === 'string') fn.handler = handler;
    else fn.code = { kind: 'unavailable', reason: 'an inline function', hint: 'give it as "FILE.EXPORT"' };
    if (environment && Object.keys(environment).length > 0) fn.environment = { ...environment };
    if (timeout !== undefined) fn.timeout = timeout;
    functions.set(name, fn);
  };

  if (config.cors) api.corsConfiguration = cloneData(config.cors);

  const authorizerIds = new Map<string, Authorizer>();
  for (const [name, input] of Object.entries(config.authorizers ?? {})) {
    const authorizer: Authorizer = { ...traced(undefined), authorizerId: `${apiId}:${name}`, name, aliases: [], authorizerType: 'JWT', identitySource: [] };
    if (input.type === 'jwt') {
      authorizer.identitySource = [input.identitySource ?? DEFAULT_IDENTITY_SOURCE];
      authorizer.jwtConfiguration = { issuer: input.issuer, audience: [...input.audience] };
    } else {
      authorizer.authorizerType = 'REQUEST';
      authorizer.identitySource = input.identitySource === undefined ? [] : Array.isArray(input.identitySource) ? [...input.identitySource] : [input.identitySource];
      const functionName = input.functionName ?? `authorizer-${name}`.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64);
      addFunction(functionName, input.handler, input.environment, undefined);
      authorizer.authorizerUri = lambdaInvocationUri(functionName);
      authorizer.authorizerPayloadFormatVersion = input.payloadFormatVersion;
      if (input.enableSimpleResponses !== undefined) authorizer.enableSimpleResponses = input.enableSimpleResponses;
      if (input.resultTtlInSeconds !== undefined) authorizer.authorizerResultTtlInSeconds = input.resultTtlInSeconds;
    }
    api.authorizers.push(authorizer);
    authorizerIds.set(name, authorizer);
  }

  const entries = Object.entries(config.routes).map(([routeKey, value]) => [routeKey, typeof value === 'string' ? { handler: value } : value] as const);
  const lambdaRoutes = entries.filter(([, route]) => 'handler' in route);
  const names = nameFunctions(
    lambdaRoutes.map(([routeKey, route]) => {
      const lambda = route as { handler: string; environment?: Record<string, string>; functionName?: string };
      return { handler: lambda.handler, environment: lambda.environment ?? {}, routeKey, functionName: lambda.functionName };
    }),
  );
  const nameOf = new Map(lambdaRoutes.map(([routeKey], i) => [routeKey, names[i]!]));

  const stage: Stage = { ...traced(undefined), stageName: config.stage ?? '$default', autoDeploy: true };
  if (config.stageVariables && Object.keys(config.stageVariables).length > 0) stage.stageVariables = { ...config.stageVariables };
  if (config.throttle) stage.defaultRouteSettings = throttleSettings(config.throttle);

  for (const [routeKey, route] of entries) {
    const integration: Integration = { ...traced(undefined), integrationId: `${apiId}:${routeKey}`, integrationType: 'AWS_PROXY' };
    if ('handler' in route) {
      const functionName = nameOf.get(routeKey)!;
      addFunction(functionName, route.handler, route.environment, route.timeout);
      integration.integrationUri = lambdaInvocationUri(functionName);
      integration.payloadFormatVersion = route.payloadFormatVersion ?? '2.0';
    } else {
      integration.integrationType = 'HTTP_PROXY';
      integration.integrationUri = route.url;
      integration.integrationMethod = route.method?.toUpperCase() ?? 'ANY';
      integration.payloadFormatVersion = '1.0';
    }
    if (route.timeout !== undefined) integration.timeoutInMillis = Math.round(route.timeout * 1000);
    if (route.requestParameters) integration.requestParameters = { ...route.requestParameters };
    if (route.responseParameters) integration.responseParameters = cloneData(route.responseParameters);
    api.integrations.push(integration);

    const out: Route = { ...traced(undefined), routeId: `${apiId}:${routeKey}`, routeKey, target: `integrations/${integration.integrationId}`, authorizationType: 'NONE' };
    const authorizer = route.authorizer === undefined ? undefined : authorizerIds.get(route.authorizer);
    if (authorizer) {
      out.authorizationType = authorizer.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
      out.authorizerId = authorizer.authorizerId;
      if (route.authorizationScopes?.length) out.authorizationScopes = [...route.authorizationScopes];
    }
    api.routes.push(out);
    if (route.throttle) (stage.routeSettings ??= {})[routeKey] = throttleSettings(route.throttle);
  }
  api.stages.push(stage);
  return { api, functions: [...functions.values()] };
}

function throttleSettings(throttle: { rateLimit: number; burstLimit: number }): RouteSettings {
  return { throttlingRateLimit: throttle.rateLimit, throttlingBurstLimit: throttle.burstLimit };
}

/**
 * The `functions` of a localgw config beside an exported document: each function the export
 * invokes by name, back to the handler (and environment) it runs locally. With it, serving the
 * export gives the same API as the config it came from.
 */
export function localFunctionsOf(functions: readonly LambdaFunction[]): Record<string, FunctionOverride> {
  const out: Record<string, FunctionOverride> = {};
  for (const fn of functions) {
    if (fn.handler === undefined) continue;
    out[fn.functionName] = { handler: fn.handler, ...(fn.environment && Object.keys(fn.environment).length > 0 && { environment: { ...fn.environment } }) };
  }
  return out;
}
