import { join } from 'node:path';
import { compileGateway, formatPath, TokenBucket, type CompiledRoute, type ConfigIssue, type GatewayModel, type HandlerFunction, type LambdaIntegration } from '@localgw/core';
import { createJwtAuthorizer, type DevKey, type JwtAuthorizer } from '@localgw/jwt';
import { DEFAULT_REGION, resolveHandlerRef, type HandlerRef } from '@localgw/runtime';
import { createRequestAuthorizer, type AuthorizerTarget, type RequestAuthorizer } from './authorizers/request-authorizer.js';
import { labelPath, type LoadedConfig } from './config/load-config.js';

/**
 * How a route's Lambda function resolved: ready to invoke, or why it cannot load (→ 500). Routes
 * that invoke the same function share one target, so the runtime sees one handler, one
 * environment object and one name for all of them: one worker pool.
 */
export type HandlerTarget =
  | { ok: true; functionName: string; handler: HandlerRef | HandlerFunction; environment: Record<string, string> }
  | { ok: false; message: string; hint?: string };

/** A route's authorizer, of either kind. */
export type GatewayAuthorizer = { readonly kind: 'jwt'; readonly jwt: JwtAuthorizer } | RequestAuthorizer;

/**
 * One loaded version of the API: the compiled model plus what it needs at request time
 * (authorizer instances, resolved handler files). A request reads the generation once at its
 * start, so a reload that swaps in the next one can never show it a half-applied change.
 */
export interface Generation {
  readonly loaded: LoadedConfig;
  /** `requestContext.apiId` of this API. */
  readonly apiId: string;
  readonly model: GatewayModel;
  readonly authorizers: ReadonlyMap<string, GatewayAuthorizer>;
  readonly handlers: ReadonlyMap<CompiledRoute, HandlerTarget>;
  /** §7.1: a token bucket per throttled route; fresh with each version of the config. */
  readonly throttles: ReadonlyMap<CompiledRoute, TokenBucket>;
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
  const handlerIssues: ConfigIssue[] = [];
  const authorizers = new Map<string, GatewayAuthorizer>();
  const region = options.environment.AWS_REGION ?? process.env.AWS_REGION ?? DEFAULT_REGION;
  const unavailable = loaded.imported?.unavailable;
  for (const [name, authorizer] of Object.entries(config.authorizers)) {
    if (authorizer.type === 'request') {
      const environment = { ...options.environment, ...authorizer.environment };
      let target: AuthorizerTarget;
      const missing = unavailable?.get(formatPath(['authorizers', name]));
      if (missing) {
        target = { ok: false, message: missing.message };
        handlerIssues.push({ path: labelPath(loaded, ['authorizers', name, 'handler']), message: missing.message, hint: missing.hint, severity: missing.severity });
      } else if (typeof authorizer.handler === 'function') target = { ok: true, handler: authorizer.handler, environment };
      else {
        const resolved = resolveHandlerRef(loaded.baseDir, authorizer.handler, authorizer);
        if (resolved.ok) target = { ok: true, handler: resolved.value, environment };
        else {
          target = { ok: false, message: resolved.message };
          handlerIssues.push({ path: labelPath(loaded, ['authorizers', name, 'handler']), message: resolved.message, hint: resolved.hint, severity: 'error' });
        }
      }
      authorizers.set(name, createRequestAuthorizer(authorizer, target, { region, functionName: authorizer.functionName ?? authorizerFunctionName(name) }));
      continue;
    }
    const jwt = createJwtAuthorizer(
      { name, issuer: authorizer.issuer, audience: [...authorizer.audience], identitySource: authorizer.identitySource, jwks: authorizer.jwks },
      // The caller already decided (the `devTokens` option, else the config's): passing a key means trust it.
      { baseDir: loaded.baseDir, devKey: options.devKey },
    );
    authorizers.set(name, { kind: 'jwt', jwt });
  }
  const handlers = new Map<CompiledRoute, HandlerTarget>();
  const throttles = new Map<CompiledRoute, TokenBucket>();
  const functions = new Map<string, HandlerTarget>();
  for (const { target: route } of model.matcher.routes) {
    if (route.throttle) throttles.set(route, new TokenBucket(route.throttle));
    if (route.integration.type !== 'lambda') continue;
    const { functionName } = route.integration;
    // A function the template only references, code in S3, a runtime not supported yet: 500.
    const missing = unavailable?.get(formatPath(['routes', route.routeKey]));
    let target: HandlerTarget | undefined = missing ? { ok: false, message: missing.message, hint: missing.hint } : functions.get(functionName);
    if (target === undefined) {
      target = resolveFunction(loaded.baseDir, route.integration, options.environment);
      functions.set(functionName, target);
    }
    handlers.set(route, target);
    if (!target.ok) {
      handlerIssues.push({ path: labelPath(loaded, ['routes', route.routeKey, 'handler']), message: target.message, hint: target.hint, severity: missing?.severity ?? 'error' });
    }
  }
  return { loaded, apiId: loaded.apiId, model, authorizers, handlers, throttles, handlerIssues, envFiles: options.envFiles };
}

function resolveFunction(baseDir: string, integration: LambdaIntegration, environment: Record<string, string>): HandlerTarget {
  const { handler, functionName } = integration;
  // Merged once per function, so the request path passes one object, and the runtime's worker
  // pool (keyed by environment) sees the same object on every request of every route.
  const merged = { ...environment, ...integration.environment };
  if (typeof handler === 'function') return { ok: true, functionName, handler, environment: merged };
  const resolved = resolveHandlerRef(baseDir, handler, integration);
  if (!resolved.ok) return { ok: false, message: resolved.message, hint: resolved.hint };
  return { ok: true, functionName, handler: resolved.value, environment: merged };
}

export function closeGeneration(generation: Generation): void {
  for (const authorizer of generation.authorizers.values()) if (authorizer.kind === 'jwt') authorizer.jwt.close();
}

/** `authorizer-NAME` in the charset Lambda allows in function names. */
function authorizerFunctionName(name: string): string {
  return `authorizer-${name}`.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
}

export function devKeyDir(loaded: LoadedConfig): string {
  return join(loaded.baseDir, '.localgw');
}
