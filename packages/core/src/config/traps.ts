import { findCorsTraps } from '../cors/index.js';
import { compileRoutes, type RouteKey } from '../routing/index.js';
import { formatPath, type ConfigIssue } from './issues.js';
import type { ResolvedConfig, ResolvedRoute } from './resolve-config.js';

/**
 * Known traps that API Gateway accepts but that break apps, reported as warnings by
 * `localgw check` and at start.
 */
export function findTraps(config: ResolvedConfig): ConfigIssue[] {
  return config.cors ? [...findCorsTraps(config.cors, 'cors'), ...preflightTrap(config)] : [];
}

/**
 * §1.7: with CORS configured, a browser preflight that matches a route goes through that
 * route's authorizer. A preflight never carries a token, so a protected `$default` or `ANY`
 * route that wins an OPTIONS request answers every preflight with 401. Rather than guessing
 * which routes outrank which, ask the real matcher with a probe OPTIONS request per route.
 */
function preflightTrap(config: ResolvedConfig): ConfigIssue[] {
  const matcher = compileRoutes(config.routes.map((route) => ({ key: route.key, target: route })));
  const warnings: ConfigIssue[] = [];
  for (const route of config.routes) {
    if (route.authorizer === undefined) continue;
    if (route.key.kind === 'route' && route.key.method !== 'ANY' && route.key.method !== 'OPTIONS') continue;
    const won = matcher.match('OPTIONS', probePath(route.key))?.target;
    if (won !== route) continue;
    warnings.push({
      path: formatPath(['routes', route.key.routeKey]),
      message: `catches browser preflights (OPTIONS) and requires authorizer "${route.authorizer}", so preflights will get 401`,
      hint: hintFor(route),
      severity: 'warning',
    });
  }
  return warnings;
}

/** A path that the route's template matches; for `$default`, one that no real route is likely to. */
function probePath(key: RouteKey): string {
  if (key.kind === 'default') return '/__localgw_preflight_probe__/x';
  return '/' + key.segments.map((s) => (s.kind === 'literal' ? encodeURIComponent(s.value) : 'x')).join('/');
}

function hintFor(route: ResolvedRoute): string {
  if (route.key.kind === 'default' || route.key.segments.some((s) => s.kind === 'greedy')) {
    return 'add an "OPTIONS /{proxy+}" route without an authorizer, which outranks it; see docs/cors.md';
  }
  return `use explicit methods instead of ANY (e.g. "GET ${route.key.path}") so the gateway answers preflights itself, or add "OPTIONS ${route.key.path}" without an authorizer`;
}
