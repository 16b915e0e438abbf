import type { ResolvedConfig, ResolvedRoute } from './config/resolve-config.js';
import { compileCors, type CompiledCors } from './cors/index.js';
import { compileRoutes, type Matcher } from './routing/index.js';

/** A route as the request pipeline needs it, with everything derivable from config precomputed. */
export interface CompiledRoute extends ResolvedRoute {
  readonly routeKey: string;
  /** Route path template for payload 1.0 `resource` (`/items/{id}`); undefined for `$default`. */
  readonly routePath: string | undefined;
}

/** Everything that depends only on config, compiled once per (re)load (style principle 3). */
export interface GatewayModel {
  readonly config: ResolvedConfig;
  readonly stage: string;
  readonly matcher: Matcher<CompiledRoute>;
  /** Undefined when CORS is not configured: then nothing is added or stripped (§2.2). */
  readonly cors: CompiledCors | undefined;
}

export function compileGateway(config: ResolvedConfig): GatewayModel {
  const routes = config.routes.map((route): CompiledRoute => {
    const routeKey = route.key.routeKey;
    const routePath = route.key.kind === 'route' ? route.key.path : undefined;
    return { ...route, routeKey, routePath };
  });
  return {
    config,
    stage: config.stage,
    matcher: compileRoutes(routes.map((route) => ({ key: route.key, target: route }))),
    cors: config.cors ? compileCors(config.cors) : undefined,
  };
}
