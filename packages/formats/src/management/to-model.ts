import { traced, type Api, type Authorizer, type Integration, type Route, type Stage } from '../model/model.js';
import type { ApiSnapshot, ManagedApi, StageResource } from './resources.js';


/**
 * What one stage of a managed API serves, as the model (config-formats.md §0.2): the routes,
 * integrations, authorizers and CORS of the deployment the stage points at, with the stage's
 * own (live) variables and route settings. `base` is the model the API was read from, when it
 * came from a file: its objects keep where each field was written, so errors still name the line.
 * A Lambda URI may be a `FILE.EXPORT` handler path (DESIGN.md): toLocalgwConfig runs it as is.
 */
export function servedModel(managed: ManagedApi, stage: StageResource, snapshot: ApiSnapshot, base?: Api): Api {
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
      integrationUri: i.integrationUri,
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
      authorizerUri: a.authorizerUri,
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
  return api;
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
