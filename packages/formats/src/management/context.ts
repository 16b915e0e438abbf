import { notFound } from './errors.js';
import type { ApiSnapshot, AuthorizerResource, IntegrationResource, ManagedApi, ManagementState, RouteResource, StageResource, StoredDeployment } from './resources.js';

/** What the store needs from outside: ids and the clock (formats does no I/O and draws no randomness itself). */
export interface StoreDeps {
  /** A fresh id: 10 characters for an API, 7 for a route, integration or authorizer, 6 for a deployment, as AWS's. */
  newId(length: number): string;
  now(): Date;
}

/** Deployments kept per API besides the ones stages point at: each holds a copy of the API. */
export const MAX_UNUSED_DEPLOYMENTS = 20;
const ID_ATTEMPTS = 20;

/** The shared state and helpers of the operations: lookups that answer NotFoundException, ids, auto-deploy. */
export class StoreContext {
  readonly state: ManagementState;
  readonly deps: StoreDeps;

  constructor(state: ManagementState, deps: StoreDeps) {
    this.state = state;
    this.deps = deps;
  }

  /** `2020-04-08T19:05:45Z`: ISO-8601 without milliseconds, as AWS's responses write dates. */
  timestamp(): string {
    return this.deps.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** An id not already taken by `taken` (bounded: ids are random, a clash is rare). */
  id(length: number, taken: (id: string) => boolean): string {
    for (let i = 0; i < ID_ATTEMPTS; i++) {
      const id = this.deps.newId(length);
      if (!taken(id)) return id;
    }
    throw new Error(`could not draw a free id of ${length} characters`);
  }

  managed(apiId: string): ManagedApi {
    const found = this.state.apis.find((m) => m.api.apiId === apiId);
    if (!found) throw notFound('API', apiId);
    return found;
  }

  route(managed: ManagedApi, routeId: string): RouteResource {
    const found = managed.routes.find((r) => r.routeId === routeId);
    if (!found) throw notFound('Route', routeId);
    return found;
  }

  integration(managed: ManagedApi, integrationId: string): IntegrationResource {
    const found = managed.integrations.find((i) => i.integrationId === integrationId);
    if (!found) throw notFound('Integration', integrationId);
    return found;
  }

  authorizer(managed: ManagedApi, authorizerId: string): AuthorizerResource {
    const found = managed.authorizers.find((a) => a.authorizerId === authorizerId);
    if (!found) throw notFound('Authorizer', authorizerId);
    return found;
  }

  stage(managed: ManagedApi, stageName: string): StageResource {
    const found = managed.stages.find((s) => s.stageName === stageName);
    if (!found) throw notFound('Stage', stageName);
    return found;
  }

  deployment(managed: ManagedApi, deploymentId: string): StoredDeployment {
    const found = managed.deployments.find((d) => d.deploymentId === deploymentId);
    if (!found) throw notFound('Deployment', deploymentId);
    return found;
  }

  /** A resource id free in this API (routes, integrations and authorizers never share one). */
  resourceId(managed: ManagedApi): string {
    return this.id(7, (id) => managed.routes.some((r) => r.routeId === id) || managed.integrations.some((i) => i.integrationId === id) || managed.authorizers.some((a) => a.authorizerId === id));
  }

  /** For an API read from the config file: what the management API changed, for the reload's log. */
  record(managed: ManagedApi, change: string): void {
    if (managed.origin === 'config') managed.changes.push(change);
  }

  /** A deployment of the API as it is now, kept with a copy of what it deploys. */
  deploy(managed: ManagedApi, options: { autoDeployed: boolean; description?: string }): StoredDeployment {
    const deployment: StoredDeployment = {
      deploymentId: this.id(6, (id) => managed.deployments.some((d) => d.deploymentId === id)),
      createdDate: this.timestamp(),
      deploymentStatus: 'DEPLOYED',
      autoDeployed: options.autoDeployed,
      ...(options.description !== undefined && { description: options.description }),
      snapshot: snapshotOf(managed),
    };
    managed.deployments.push(deployment);
    return deployment;
  }

  /** Points a stage at a deployment, with the status text AWS shows for it. */
  setDeployment(stage: StageResource, deployment: StoredDeployment): void {
    stage.deploymentId = deployment.deploymentId;
    stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.deploymentId}'`;
    stage.lastUpdatedDate = this.timestamp();
  }

  /**
   * After a change to what a deployment holds: every `autoDeploy` stage gets a new deployment
   * at once (aws-behavior.md §1.2: other stages keep serving what was last deployed to them).
   */
  autoDeploy(managed: ManagedApi): void {
    const stages = managed.stages.filter((s) => s.autoDeploy);
    if (stages.length > 0) {
      const deployment = this.deploy(managed, { autoDeployed: true });
      for (const stage of stages) this.setDeployment(stage, deployment);
    }
    this.prune(managed);
  }

  /** Old deployments no stage points at are dropped past a bound: each one is a copy of the API. */
  prune(managed: ManagedApi): void {
    const used = new Set(managed.stages.map((s) => s.deploymentId));
    let unused = managed.deployments.filter((d) => !used.has(d.deploymentId)).length;
    if (unused <= MAX_UNUSED_DEPLOYMENTS) return;
    managed.deployments = managed.deployments.filter((d) => used.has(d.deploymentId) || unused-- <= MAX_UNUSED_DEPLOYMENTS);
  }
}

export function snapshotOf(managed: ManagedApi): ApiSnapshot {
  return structuredClone({
    ...(managed.api.corsConfiguration && { corsConfiguration: managed.api.corsConfiguration }),
    ...(managed.api.disableExecuteApiEndpoint !== undefined && { disableExecuteApiEndpoint: managed.api.disableExecuteApiEndpoint }),
    routes: managed.routes,
    integrations: managed.integrations,
    authorizers: managed.authorizers,
  });
}
