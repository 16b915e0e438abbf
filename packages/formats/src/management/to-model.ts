import { nameFunctions } from '@localgw/core';
import { parseLambdaUri } from '../cloudformation/lambda-arn.js';
import { traced, type Api, type Authorizer, type Integration, type Route, type Stage } from '../model/model.js';
import type { FunctionOverride } from '../model/to-config.js';
import type { ApiSnapshot, ManagedApi, StageResource } from './resources.js';

export interface ServedModel {
  /** One stage of the API, with what its deployment holds: ready for toLocalgwConfig. */
  api: Api;
  /** Handlers named by a `FILE.EXPORT` URI, under the function name the URI stands for. */
  handlerFunctions: Record<string, FunctionOverride>;
}

/**
 * What one stage of a managed API serves, as the model (config-formats.md §0.2): the routes,
 * integrations, authorizers and CORS of the deployment the stage points at, with the stage's
 * own (live) variables and route settings. `base` is the model the API was read from, when it
 * came from a file: its objects keep where each field was written, so errors still name the line.
 *
 * A Lambda URI that names no function (`handlers/items.get`) is a handler path: it gets the name
 * localgw would give that handler in a config, and the handler in `handlerFunctions`.
 */
export function servedModel(managed: ManagedApi, stage: StageResource, snapshot: ApiSnapshot, base?: Api): ServedModel {
  const handlerFunctions: Record<string, FunctionOverride> = {};
  const functionOf = (uri: string | undefined): string | undefined => {
    if (uri === undefined || parseLambdaUri(uri) !== undefined) return uri;
    const [name] = nameFunctions([{ handler: uri, environment: {}, routeKey: uri }]);
    handlerFunctions[name!] = { handler: uri };
    return name;
  };
  const find = <T>(list: readonly T[] | undefined, match: (item: T) => boolean): T | undefined => list?.find(match);

  const routes = snapshot.routes.map((r): Route => {
    const from = find(base?.routes, (b) => b.routeId === r.routeId) ?? traced(undefined);
    return pick({ ...from }, {
      routeId: r.routeId,
      routeKey: r.routeKey,
      target: r.target,
      authorizationType: r.authorizationType,
      authorizerId: r.authorizerId,
      authorizationScopes: r.authorizationScopes,
      operationName: r.operationName,
    }) as Route;
  });
  const integrations = snapshot.integrations.map((i): Integration => {
    const from = find(base?.integrations, (b) => b.integrationId === i.integrationId) ?? traced(undefined);
    return pick({ ...from }, {
      integrationId: i.integrationId,
      integrationType: i.integrationType,
      integrationUri: i.integrationType === 'AWS_PROXY' ? functionOf(i.integrationUri) : i.integrationUri,
      integrationMethod: i.integrationMethod,
      payloadFormatVersion: i.payloadFormatVersion as Integration['payloadFormatVersion'],
      timeoutInMillis: i.timeoutInMillis,
      requestParameters: i.requestParameters,
      responseParameters: i.responseParameters,
      connectionType: i.connectionType,
      integrationSubtype: i.integrationSubtype,
    }) as Integration;
  });
  const authorizers = snapshot.authorizers.map((a): Authorizer => {
    const from: Partial<Authorizer> = find(base?.authorizers, (b) => b.authorizerId === a.authorizerId) ?? { ...traced(undefined), aliases: [] };
    return pick({ ...from }, {
      authorizerId: a.authorizerId,
      name: a.name,
      authorizerType: a.authorizerType,
      identitySource: a.identitySource,
      jwtConfiguration: a.jwtConfiguration,
      authorizerUri: a.authorizerType === 'REQUEST' ? functionOf(a.authorizerUri) : a.authorizerUri,
      authorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion as Authorizer['authorizerPayloadFormatVersion'],
      enableSimpleResponses: a.enableSimpleResponses,
      authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
    }) as Authorizer;
  });
  const baseStage = find(base?.stages, (s) => s.stageName === stage.stageName) ?? traced(undefined);
  const served: Stage = pick({ ...baseStage }, {
    stageName: stage.stageName,
    stageVariables: stage.stageVariables,
    autoDeploy: stage.autoDeploy,
    defaultRouteSettings: stage.defaultRouteSettings,
    routeSettings: stage.routeSettings,
  }) as Stage;
  const api: Api = {
    ...(base ?? { ...traced(undefined), logicalId: undefined }),
    apiId: managed.api.apiId,
    name: managed.api.name,
    protocolType: 'HTTP',
    routes,
    integrations,
    authorizers,
    stages: [served],
  };
  if (snapshot.corsConfiguration) api.corsConfiguration = structuredClone(snapshot.corsConfiguration);
  else delete api.corsConfiguration;
  return { api, handlerFunctions };
}

/** `target` with each of `fields` set, or removed where the value is undefined. */
function pick<T extends object>(target: T, fields: Record<string, unknown>): T {
  const out = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete out[key];
    else out[key] = structuredClone(value);
  }
  return target;
}
