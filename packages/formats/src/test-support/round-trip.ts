import { Validator } from '@seriousme/openapi-schema-validator';
import { resolveConfig, type LocalgwConfig, type ResolvedConfig } from '@localgw/core';
import { exportCloudFormation } from '../cloudformation/export-template.js';
import { readTemplates } from '../cloudformation/read-template.js';
import { fromLocalgwConfig, localFunctionsOf } from '../model/from-config.js';
import { toLocalgwConfig } from '../model/to-config.js';
import { exportOpenApi, HTTP_API_EXTENSIONS } from '../openapi/export-openapi.js';
import { importOpenApi } from '../openapi/import-openapi.js';
import { memoryHost } from './memory-host.js';

/**
 * What a round trip must keep (issue 16): the route table — each route's key, integration,
 * authorizer and scopes, mappings and throttling — CORS and the authorizers. Local-only settings
 * (JWKS files, dev tokens, idle timeout) are not part of an AWS definition.
 */
export function routeTableOf(config: ResolvedConfig, options: { routeThrottle?: boolean } = {}) {
  return {
    stage: config.stage,
    stageVariables: config.stageVariables ?? {},
    cors: config.cors,
    authorizers: Object.fromEntries(
      Object.entries(config.authorizers).map(([name, a]) => [name, a.type === 'jwt' ? { ...a, jwks: undefined } : { ...a, functionName: a.functionName ?? `authorizer-${name}`, identitySource: a.identitySource.map((s) => JSON.stringify(s)) }]),
    ),
    // Routes match by priority, not by their order in a file (an OpenAPI path groups its methods).
    routes: [...config.routes].sort((a, b) => (a.key.routeKey < b.key.routeKey ? -1 : 1)).map((r) => ({
      key: r.key.routeKey,
      integration: r.integration.type === 'http' ? { ...r.integration, method: r.integration.method?.toUpperCase() } : r.integration,
      authorizer: r.authorizer,
      scopes: r.authorizationScopes,
      request: JSON.stringify(r.requestMapping),
      response: JSON.stringify(r.responseMapping ? [...r.responseMapping.byStatus] : undefined),
      // OpenAPI has no stage, so no route settings (§1.6): only the stage-wide default comes back.
      throttle: options.routeThrottle === false ? undefined : r.throttle,
    })),
  };
}

export function resolved(config: unknown): ResolvedConfig {
  const result = resolveConfig(config);
  if (!result.ok) throw new Error(`invalid config: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return result.config;
}

/** A config → its OpenAPI export → imported again (with the export's `functions` map) → resolved. */
export function throughOpenApi(config: LocalgwConfig): { doc: Record<string, unknown>; config: ResolvedConfig } {
  const { api, functions } = fromLocalgwConfig(config, { name: 'round-trip' });
  const doc = exportOpenApi(api);
  const back = importOpenApi(JSON.parse(JSON.stringify(doc)));
  if (back.issues.length > 0) throw new Error(back.issues.map((i) => i.message).join('; '));
  const imported = toLocalgwConfig(back.api, [], { functions: localFunctionsOf(functions) });
  if (imported.issues.some((i) => i.severity === 'error')) throw new Error(imported.issues.map((i) => i.message).join('; '));
  // The stage is not part of an OpenAPI document (§1.6): a beside localgw config gives it back.
  const stage = { ...(config.stage !== undefined && { stage: config.stage }), ...(config.stageVariables && { stageVariables: config.stageVariables }), ...(config.throttle && { throttle: config.throttle }) };
  return { doc, config: resolved({ ...imported.config, ...stage }) };
}

/** A config → its CloudFormation export → read as a template (with the `functions` map) → resolved. */
export function throughCloudFormation(config: LocalgwConfig): { template: Record<string, unknown>; config: ResolvedConfig } {
  const { api, functions } = fromLocalgwConfig(config, { name: 'round-trip' });
  const template = exportCloudFormation(api);
  const model = readTemplates([{ file: 'template.json' }], memoryHost({ 'template.json': JSON.stringify(template, null, 2) }));
  if (model.issues.some((i) => i.severity === 'error')) throw new Error(model.issues.map((i) => i.message).join('; '));
  const imported = toLocalgwConfig(model.apis[0]!, model.functions, { functions: localFunctionsOf(functions) });
  if (imported.issues.some((i) => i.severity === 'error')) throw new Error(imported.issues.map((i) => i.message).join('; '));
  return { template, config: resolved(imported.config) };
}

const validator = new Validator();

/** The OpenAPI 3.0 schema's verdict, as a list of `path message` lines (empty: valid). */
export async function schemaErrors(doc: Record<string, unknown>): Promise<string[]> {
  const result = await validator.validate(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
  if (result.valid) return [];
  return typeof result.errors === 'string' ? [result.errors] : (result.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** Every `x-…` key in a document that is not an extension AWS documents for HTTP APIs. */
export function undocumentedExtensions(value: unknown, out = new Set<string>()): Set<string> {
  if (value === null || typeof value !== 'object') return out;
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('x-') && !(HTTP_API_EXTENSIONS as readonly string[]).includes(key)) out.add(key);
    undocumentedExtensions(inner, out);
  }
  return out;
}
