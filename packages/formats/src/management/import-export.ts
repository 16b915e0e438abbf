import { stringify } from 'yaml';
import type { Api } from '../model/model.js';
import { exportOpenApi, HTTP_API_EXTENSIONS } from '../openapi/export-openapi.js';
import { importOpenApi } from '../openapi/import-openapi.js';
import { parseText } from '../source/parse-text.js';
import { snapshotOf, type StoreContext } from './context.js';
import { badRequest } from './errors.js';
import { managedResources } from './from-model.js';
import { Input } from './input.js';
import type { ManagedApi, StageResource } from './resources.js';
import { servedModel } from './to-model.js';

export interface ImportQuery {
  basepath?: string | undefined;
  failOnWarnings?: string | undefined;
}

/**
 * ImportApi (config-formats.md §5.3): an OpenAPI 3.0 document, JSON or YAML, as a new API — its
 * routes, integrations, authorizers and CORS, and no stage (a document has none, §1.6). The
 * reader is the one `localgw start` uses for an openapi.yaml. Its warnings come back in
 * `warnings`, or refuse the import with `failOnWarnings=true`.
 */
export function importApi(ctx: StoreContext, body: unknown, query: ImportQuery): ManagedApi {
  const apiId = ctx.id(10, (id) => ctx.state.apis.some((m) => m.api.apiId === id));
  const { model, warnings } = readDocument(body, query, apiId);
  const now = ctx.timestamp();
  const managed: ManagedApi = { ...managedResources(model, now), stages: [], deployments: [], origin: 'management', changes: [] };
  if (warnings.length > 0) managed.api.warnings = warnings;
  ctx.state.apis.push(managed);
  return managed;
}

/** ReimportApi: the document replaces the API's routes, integrations, authorizers and CORS; its stages and tags stay. */
export function reimportApi(ctx: StoreContext, apiId: string, body: unknown, query: ImportQuery): ManagedApi {
  const managed = ctx.managed(apiId);
  const { model, warnings } = readDocument(body, query, apiId);
  const fresh = managedResources(model, managed.api.createdDate);
  managed.api = { ...fresh.api, tags: managed.api.tags, ...(warnings.length > 0 && { warnings }) };
  managed.routes = fresh.routes;
  managed.integrations = fresh.integrations;
  managed.authorizers = fresh.authorizers;
  // Route settings of routes the document no longer has would name nothing.
  for (const stage of managed.stages) {
    for (const key of Object.keys(stage.routeSettings)) if (!managed.routes.some((r) => r.routeKey === key)) delete stage.routeSettings[key];
  }
  ctx.record(managed, 'ReimportApi');
  ctx.autoDeploy(managed);
  return managed;
}

function readDocument(body: unknown, query: ImportQuery, apiId: string): { model: Api; warnings: string[] } {
  const input = new Input(body);
  const text = input.required('body', input.string('body', { min: 1 }));
  if (query.basepath !== undefined && query.basepath !== 'ignore') {
    throw badRequest(`basepath=${query.basepath} is not emulated: localgw imports with basepath=ignore (the document's servers and base paths are not applied)`);
  }
  const parsed = parseText('body', text);
  if (!parsed.ok) throw badRequest(`Unable to parse the OpenAPI definition: ${parsed.message}`);
  const { api, issues } = importOpenApi(parsed.source.value, { apiId, source: parsed.source });
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning').map((i) => i.message);
  if (errors.length > 0) throw badRequest(`Unable to import the OpenAPI definition: ${errors.map((e) => e.message).join('; ')}`);
  if (query.failOnWarnings === 'true' && warnings.length > 0) throw badRequest(`Warnings found during import (failOnWarnings is true): ${warnings.join('; ')}`);
  return { model: api, warnings };
}

export interface ExportQuery {
  outputType?: string | undefined;
  stageName?: string | undefined;
  includeExtensions?: string | undefined;
  exportVersion?: string | undefined;
}

/**
 * ExportApi: the API as an OpenAPI 3.0 document (`OAS30`), JSON or YAML — as it is now, or as a
 * stage serves it (`stageName`: its deployment). `includeExtensions=false` leaves the
 * `x-amazon-apigateway-*` extensions out.
 */
export function exportApi(ctx: StoreContext, apiId: string, specification: string, query: ExportQuery): { body: string; contentType: string } {
  const managed = ctx.managed(apiId);
  if (specification !== 'OAS30') throw badRequest(`Invalid specification ${specification}: HTTP APIs export OAS30 (OpenAPI 3.0)`);
  const outputType = query.outputType;
  if (outputType !== 'JSON' && outputType !== 'YAML') throw badRequest(`Invalid outputType ${outputType ?? '(none)'}: use JSON or YAML`);
  if (query.exportVersion !== undefined && query.exportVersion !== '1.0') throw badRequest(`Invalid exportVersion ${query.exportVersion}: the only one is 1.0`);
  let model: Api;
  if (query.stageName !== undefined) {
    const stage = ctx.stage(managed, query.stageName);
    const deployment = managed.deployments.find((d) => d.deploymentId === stage.deploymentId);
    if (!deployment) throw badRequest(`Stage ${query.stageName} has no deployment to export`);
    model = servedModel(managed, stage, deployment.snapshot);
  } else {
    const stage: StageResource = { stageName: '$default', autoDeploy: false, createdDate: '', lastUpdatedDate: '', defaultRouteSettings: {}, routeSettings: {}, stageVariables: {}, tags: {} };
    model = servedModel(managed, stage, snapshotOf(managed));
  }
  model.description = managed.api.description;
  model.disableExecuteApiEndpoint = managed.api.disableExecuteApiEndpoint;
  let document: unknown = exportOpenApi(model, managed.api.version === undefined ? {} : { version: managed.api.version });
  if (query.includeExtensions === 'false') document = withoutExtensions(document);
  return outputType === 'JSON'
    ? { body: `${JSON.stringify(document, null, 2)}\n`, contentType: 'application/json' }
    : { body: stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }), contentType: 'application/yaml' };
}

const EXTENSIONS: ReadonlySet<string> = new Set(HTTP_API_EXTENSIONS);

/** The document without API Gateway's extensions (ANY operations, which only they can say, included). */
function withoutExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !EXTENSIONS.has(key) && !key.startsWith('x-amazon-apigateway-')).map(([key, v]) => [key, withoutExtensions(v)]));
}
