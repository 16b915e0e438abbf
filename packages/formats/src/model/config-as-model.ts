import type { LocalgwConfig, ResolvedConfig } from '@localgw/core';
import { fromLocalgwConfig } from './from-config.js';
import type { Api } from './model.js';
import type { FunctionOverride } from './to-config.js';

/** What a native config says that the model has no field for; put back when the model is served. */
export interface ConfigExtras {
  /** `devTokens`, `idleTimeout`, `maxIdleWorkers`: gateway settings, not API resources. */
  top: Pick<LocalgwConfig, 'devTokens' | 'idleTimeout' | 'maxIdleWorkers'>;
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
 * A native config as the model the management API shows and edits, and serves back with
 * `toLocalgwConfig(api, [], { functions })` plus `withConfigExtras`: the same config again.
 * It is `fromLocalgwConfig` (the model an export writes) with what serving needs besides: each
 * Lambda URI is the function's bare name (it resolves locally, and reads well in
 * get-integrations), its handler kept in `functions` — inline functions of a programmatic config
 * included — and the names and defaults are resolveConfig's, the ones the gateway runs with.
 */
export function configAsModel(raw: LocalgwConfig, resolved: ResolvedConfig, apiId: string, name: string): ConfigAsModel {
  const { api } = fromLocalgwConfig(raw, { apiId, name });
  const functions: Record<string, FunctionOverride> = {};
  const extras: ConfigExtras = { top: {}, jwks: {} };
  if (raw.devTokens !== undefined) extras.top.devTokens = raw.devTokens;
  if (raw.idleTimeout !== undefined) extras.top.idleTimeout = raw.idleTimeout;
  if (raw.maxIdleWorkers !== undefined) extras.top.maxIdleWorkers = raw.maxIdleWorkers;

  // Both list the config's routes and authorizers in the order the config writes them.
  for (const [index, route] of resolved.routes.entries()) {
    const integration = api.integrations[index]!;
    integration.connectionType = 'INTERNET';
    if (route.integration.type !== 'lambda') continue;
    const { functionName, handler, environment } = route.integration;
    integration.integrationUri = functionName;
    integration.integrationMethod = 'POST';
    functions[functionName] = override(handler, environment);
  }
  for (const [index, authorizer] of Object.values(resolved.authorizers).entries()) {
    const model = api.authorizers[index]!;
    if (authorizer.type === 'jwt') {
      if (authorizer.jwks !== undefined) extras.jwks[authorizer.name] = authorizer.jwks;
      continue;
    }
    const functionName = authorizer.functionName ?? authorizerFunctionName(authorizer.name);
    model.authorizerUri = functionName;
    functions[functionName] = override(authorizer.handler, authorizer.environment);
  }
  return { api, functions, extras };
}

function override(handler: FunctionOverride['handler'], environment: Readonly<Record<string, string>>): FunctionOverride {
  return { handler, ...(Object.keys(environment).length > 0 && { environment: { ...environment } }) };
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
