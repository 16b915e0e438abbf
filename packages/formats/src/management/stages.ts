import type { RouteSettings } from '../model/model.js';
import type { StoreContext } from './context.js';
import { badRequest, conflict } from './errors.js';
import { Input } from './input.js';
import type { DeploymentResource, ManagedApi, StageResource, StoredDeployment } from './resources.js';
import { checkStageName, checkStageVariables } from './validate.js';

const LOGGING_LEVELS = ['ERROR', 'INFO', 'OFF'] as const;

export function createStage(ctx: StoreContext, apiId: string, body: unknown): StageResource {
  const managed = ctx.managed(apiId);
  const input = new Input(body);
  const stageName = input.required('stageName', input.string('stageName', { min: 1, max: 128 }));
  checkStageName(stageName);
  if (managed.stages.some((s) => s.stageName === stageName)) throw conflict(`Stage already exists: ${stageName}`);
  const now = ctx.timestamp();
  const stage: StageResource = {
    stageName,
    autoDeploy: false,
    createdDate: now,
    lastUpdatedDate: now,
    defaultRouteSettings: { detailedMetricsEnabled: false },
    routeSettings: {},
    stageVariables: {},
    tags: input.stringMap('tags') ?? {},
  };
  applyStageMembers(ctx, managed, stage, input);
  managed.stages.push(stage);
  ctx.record(managed, `CreateStage ${stageName}`);
  // A stage created with autoDeploy serves the API as it is at once (aws-behavior.md §1.2).
  if (stage.autoDeploy) ctx.setDeployment(stage, ctx.deploy(managed, { autoDeployed: true }));
  return stage;
}

export function updateStage(ctx: StoreContext, apiId: string, stageName: string, body: unknown): StageResource {
  const managed = ctx.managed(apiId);
  const stage = ctx.stage(managed, stageName);
  const next = structuredClone(stage);
  const wasAutoDeploy = stage.autoDeploy;
  applyStageMembers(ctx, managed, next, new Input(body));
  next.lastUpdatedDate = ctx.timestamp();
  Object.assign(stage, next);
  ctx.record(managed, `UpdateStage ${stageName}`);
  if (stage.autoDeploy && !wasAutoDeploy) ctx.setDeployment(stage, ctx.deploy(managed, { autoDeployed: true }));
  ctx.prune(managed);
  return stage;
}

export function deleteStage(ctx: StoreContext, apiId: string, stageName: string): void {
  const managed = ctx.managed(apiId);
  const stage = ctx.stage(managed, stageName);
  managed.stages.splice(managed.stages.indexOf(stage), 1);
  ctx.record(managed, `DeleteStage ${stageName}`);
  ctx.prune(managed);
}

/** DeleteRouteSettings: the route falls back to the stage's default route settings. */
export function deleteRouteSettings(ctx: StoreContext, apiId: string, stageName: string, routeKey: string): void {
  const managed = ctx.managed(apiId);
  const stage = ctx.stage(managed, stageName);
  if (!Object.hasOwn(stage.routeSettings, routeKey)) throw badRequest(`Unable to find route settings for ${routeKey} in stage ${stageName}`);
  delete stage.routeSettings[routeKey];
  stage.lastUpdatedDate = ctx.timestamp();
  ctx.record(managed, `DeleteRouteSettings ${stageName} ${routeKey}`);
}

export function deleteAccessLogSettings(ctx: StoreContext, apiId: string, stageName: string): void {
  const managed = ctx.managed(apiId);
  const stage = ctx.stage(managed, stageName);
  delete stage.accessLogSettings;
  stage.lastUpdatedDate = ctx.timestamp();
}

/**
 * Stage members; stage variables and route settings merge into the stage's (an empty value
 * removes a variable), as updates of a live stage are made one setting at a time.
 */
function applyStageMembers(ctx: StoreContext, managed: ManagedApi, stage: StageResource, input: Input): void {
  const autoDeploy = input.boolean('autoDeploy');
  if (autoDeploy !== undefined) stage.autoDeploy = autoDeploy;
  const description = input.string('description', { max: 1024 });
  if (description !== undefined) stage.description = description;
  const variables = input.stringMap('stageVariables');
  if (variables !== undefined) {
    const merged = { ...stage.stageVariables, ...variables };
    for (const [name, value] of Object.entries(merged)) if (value === '') delete merged[name];
    checkStageVariables(merged);
    stage.stageVariables = merged;
  }
  const defaults = input.object('defaultRouteSettings');
  if (defaults) stage.defaultRouteSettings = { ...stage.defaultRouteSettings, ...readRouteSettings(defaults) };
  const perRoute = input.object('routeSettings');
  if (perRoute) {
    const raw = input.raw('routeSettings') as Record<string, unknown>;
    for (const routeKey of Object.keys(raw)) {
      if (!managed.routes.some((r) => r.routeKey === routeKey)) throw badRequest(`Unable to find Route by key ${routeKey} within the provided RouteSettings`);
      const settings = perRoute.required(routeKey, perRoute.object(routeKey));
      stage.routeSettings[routeKey] = { ...stage.routeSettings[routeKey], ...readRouteSettings(settings) };
    }
  }
  const deploymentId = input.string('deploymentId');
  if (deploymentId !== undefined) ctx.setDeployment(stage, ctx.deployment(managed, deploymentId));
  const logs = input.object('accessLogSettings');
  if (logs) {
    const destinationArn = logs.string('destinationArn');
    const format = logs.string('format', { min: 1, max: 1024 });
    stage.accessLogSettings = { ...(destinationArn !== undefined && { destinationArn }), ...(format !== undefined && { format }) };
  }
  const certificate = input.string('clientCertificateId');
  if (certificate !== undefined) stage.clientCertificateId = certificate;
}

function readRouteSettings(input: Input): RouteSettings {
  const out: RouteSettings = {};
  const burst = input.integer('throttlingBurstLimit', { min: 0 });
  if (burst !== undefined) out.throttlingBurstLimit = burst;
  const rate = input.number('throttlingRateLimit');
  if (rate !== undefined) {
    if (rate < 0) throw badRequest(`"throttlingRateLimit" must be 0 or more, got ${rate}`);
    out.throttlingRateLimit = rate;
  }
  for (const flag of ['dataTraceEnabled', 'detailedMetricsEnabled'] as const) {
    const value = input.boolean(flag);
    if (value !== undefined) out[flag] = value;
  }
  const level = input.oneOf('loggingLevel', LOGGING_LEVELS, 'logging level');
  if (level !== undefined) out.loggingLevel = level;
  return out;
}

/** CreateDeployment: a copy of the API as it is; with a stageName, that stage serves it from now on. */
export function createDeployment(ctx: StoreContext, apiId: string, body: unknown): StoredDeployment {
  const managed = ctx.managed(apiId);
  const input = new Input(body);
  const stageName = input.string('stageName', { min: 1, max: 128 });
  const stage = stageName === undefined ? undefined : ctx.stage(managed, stageName);
  const deployment = ctx.deploy(managed, { autoDeployed: false, description: input.string('description', { max: 1024 }) });
  if (stage) ctx.setDeployment(stage, deployment);
  ctx.record(managed, `CreateDeployment${stageName === undefined ? '' : ` to ${stageName}`}`);
  ctx.prune(managed);
  return deployment;
}

export function updateDeployment(ctx: StoreContext, apiId: string, deploymentId: string, body: unknown): StoredDeployment {
  const managed = ctx.managed(apiId);
  const deployment = ctx.deployment(managed, deploymentId);
  const description = new Input(body).string('description', { max: 1024 });
  if (description !== undefined) deployment.description = description;
  return deployment;
}

export function deleteDeployment(ctx: StoreContext, apiId: string, deploymentId: string): void {
  const managed = ctx.managed(apiId);
  const deployment = ctx.deployment(managed, deploymentId);
  // AWS's wording for the same rule in its REST APIs.
  if (managed.stages.some((s) => s.deploymentId === deploymentId)) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  managed.deployments.splice(managed.deployments.indexOf(deployment), 1);
}

/** A deployment as the management API answers it: without the copy of the API it keeps. */
export function deploymentView(deployment: StoredDeployment): DeploymentResource {
  const { snapshot: _snapshot, ...view } = deployment;
  return structuredClone(view);
}

/** What a stage serves: its deployment's copy of the API, or nothing before its first deployment. */
export function servedSnapshot(managed: ManagedApi, stage: StageResource): StoredDeployment | undefined {
  return stage.deploymentId === undefined ? undefined : managed.deployments.find((d) => d.deploymentId === stage.deploymentId);
}
