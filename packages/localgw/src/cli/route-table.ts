import type { CompiledRoute } from '@localgw/core';
import pc from 'picocolors';
import { useColor } from '../colors.js';
import type { GatewayApi } from '../create-gateway.js';

/**
 * The route table in match order, one row per route: key, integration, authorizer, and for a
 * route read from a template, where it is written (`template.yaml:42`).
 */
export function formatRouteTable(routes: readonly CompiledRoute[], colors = useColor(process.stdout), sourceOf?: (routeKey: string) => string | undefined): string {
  const c = pc.createColors(colors);
  const rows = routes.map((route) => {
    const integration =
      route.integration.type === 'http'
        ? `→ ${route.integration.url}`
        : typeof route.integration.handler === 'function'
          ? '→ (inline function)'
          : `→ ${shortAssetPath(route.integration.handler)}${notes(route.integration.runtime, route.integration.payloadFormatVersion)}`;
    const auth = route.authorizer ? c.yellow(`  auth: ${route.authorizer}${route.authorizationScopes?.length ? ` [${route.authorizationScopes.join(' ')}]` : ''}`) : '';
    const source = sourceOf?.(route.routeKey);
    return { key: route.routeKey, rest: `${c.dim(integration)}${auth}${source ? c.dim(`  ${source}`) : ''}` };
  });
  const width = Math.max(0, ...rows.map((r) => r.key.length));
  return rows.map((r) => `  ${c.bold(r.key.padEnd(width))}  ${r.rest}`).join('\n');
}

/** ` (python3.12, payload 1.0)`: what is not the default (Node.js, payload 2.0). */
function notes(runtime: string | undefined, payloadFormatVersion: string): string {
  const shown = [runtime !== undefined && !runtime.startsWith('nodejs') ? runtime : undefined, payloadFormatVersion === '1.0' ? 'payload 1.0' : undefined].filter(Boolean);
  return shown.length ? ` (${shown.join(', ')})` : '';
}

/** CDK's staged asset folders are named by a 64-digit hash: the first 8 say enough in a table. */
function shortAssetPath(handler: string): string {
  return handler.replace(/(asset\.[0-9a-f]{8})[0-9a-f]{56}/g, '$1…');
}

/**
 * Every API's table. One API: its table alone. Several (a template never merges them): a
 * heading per API with where it is served — the main URL for the main one, and for each its
 * Host `{apiId}.execute-api.localhost`.
 */
export function formatApiTables(apis: readonly GatewayApi[], options: { url?: string; colors?: boolean } = {}): string {
  const colors = options.colors ?? useColor(process.stdout);
  const c = pc.createColors(colors);
  if (apis.length === 1) return formatRouteTable(apis[0]!.routes, colors, apis[0]!.sourceOf);
  const port = options.url ? /:(\d+)$/.exec(options.url)?.[1] : undefined;
  return apis
    .map((api) => {
      const host = `${api.apiId}.execute-api.localhost${port ? `:${port}` : ''}`;
      const where = api.main && options.url ? `${options.url} (also Host ${host})` : `Host ${host}`;
      const title = `${c.bold(`API ${api.name ?? api.apiId}`)}${api.main ? ' (main)' : ''} → ${where}`;
      return `${title}\n${formatRouteTable(api.routes, colors, api.sourceOf)}`;
    })
    .join('\n');
}
