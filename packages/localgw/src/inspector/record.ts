import { explainMatch, type CompiledCors, type GatewayModel, type GatewayResponse } from '@localgw/core';
import { headerDiff, previewBody, type RequestTrace } from './trace.js';

/** §1.2 and §1.3 for the inspector: the stage step, and why the route (or none) was selected. */
export function traceRouting(trace: RequestTrace, model: GatewayModel, method: string, rawPath: string, path: string | undefined): void {
  const { stage } = model;
  trace.stage = {
    name: stage,
    pathWithoutStage: path,
    note:
      path === undefined
        ? `the path is not under the stage /${stage}: 404 before routing (§1.2)`
        : stage === '$default'
          ? 'the $default stage adds no path prefix (§1.2)'
          : `the /${stage} prefix is removed before routing, and kept in rawPath (§1.2)`,
  };
  if (path !== undefined) trace.route = explainMatch(model.matcher.routes, method, path);
}

/** The CORS step of a request that reached a route or a gateway answer (§2.2, §2.4). */
export function corsDecision(cors: CompiledCors, origin: string | undefined): string {
  if (origin === undefined) return 'the request has no Origin header: no CORS headers (§2.2)';
  return cors.allowOrigin(origin) !== undefined
    ? `Origin ${origin} is allowed: the gateway adds its CORS headers and drops any the integration sent (§2.2, §2.4)`
    : `Origin ${origin} is not in allowOrigins: no CORS headers, and the browser will refuse the response (§2.4)`;
}

/** The answer as sent, and what the gateway added to or removed from the integration's headers. */
export function traceResponse(trace: RequestTrace, response: GatewayResponse, before: ReadonlyArray<readonly [string, string]>, totalMs: number): void {
  const { added, removed } = headerDiff(before, response.headers);
  const body = typeof response.body === 'string' || response.body instanceof Uint8Array ? previewBody(response.body) : previewBody(response.body.head);
  trace.response = { statusCode: response.statusCode, headers: response.headers.map(([n, v]) => [n, v] as const), body, added, removed };
  trace.timings = { ...trace.timings, totalMs };
}
