import { join } from 'node:path';
import { compileGateway, formatPath, type CompiledRoute, type ConfigIssue, type GatewayModel, type HandlerFunction } from '@localgw/core';
import { createJwtAuthorizer, type DevKey, type JwtAuthorizer } from '@localgw/jwt';
import { resolveHandlerRef, type HandlerRef } from '@localgw/runtime';
import type { LoadedConfig } from './config/load-config.js';

/** How a route's Lambda handler resolved: ready to invoke, or why it cannot load (→ 500). */
export type HandlerTarget =
  | { ok: true; handler: HandlerRef | HandlerFunction; environment: Record<string, string> }
  | { ok: false; message: string };

/**
 * One loaded version of the API: the compiled model plus what it needs at request time
 * (authorizer instances, resolved handler files). A request reads the generation once at its
 * start, so a reload that swaps in the next one can never show it a half-applied change.
 */
export interface Generation {
  readonly loaded: LoadedConfig;
  readonly model: GatewayModel;
  readonly authorizers: ReadonlyMap<string, JwtAuthorizer>;
  readonly handlers: ReadonlyMap<CompiledRoute, HandlerTarget>;
  /** Handler files that do not resolve; reported as warnings, answered with 500 at request time. */
  readonly handlerIssues: readonly ConfigIssue[];
  /** dotenv files that fed the handlers' environment (watched for changes). */
  readonly envFiles: readonly string[];
}

export interface GenerationOptions {
  /** Trusted by every JWT authorizer when given; undefined when dev tokens are off. */
  devKey: DevKey | undefined;
  stageOverride?: string;
  /** Environment for every handler (`.env`, `--dotenv`, the `env` option); routes' own win. */
  environment: Record<string, string>;
  envFiles: readonly string[];
}

export function createGeneration(loaded: LoadedConfig, options: GenerationOptions): Generation {
  const config = options.stageOverride ? { ...loaded.config, stage: options.stageOverride } : loaded.config;
  const model = compileGateway(config);
  const authorizers = new Map<string, JwtAuthorizer>();
  for (const [name, authorizer] of Object.entries(config.authorizers)) {
    authorizers.set(
      name,
      createJwtAuthorizer(
        { name, issuer: authorizer.issuer, audience: [...authorizer.audience], identitySource: authorizer.identitySource, jwks: authorizer.jwks },
        // The caller already decided (the `devTokens` option, else the config's): passing a key means trust it.
        { baseDir: loaded.baseDir, devKey: options.devKey },
      ),
    );
  }
  const handlers = new Map<CompiledRoute, HandlerTarget>();
  const handlerIssues: ConfigIssue[] = [];
  for (const { target: route } of model.matcher.routes) {
    if (route.integration.type !== 'lambda') continue;
    const { handler } = route.integration;
    // Merged once here so the request path passes one object, and the runtime's worker pool
    // (keyed by environment) sees the same object on every request.
    const environment = { ...options.environment, ...route.integration.environment };
    if (typeof handler === 'function') {
      handlers.set(route, { ok: true, handler, environment });
      continue;
    }
    const resolved = resolveHandlerRef(loaded.baseDir, handler);
    if (resolved.ok) handlers.set(route, { ok: true, handler: resolved.value, environment });
    else {
      handlers.set(route, { ok: false, message: resolved.message });
      handlerIssues.push({
        path: formatPath(['routes', route.routeKey, 'handler']),
        message: resolved.message,
        hint: resolved.hint,
        severity: 'error',
      });
    }
  }
  return { loaded, model, authorizers, handlers, handlerIssues, envFiles: options.envFiles };
}

export function closeGeneration(generation: Generation): void {
  for (const authorizer of generation.authorizers.values()) authorizer.close();
}

export function devKeyDir(loaded: LoadedConfig): string {
  return join(loaded.baseDir, '.localgw');
}
