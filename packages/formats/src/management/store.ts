import { createApi, deleteApi, deleteCors, updateApi } from './apis.js';
import { createAuthorizer, deleteAuthorizer, updateAuthorizer } from './authorizers.js';
import { StoreContext, type StoreDeps } from './context.js';
import { createIntegration, deleteIntegration, updateIntegration } from './integrations.js';
import type * as ImportExport from './import-export.js';
import type { ExportQuery, ImportQuery } from './import-export.js';
import { paginate } from './paginate.js';
import type { AuthorizerResource, DeploymentResource, IntegrationResource, ManagedApi, ManagementState, RouteResource, StageResource } from './resources.js';
import { createRoute, deleteRoute, updateRoute } from './routes.js';
import { createDeployment, createStage, deleteAccessLogSettings, deleteDeployment, deleteRouteSettings, deleteStage, deploymentView, updateDeployment, updateStage } from './stages.js';
import { getTags, tagResource, untagResource } from './tags.js';

/** `maxResults` and `nextToken` of a list operation, as they arrive in the query string. */
export interface PageQuery {
  maxResults?: string | undefined;
  nextToken?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** `@localgw/formats/documents`: what ImportApi, ReimportApi and ExportApi read and write OpenAPI with. */
export type Documents = Pick<typeof ImportExport, 'importApi' | 'reimportApi' | 'exportApi'>;

/**
 * The management API's operations (config-formats.md §5.2) over a ManagementState: each checks
 * its input as API Gateway does (throwing ManagementError) and edits the state. Pure: ids and
 * the clock come from `deps`. Answers are copies, never the state itself. The operations on
 * OpenAPI documents take `documents`, loaded by the caller when one is asked for.
 */
export class ManagementStore {
  readonly #ctx: StoreContext;

  constructor(state: ManagementState, deps: StoreDeps) {
    this.#ctx = new StoreContext(state, deps);
  }

  get state(): ManagementState {
    return this.#ctx.state;
  }

  managed(apiId: string): ManagedApi {
    return this.#ctx.managed(apiId);
  }

  // APIs
  createApi(body: unknown): ManagedApi {
    return createApi(this.#ctx, body);
  }
  getApis(query: PageQuery): Page<ManagedApi> {
    return paginate(this.#ctx.state.apis, query);
  }
  updateApi(apiId: string, body: unknown): ManagedApi {
    return updateApi(this.#ctx, apiId, body);
  }
  deleteApi(apiId: string): void {
    deleteApi(this.#ctx, apiId);
  }
  deleteCorsConfiguration(apiId: string): void {
    deleteCors(this.#ctx, apiId);
  }
  importApi(documents: Documents, body: unknown, query: ImportQuery): ManagedApi {
    return documents.importApi(this.#ctx, body, query);
  }
  reimportApi(documents: Documents, apiId: string, body: unknown, query: ImportQuery): ManagedApi {
    return documents.reimportApi(this.#ctx, apiId, body, query);
  }
  exportApi(documents: Documents, apiId: string, specification: string, query: ExportQuery): { body: string; contentType: string } {
    return documents.exportApi(this.#ctx, apiId, specification, query);
  }

  // Routes
  createRoute(apiId: string, body: unknown): RouteResource {
    return copy(createRoute(this.#ctx, apiId, body));
  }
  getRoutes(apiId: string, query: PageQuery): Page<RouteResource> {
    return copy(paginate(this.#ctx.managed(apiId).routes, query));
  }
  getRoute(apiId: string, routeId: string): RouteResource {
    return copy(this.#ctx.route(this.#ctx.managed(apiId), routeId));
  }
  updateRoute(apiId: string, routeId: string, body: unknown): RouteResource {
    return copy(updateRoute(this.#ctx, apiId, routeId, body));
  }
  deleteRoute(apiId: string, routeId: string): void {
    deleteRoute(this.#ctx, apiId, routeId);
  }

  // Integrations
  createIntegration(apiId: string, body: unknown): IntegrationResource {
    return copy(createIntegration(this.#ctx, apiId, body));
  }
  getIntegrations(apiId: string, query: PageQuery): Page<IntegrationResource> {
    return copy(paginate(this.#ctx.managed(apiId).integrations, query));
  }
  getIntegration(apiId: string, integrationId: string): IntegrationResource {
    return copy(this.#ctx.integration(this.#ctx.managed(apiId), integrationId));
  }
  updateIntegration(apiId: string, integrationId: string, body: unknown): IntegrationResource {
    return copy(updateIntegration(this.#ctx, apiId, integrationId, body));
  }
  deleteIntegration(apiId: string, integrationId: string): void {
    deleteIntegration(this.#ctx, apiId, integrationId);
  }

  // Authorizers
  createAuthorizer(apiId: string, body: unknown): AuthorizerResource {
    return copy(createAuthorizer(this.#ctx, apiId, body));
  }
  getAuthorizers(apiId: string, query: PageQuery): Page<AuthorizerResource> {
    return copy(paginate(this.#ctx.managed(apiId).authorizers, query));
  }
  getAuthorizer(apiId: string, authorizerId: string): AuthorizerResource {
    return copy(this.#ctx.authorizer(this.#ctx.managed(apiId), authorizerId));
  }
  updateAuthorizer(apiId: string, authorizerId: string, body: unknown): AuthorizerResource {
    return copy(updateAuthorizer(this.#ctx, apiId, authorizerId, body));
  }
  deleteAuthorizer(apiId: string, authorizerId: string): void {
    deleteAuthorizer(this.#ctx, apiId, authorizerId);
  }

  // Stages
  createStage(apiId: string, body: unknown): StageResource {
    return copy(createStage(this.#ctx, apiId, body));
  }
  getStages(apiId: string, query: PageQuery): Page<StageResource> {
    return copy(paginate(this.#ctx.managed(apiId).stages, query));
  }
  getStage(apiId: string, stageName: string): StageResource {
    return copy(this.#ctx.stage(this.#ctx.managed(apiId), stageName));
  }
  updateStage(apiId: string, stageName: string, body: unknown): StageResource {
    return copy(updateStage(this.#ctx, apiId, stageName, body));
  }
  deleteStage(apiId: string, stageName: string): void {
    deleteStage(this.#ctx, apiId, stageName);
  }
  deleteRouteSettings(apiId: string, stageName: string, routeKey: string): void {
    deleteRouteSettings(this.#ctx, apiId, stageName, routeKey);
  }
  deleteAccessLogSettings(apiId: string, stageName: string): void {
    deleteAccessLogSettings(this.#ctx, apiId, stageName);
  }

  // Deployments
  createDeployment(apiId: string, body: unknown): DeploymentResource {
    return deploymentView(createDeployment(this.#ctx, apiId, body));
  }
  getDeployments(apiId: string, query: PageQuery): Page<DeploymentResource> {
    const page = paginate(this.#ctx.managed(apiId).deployments, query);
    return { ...page, items: page.items.map(deploymentView) };
  }
  getDeployment(apiId: string, deploymentId: string): DeploymentResource {
    return deploymentView(this.#ctx.deployment(this.#ctx.managed(apiId), deploymentId));
  }
  updateDeployment(apiId: string, deploymentId: string, body: unknown): DeploymentResource {
    return deploymentView(updateDeployment(this.#ctx, apiId, deploymentId, body));
  }
  deleteDeployment(apiId: string, deploymentId: string): void {
    deleteDeployment(this.#ctx, apiId, deploymentId);
  }

  // Tags
  getTags(arn: string): { tags: Record<string, string> } {
    return getTags(this.#ctx, arn);
  }
  tagResource(arn: string, tags: Record<string, string>): void {
    tagResource(this.#ctx, arn, tags);
  }
  untagResource(arn: string, keys: readonly string[]): void {
    untagResource(this.#ctx, arn, keys);
  }
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
