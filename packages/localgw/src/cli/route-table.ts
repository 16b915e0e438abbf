import type { CompiledRoute } from '@localgw/core';
import pc from 'picocolors';
import { useColor } from '../colors.js';

/** The route table in match order, one row per route: key, integration, authorizer. */
export function formatRouteTable(routes: readonly CompiledRoute[], colors = useColor(process.stdout)): string {
  const c = pc.createColors(colors);
  const rows = routes.map((route) => {
    const integration =
      route.integration.type === 'http'
        ? `→ ${route.integration.url}`
        : typeof route.integration.handler === 'function'
          ? '→ (inline function)'
          : `→ ${route.integration.handler}${route.integration.payloadFormatVersion === '1.0' ? ' (payload 1.0)' : ''}`;
    const auth = route.authorizer ? c.yellow(`  auth: ${route.authorizer}${route.authorizationScopes?.length ? ` [${route.authorizationScopes.join(' ')}]` : ''}`) : '';
    return { key: route.routeKey, rest: `${c.dim(integration)}${auth}` };
  });
  const width = Math.max(0, ...rows.map((r) => r.key.length));
  return rows.map((r) => `  ${c.bold(r.key.padEnd(width))}  ${r.rest}`).join('\n');
}
